// Reading and editing a JSON document (a strata::Value) at a json::Path —
// the pure core of json_get / json_set / json_delete (docs/design/primitives.md). No engine
// state: these functions only touch the Value they are given.
//
// Appending to an array is done by setting the index equal to its length
// ($.items[3] on a 3-element array); there is no "[-]" form. Arrays are never
// created implicitly; objects are (intermediate-object creation).
#pragma once

#include "json/path.hpp"

#include <strata/error.hpp>
#include <strata/value.hpp>

#include <cstddef>
#include <string>

namespace strata::json {

/// The value at `p`, or nullptr when any step is missing: a field absent, an
/// index out of range (after resolving negatives), or a step into a scalar or
/// the wrong container kind. The pointer lives as long as `doc` is not
/// modified.
const Value* find(const Value& doc, const Path& p) noexcept;
Value* find(Value& doc, const Path& p) noexcept;

struct EditResult {
  /// The subtree that changed, with concrete (non-negative) indexes: the
  /// target path itself, except that appending an array element or erasing
  /// one reports the ARRAY's path (the indexes of later elements shift).
  Path changed;
  /// The target path with negative indexes made concrete (what a redo log
  /// must record).
  Path resolved;
};

/// Sets the value at `p` inside `doc` (the root replaces `doc`).
///  * Missing object fields along the way are created as empty objects,
///    also when `doc` is Null (a missing document): "$.a.b" on Null gives
///    {"a":{"b":v}}. A non-root path on a Null doc must start with a field.
///  * Arrays: an index in [0, size) replaces, index == size appends, a
///    negative -i addresses size-i (must be >= 0). A larger index, or a
///    missing step under an array, is an error: arrays never grow implicitly.
///  * A field step into a non-object, or an index step into a non-array
///    (including an object this call would create), is an error naming the
///    segment and the kind found.
///  * The resulting document may not nest deeper than kMaxNestingDepth:
///    errc::nesting_too_deep (checked as path length + v.depth()).
/// Errors: errc::invalid_path (or nesting_too_deep) with *detail (when not
/// null) naming the path; `doc` is then unchanged. `result` may be null.
/// Cost: proportional to the path length and v's depth, never to the size of
/// `doc` (no copy of the document is made).
error_code set(Value& doc, const Path& p, Value v, EditResult* result, std::string* detail);

/// Removes the value at `p`. Returns 1 when something was removed, 0 when the
/// path did not exist (not an error). The root cannot be erased here
/// (callers delete the document): p.is_root() returns 0 and does nothing.
/// Erasing an array element shifts later elements left. *result (may be
/// null) is as for set() and only meaningful when 1 is returned.
std::size_t erase(Value& doc, const Path& p, EditResult* result);

}  // namespace strata::json
