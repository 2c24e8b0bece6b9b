// Stable snake_case names of strata::errc values, printed by the CLI as
// "error: <name>: <detail>" so scripts can match on them.
#pragma once

#include <strata/error.hpp>

#include <string>
#include <string_view>

namespace strata::cli {

/// "key_reserved" for errc::key_reserved, and so on; "unknown" for a value
/// outside the enum.
std::string_view errc_name(errc e) noexcept;

/// The name for any error_code: errc_name for the strata category,
/// "<category>:<value>" otherwise (e.g. "system:2").
std::string error_code_name(const error_code& ec);

}  // namespace strata::cli
