// UTF-8 validation, shared by keys, values, event types and JSON paths.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata::utf8 {

/// True when `s` is well-formed UTF-8: no overlong forms, no UTF-16
/// surrogates, nothing above U+10FFFF. ASCII runs are checked eight bytes at
/// a time (values and keys are mostly ASCII).
bool is_valid(std::string_view s) noexcept;

/// `s` in double quotes for an error message, always valid UTF-8: at most
/// `max_bytes` of it (cut on a character boundary, then "..."), NUL as \0,
/// quotes escaped, control characters and bytes that are not valid UTF-8 as
/// \xNN.
std::string quote(std::string_view s, std::size_t max_bytes = 64);

}  // namespace strata::utf8
