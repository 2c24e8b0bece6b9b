// History reads (docs/guides/branches.md, "History"): every retained
// version of one entity of a primitive, newest first, tombstones included,
// one page at a time (HistoryRequest). A fork's history is its own versions,
// then its parent's up to the fork point. Events are their own history
// (event_range).
#pragma once

#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/types.hpp>
#include <strata/vector.hpp>

#include <string_view>
#include <vector>

namespace strata::ops {

struct KvHistory {
  using Result = std::vector<VersionedValue>;
  const detail::RunRef& run;
  std::string_view key;
  HistoryRequest page{};
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// A cell's versions (what state_cas expects is each one's version).
struct StateHistory {
  using Result = std::vector<VersionedValue>;
  const detail::RunRef& run;
  std::string_view cell;
  HistoryRequest page{};
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// The whole document as of each version that changed it.
struct JsonHistory {
  using Result = std::vector<VersionedValue>;
  const detail::RunRef& run;
  std::string_view key;
  HistoryRequest page{};
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// A vector's versions in the collection as it is now (a collection
/// dropped and created again starts a new history).
struct VectorHistory {
  using Result = std::vector<VectorVersion>;
  const detail::RunRef& run;
  std::string_view collection;
  std::string_view key;
  HistoryRequest page{};
  detail::Outcome<Result> read(detail::Engine& e) const;
};

}  // namespace strata::ops
