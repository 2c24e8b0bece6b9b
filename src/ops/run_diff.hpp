// diff_runs (docs/guides/branches.md, "Diff"): what differs between two
// runs at one point, per primitive.
//
// When one run descends from the other, only the keys either side changed
// since the fork are compared: the descendant's own chains (and those of
// the runs between them) and the ancestor's ChangeJournal since the fork
// point — O(changes since the fork). Otherwise every live entry of both
// runs is (O(size of both)).
#pragma once

#include "engine/engine.hpp"
#include "engine/outcome.hpp"
#include "json/path.hpp"

#include <strata/types.hpp>

#include <optional>
#include <string_view>

namespace strata::ops {

/// Errors: run_not_found, invalid_run_name, invalid_input (as_of after the
/// newest commit).
struct DiffRuns {
  using Result = RunDiff;
  std::string_view a;
  std::string_view b;
  std::optional<AsOf> as_of{};
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// The paths at which two JSON values differ ("$" when they differ at the
/// root or in kind): members present in one only, or changed leaves;
/// arrays of different lengths are one change at the array's path.
std::vector<std::string> changed_paths(const Value& a, const Value& b);
/// changed_paths() as paths.
std::vector<json::Path> changed_json_paths(const Value& a, const Value& b);

}  // namespace strata::ops
