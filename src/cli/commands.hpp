// The command table: verb (+ subverb) -> handler. Adding a command is one
// handler and one table row; --help, the unknown-command hint and argument
// count checks all come from the table.
#pragma once

#include "cli/command_parser.hpp"
#include "cli/output.hpp"

#include <strata/facade.hpp>

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace strata::cli {

/// What commands act on. The handle's current run is the session's current
/// run (`run use`), so it persists across the commands of one invocation.
struct Session {
  Strata db;
};

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

/// Handlers get the arguments after the verb (and subverb), already checked
/// against min_args/max_args, and throw strata::Error or CommandError.
using Handler = Output (*)(Session& session, std::span<const Token> args);

struct CommandSpec {
  std::string_view verb;
  std::string_view sub;   ///< empty for one-word commands (ping, info)
  std::string_view args;  ///< argument grammar, e.g. "KEY VALUE"
  std::size_t min_args;
  std::size_t max_args;
  std::string_view summary;
  Handler handler;
};

/// Every command, in --help order.
std::span<const CommandSpec> command_table();

/// "kv put KEY VALUE".
std::string usage_of(const CommandSpec& spec);

/// Finds and runs `command` (never empty). Verbs are case-insensitive.
/// Throws CommandError("unknown_command" | "bad_arguments") or whatever the
/// handler throws.
Output execute(Session& session, const CommandLine& command);

}  // namespace strata::cli
