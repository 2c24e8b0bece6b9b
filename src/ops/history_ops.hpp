// History reads (docs/guides/branches.md, "History"): every retained
// version of one entity of a primitive, newest first, tombstones included,
// one page at a time (HistoryRequest). A fork's history is its own versions,
// then its parent's up to the fork point. Events are their own history
// (event_range).
#pragma once

#include "engine/engine.hpp"
#include "engine/outcome.hpp"
#include "keys/storage_key.hpp"

#include <strata/types.hpp>
#include <strata/vector.hpp>

#include <string_view>
#include <vector>

namespace strata::ops {

/// The versions of one KV key, state cell (each with the version state_cas
/// expects) or JSON document (the whole document as of each version that
/// changed it): one storage key per entity, so one operation for the three.
template <keys::Primitive P>
struct EntityHistory {
  using Result = std::vector<VersionedValue>;
  const detail::RunRef& run;
  std::string_view key;  // the user key, cell or document key
  HistoryRequest page{};
  detail::Outcome<Result> read(detail::Engine& e) const;
};
using KvHistory = EntityHistory<keys::Primitive::Kv>;
using StateHistory = EntityHistory<keys::Primitive::State>;
using JsonHistory = EntityHistory<keys::Primitive::Json>;

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
