// The command table: `verb [sub] ARGS` -> a strata::Command. Adding a CLI
// command is one builder and one table row; --help, the unknown-command
// hint and argument count checks all come from the table. Execution is
// strata::Session's job, printing human_output's.
#pragma once

#include "cli/command_parser.hpp"

#include <strata/command.hpp>

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace strata::cli {

/// A CLI-level failure that is not a strata::Error (unknown command, wrong
/// number of arguments). code() is the stable name printed after "error: ".
class CommandError : public std::runtime_error {
 public:
  CommandError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

/// Builders get the arguments after the verb (and subverb), already checked
/// against min_args/max_args, and may throw strata::Error for a bad argument
/// (a VALUE that is not JSON, a SEQ that is not a number).
using Builder = Command (*)(std::span<const Token> args);

struct CommandSpec {
  std::string_view verb;
  std::string_view sub;   ///< empty for one-word commands (ping, begin)
  std::string_view args;  ///< argument grammar, e.g. "KEY VALUE"
  std::size_t min_args;
  std::size_t max_args;
  std::string_view summary;
  Builder build;
};

/// Every command, in --help order.
std::span<const CommandSpec> command_table();

/// "kv put KEY VALUE".
std::string usage_of(const CommandSpec& spec);

/// The Command for `words` (never empty). Verbs are case-insensitive.
/// Throws CommandError("unknown_command" | "bad_arguments") or the
/// builder's strata::Error.
Command build_command(const CommandLine& words);

}  // namespace strata::cli
