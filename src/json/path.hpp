// JSON paths of the JSON store (docs/design/primitives.md): `$`, `$.a.b`, `$.a[3]`, `$.a[-1]`,
// `$["key with spaces"]` — their grammar, canonical text, and the
// path-level conflict rule the transaction layer uses (docs/design/transactions.md).
//
// Grammar (whitespace anywhere outside a quoted key is an error):
//   path    := "$" segment*
//   segment := "." name                 name: 1+ bytes of [A-Za-z0-9_$-] or >= 0x80
//            | "[" index "]"            index: decimal int64, optional '-', no '+',
//                                       no leading zeros, not "-0"
//            | "[" json-string "]"      a JSON string literal (JSON escapes, may be
//                                       empty, may hold . [ ] spaces); ['...'] is not
// Bytes >= 0x80 are taken verbatim (names and quoted keys alike), so any key
// can be written and parse_path(format_path(p)) == p holds for every p within
// the limits below. A key that is not valid UTF-8 simply matches nothing:
// stored documents only hold UTF-8 keys.
#pragma once

#include <strata/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::json {

struct PathSegment {
  enum class Kind : std::uint8_t { Field, Index };
  Kind kind = Kind::Field;
  std::string field;        // Kind::Field
  std::int64_t index = 0;   // Kind::Index; negative counts from the end (-1 = last)
  friend bool operator==(const PathSegment&, const PathSegment&) = default;
};

struct Path {
  std::vector<PathSegment> segments;  // empty = the root "$"
  bool is_root() const noexcept { return segments.empty(); }
  friend bool operator==(const Path&, const Path&) = default;
};

inline constexpr std::size_t kMaxPathSegments = 128;
inline constexpr std::size_t kMaxPathBytes = 4096;

/// Parses `text` into `out` (replacing its contents). On failure returns
/// errc::invalid_path, leaves `out` unspecified, and sets *detail (when not
/// null) to a message naming the path text, the byte offset and what was
/// expected, e.g. `path "$.a[x]": expected a digit or '"' after '[' at offset 4`.
/// Too many segments (> kMaxPathSegments) or too long a text (> kMaxPathBytes)
/// are errors too.
error_code parse_path(std::string_view text, Path& out, std::string* detail);

/// Canonical text: fields matching the name grammar print as `.name`, others
/// as `["..."]` (JSON escaping; control bytes as \u00XX, bytes >= 0x80 raw);
/// indexes as `[N]`. The root is "$".
std::string format_path(const Path& p);

/// The conflict rule: true when one path is a prefix of the other (equal
/// paths overlap; the root overlaps everything). Segments are equal when
/// kind and field/index value are; a negative index equals only itself, so
/// callers compare stable_prefix() forms or resolved paths.
bool overlaps(const Path& a, const Path& b) noexcept;

/// `p` cut just before its first negative index segment ($.a[-1].b -> $.a):
/// what a reader or writer of `p` depends on when the array's length may
/// change. A path without negative indexes is returned whole.
Path stable_prefix(const Path& p);

/// True when `field` prints as `.field` (non-empty, every byte a name byte).
bool is_plain_name(std::string_view field) noexcept;

}  // namespace strata::json
