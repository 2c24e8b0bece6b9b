// Internal: the pieces of the Value <-> JSON mapping (docs/design/values.md) shared by
// from_json (value_json.cpp) and parse_json (json_reader.cpp), so that both
// apply the same rules with the same messages.
#pragma once

#include <strata/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::json_mapping {

/// The sole member name of an object that stands for Bytes.
inline constexpr std::string_view kBytesKey = "$bytes";

/// Standard base64 (RFC 4648 §4 alphabet) with '=' padding.
std::string base64_encode(const Bytes& in);

/// Strict decoding: length a multiple of 4, padding only at the end, no
/// whitespace or other characters, zero bits before the padding. Returns
/// false on any violation (`out` is then unspecified).
bool base64_decode(std::string_view in, Bytes& out);

/// Error details, one per rule.
std::string bad_base64_detail(std::string_view text);
std::string uint64_out_of_range_detail(std::uint64_t u);
std::string too_deep_detail();
std::string non_finite_number_detail();

}  // namespace strata::json_mapping
