// Metadata filters of vector searches (docs/guides/vectors.md, "Filters").
//
// A filter is a Value, an Object whose members are all required to hold:
//   {"field": v}                    the metadata Object's member `field` equals v
//   {"field": {"$op": v, ...}}      operators, all required: $eq $ne $gt $gte
//                                   $lt $lte $in (v an Array) $contains
//   {"$and": [f, ...]}, {"$or": [f, ...]}, {"$not": f}
// Equality is Value equality (kinds must match: 1 is not 1.0); ordering
// compares numbers numerically (Int with Float) and Strings byte-wise, and
// never matches values of other kinds. $contains matches an Array holding
// v, or a String holding the String v. A missing field matches only $ne and
// $not. Metadata that is not an Object has no fields.
#pragma once

#include <strata/error.hpp>
#include <strata/value.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata::vector {

class Filter {
 public:
  /// Compiles `spec`. Errors: invalid_filter, with a detail naming the bad
  /// part. Limits: nesting ≤ 32 levels, ≤ 1024 conditions.
  static error_code compile(const Value& spec, Filter& out, std::string* detail);

  /// Whether `metadata` (null: none) satisfies the filter. An empty filter
  /// matches everything.
  bool matches(const Value* metadata) const;
  bool empty() const noexcept { return root_ == nullptr; }

  /// A condition every match must meet: top-level `field` equal to one of
  /// `values` (an equality or $in of the filter's outer conjunction).
  struct EqualityTerms {
    std::string field;
    std::vector<Value> values;
  };
  /// Every such condition of the filter: a metadata index can then list the
  /// candidates of one instead of testing every vector.
  std::vector<EqualityTerms> equality_terms() const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

inline constexpr std::size_t kMaxFilterDepth = 32;
inline constexpr std::size_t kMaxFilterConditions = 1024;

}  // namespace strata::vector
