// The compact, versioned binary encoding of strata::Value used by the WAL,
// snapshots and content hashes. The byte layout is a contract documented in
// docs/formats/value-encoding.md; change it only with a new format version.
//
// Encoding is canonical: equal values (operator==) encode to identical bytes,
// except that Float keeps its exact bits (0.0 and -0.0 encode differently,
// and NaN payloads are preserved).
//
// Decoding is safe on hostile input: every read is bounds-checked, nesting is
// limited to kMaxNestingDepth, and a length or count is checked against the
// bytes that remain before anything is allocated for it.
#pragma once

#include <strata/error.hpp>
#include <strata/value.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::codec {

inline constexpr std::uint8_t kValueFormatVersion = 1;

/// Appends the encoding of `v` to `out` (no version byte).
/// Throws Error(errc::nesting_too_deep) for a value deeper than
/// kMaxNestingDepth (the decoder would refuse it); no size limit is applied
/// here, use check_value_limits for values entering the database.
void encode_value(const Value& v, std::string& out);

/// Number of bytes encode_value would append, computed without allocating.
/// Returns SIZE_MAX for a value deeper than kMaxNestingDepth (which
/// encode_value refuses); recursion stops there, so any depth is safe.
std::size_t encoded_size(const Value& v) noexcept;

/// Appends kValueFormatVersion then the encoding of `v`.
void encode_value_versioned(const Value& v, std::string& out);

/// Decodes one value from the front of `in` and, on success, advances `in`
/// past it. On failure returns Null, sets `ec` and leaves `in` unchanged.
/// Errors: codec_truncated (input ends early, or a length/count claims more
/// than remains), codec_bad_tag (unknown tag byte), nesting_too_deep,
/// invalid_input (non-canonical encoding: overlong varint, object keys not in
/// strictly increasing order).
Value decode_value(std::string_view& in, error_code& ec);

/// Decodes a version byte and one value that must fill all of `in`.
/// Errors: those of decode_value, plus codec_truncated for empty input,
/// codec_bad_version for an unknown version byte, and invalid_input when
/// bytes remain after the value.
Value decode_value_versioned(std::string_view in, error_code& ec);

/// Checks the rules for a value entering the database:
/// depth <= kMaxNestingDepth (else errc::nesting_too_deep), then
/// encoded_size <= kMaxValueBytes (else errc::value_too_large).
/// On failure, fills *detail (if non-null) with a message naming the
/// measured depth or size and the limit. Returns {} when the value is fine.
error_code check_value_limits(const Value& v, std::string* detail = nullptr);

/// The depth and size rules of check_value_limits only — for a value built
/// from parts that each passed check_value_limits already (a JSON document
/// after an edit: its old content was stored, the new parts were checked),
/// so its text and numbers need no second walk.
error_code check_value_shape(const Value& v, std::string* detail = nullptr);

/// Unsigned LEB128: 7 bits per byte, low group first, high bit = "more".
void put_varint(std::string& out, std::uint64_t x);

/// Number of bytes put_varint(x) appends (1..10).
std::size_t varint_size(std::uint64_t x) noexcept;

/// Reads one varint from the front of `in` and advances past it. Returns
/// false (leaving `in` and `x` unchanged) when the input ends inside the
/// varint, the value exceeds 64 bits, or the encoding is not minimal (a
/// trailing 0x00 group), so every uint64 has exactly one accepted encoding.
bool get_varint(std::string_view& in, std::uint64_t& x);

}  // namespace strata::codec
