// Validation of user-supplied names (docs/design/primitives.md): every rule has its own error
// code, and the detail message names the offending input and the limit.
#pragma once

#include "keys/storage_key.hpp"

#include <strata/error.hpp>
#include <strata/types.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace strata::keys {

inline constexpr std::size_t kMaxKeyBytes = 1024;
inline constexpr std::size_t kMaxRunNameChars = 128;
inline constexpr std::string_view kReservedPrefix = "_strata/";

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

/// Checks a user key. On failure returns the code and sets *detail.
error_code check_user_key(std::string_view key, std::string* detail);
/// Checks a run name: 1-128 chars of [A-Za-z0-9._-].
error_code check_run_name(std::string_view name, std::string* detail);

/// Validates a page request for a listing of `prefix` in `run` and sets
/// `from` to the storage key the listing starts at (just after the cursor's
/// key, or at the prefix). Errors: invalid_limit, invalid_cursor.
error_code list_start(RunId run, Primitive primitive, std::string_view prefix, const PageRequest& page,
                      std::string& from, std::string* detail);

/// Quotes and truncates user input for error messages.
std::string quote_for_message(std::string_view s);

}  // namespace strata::keys
