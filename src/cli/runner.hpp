// Runs command text through a strata::Session and prints each result: the
// one-shot (-c) and line-by-line (stdin) drivers share it. Text becomes a
// Command (commands.hpp), the Session executes it, human_output or the
// library's JSON codec prints the Output.
#pragma once

#include "cli/command_parser.hpp"

#include <strata/session.hpp>

#include <iosfwd>
#include <string_view>

namespace strata::cli {

class Runner {
 public:
  /// `out` gets results (human, or one JSON document per line with
  /// `json`); `err` gets one "error: code: message" line per failure. Both
  /// streams and the session must outlive the Runner.
  Runner(Session& session, bool json, std::ostream& out, std::ostream& err)
      : session_(session), json_(json), out_(out), err_(err) {}

  /// Runs the commands of `text` in order and flushes each result. With
  /// `stop_on_error` the first failure ends the run. Returns true when
  /// every command succeeded.
  bool run_text(std::string_view text, bool stop_on_error);

  /// Reads `in` line by line until EOF, running each line (which may hold
  /// several ';'-separated commands) and continuing after failures. Lines
  /// whose first non-blank character is '#' are comments. `prompt`, when
  /// not empty, is written to `out` before each line (interactive use).
  /// Returns true when every command succeeded.
  bool run_stream(std::istream& in, std::string_view prompt);

 private:
  void print(const Command& command, const Output& output);
  void report(std::string_view code, std::string_view message);
  bool run_one(const CommandLine& words);

  Session& session_;
  bool json_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace strata::cli
