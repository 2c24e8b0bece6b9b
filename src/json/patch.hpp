// Applying a commit's edits to a JSON document (docs/design/primitives.md JSON store).
//
// The coordinator applies each transaction's edits to the *newest* version of
// the document at commit time (so that edits of disjoint paths by concurrent
// transactions merge), and records two things:
//  * the resolved edits (concrete indexes, appends and increments turned into
//    plain sets) — the redo log the WAL stores when it is smaller than the
//    whole document, and that recovery re-applies deterministically;
//  * the paths whose subtrees changed — what path-level OCC validation
//    compares against the paths other transactions read.
#pragma once

#include "json/path.hpp"

#include <strata/error.hpp>
#include <strata/value.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace strata::json {

/// One edit as the user asked for it.
struct Edit {
  enum class Kind : std::uint8_t { Set, Erase, ArrayAppend, Increment, DeleteDocument };
  Kind kind = Kind::Set;
  Path path;
  Value value;  // Set: the new value; ArrayAppend: the element; Increment: the delta (Int or Float)
};

/// One edit in redo form: Set(path, value) or Erase(path); Erase of the
/// root deletes the document, Set of the root replaces it.
struct ResolvedEdit {
  enum class Kind : std::uint8_t { Set = 1, Erase = 2 };
  Kind kind = Kind::Set;
  Path path;
  Value value;
};

/// A document as the edits see it: absent, or a value.
struct Document {
  bool exists = false;
  Value value;
};

struct PatchResult {
  std::vector<ResolvedEdit> resolved;
  std::vector<Path> changed;
  std::size_t erased = 0;  // paths (or documents) actually removed
  Value last_increment;    // the new value of the last Increment
};

/// Applies `edits` in order to `doc`. On error `doc` may be partly edited
/// (callers work on a copy) and the error names the path. Errors:
/// invalid_path (no such path, index past the end, wrong container kind),
/// wrong_type (append to a non-array, increment of a non-number),
/// document_not_found (append/increment on an absent document),
/// integer_out_of_range (Int increment overflow), non_finite_float (a Float
/// increment that overflows to infinity).
error_code apply_edits(Document& doc, std::span<const Edit> edits, PatchResult& out, std::string* detail);

/// Re-applies resolved edits (recovery). false when one does not apply,
/// which for a log written by apply_edits means corruption.
bool apply_resolved(Document& doc, std::span<const ResolvedEdit> edits, std::string& why);

}  // namespace strata::json
