// Tokenizer for CLI command text (the -c argument and each stdin line).
//
// Grammar, shell-like so that `-c "kv put k '\"42\"'; kv get k"` reads as a
// user expects:
//  * Commands are separated by ';' or a newline outside quotes and brackets.
//  * Words are separated by blanks outside quotes and brackets.
//  * '...' is literal text (no escapes), as in sh.
//  * "..." is a quoted word; \" and \\ are its escapes.
//  * {...} and [...] group: blanks, ';' and quotes inside a balanced bracket
//    pair belong to the word, so `kv put k {"a": 1, "b": [1, 2]}` is three
//    words after `kv put`.
//  * A backslash outside quotes escapes the next character.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace strata::cli {

/// One word of a command, in the two readings commands need.
struct Token {
  /// Shell reading: quotes removed. Used for verbs, keys and run names, so
  /// `kv get "my key"` looks up the key `my key`.
  std::string word;
  /// JSON-literal reading: '...' unwrapped, "..." kept with its quotes and
  /// escapes, everything else verbatim. Used for VALUE arguments, so both
  /// `'"42"'` and `"42"` give the JSON string "42", while `42` gives 42.
  std::string json;
};

/// The words of one command; never empty in parse_commands' result.
using CommandLine = std::vector<Token>;

/// Unterminated quote or unbalanced bracket; what() says which and where.
class SyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Splits `text` into commands and tokenizes each. Empty commands (blank
/// text, a trailing ';') are dropped. Throws SyntaxError.
std::vector<CommandLine> parse_commands(std::string_view text);

}  // namespace strata::cli
