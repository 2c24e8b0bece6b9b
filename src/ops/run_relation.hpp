// How two runs are related by forks, and which keys they may differ in —
// shared by diff_runs and merge_run (docs/guides/branches.md).
#pragma once

#include "engine/engine.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace strata::ops {

/// A storage key without its run tag: the same entry in any run.
using Suffix = std::string;

/// `run`'s storage key for `suffix`.
std::string in_run(const detail::RunState& run, std::string_view suffix);

/// A descendant reaches `ancestor` through `path` (the descendant first,
/// the ancestor excluded); `fork` is the version the run next to the
/// ancestor was forked at — the common base is the ancestor at `fork`.
struct Relation {
  const detail::RunState* ancestor = nullptr;
  std::vector<const detail::RunState*> path;
  Version fork = 0;
};

/// The relation when `from` descends from `ancestor`, else nullopt.
std::optional<Relation> descends(const detail::RunState& from, const detail::RunState& ancestor);

/// Every chain of `run`'s own keys (any version) as suffixes into `out`;
/// with `after`, only chains written after that version.
void own_keys(detail::Engine& e, const detail::RunState& run, std::optional<Version> after, std::set<Suffix>& out);

/// The keys two related runs may differ in at `snapshot` (suffixes, every
/// primitive): the descendant side's own chains and the ancestor's writes
/// after the fork (its ChangeJournal, or a scan of its keys when the fork
/// is older than the journal). O(changes since the fork).
std::set<Suffix> change_candidates(detail::Engine& e, const Relation& r, Version snapshot);

}  // namespace strata::ops
