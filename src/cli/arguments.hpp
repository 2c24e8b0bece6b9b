// Typed readings of command words: JSON literals, objects, integers.
// Failures are strata::Error with the codes the library uses for the same
// problem, naming the word.
#pragma once

#include "cli/command_parser.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace strata::cli {

/// A VALUE: the token's JSON reading. A bare word that is not JSON is
/// invalid_json (never silently a string), with a hint how to quote it.
Value parse_value(const Token& t);

/// An OBJECT (event payloads): a JSON object, else wrong_type.
Object parse_object(const Token& t, std::string_view what);

/// A SEQ or VERSION: decimal digits only, else invalid_input naming `what`.
std::uint64_t parse_unsigned(const Token& t, std::string_view what);

/// A duration: digits then a unit — ms, s, m, h or d ("30s", "500ms",
/// "7d") — in ms; else invalid_input naming `what`.
std::uint64_t parse_duration_ms(std::string_view text, std::string_view what);

/// state cas's expectation: "none" (the cell must be absent) or a VERSION.
std::optional<Version> parse_expected_version(const Token& t);

}  // namespace strata::cli
