// merge_run (docs/guides/branches.md, "Merge"): a three-way merge of run
// `source` into run `target` relative to their common base — the ancestor
// at the fork point, when one run descends from the other — applied as one
// atomic commit on the target.
//
// Per entry (KV key, state cell, JSON document, vector collection, vector)
// among the keys either side changed since the fork (run_relation.hpp):
// changed in the source only -> the source's value is written; in the
// target only -> kept; in both, to the same value -> nothing; in both,
// differently -> a conflict, settled by the strategy. A JSON document both
// changed merges path by path when their changed paths do not overlap.
// Events the source appended after the fork are appended to the target in
// order, with the target's next sequences and hashes. Everything is
// computed outside the coordinator at one snapshot, and the commit carries
// every target key it looked at as its read set, so a concurrent change of
// the target fails it with transaction_conflict instead of being lost.
#pragma once

#include "engine/commit_driver.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/types.hpp>

#include <string>

namespace strata::ops {

/// Errors: run_not_found, invalid_run_name, invalid_input (the runs are the
/// same or neither descends from the other), merge_conflict
/// (FailOnConflict: the message lists the conflicts; nothing is written),
/// transaction_conflict (the target changed during the merge).
struct MergeRun {
  using Result = MergeResult;
  std::string source;
  std::string target;
  MergeStrategy strategy = MergeStrategy::FailOnConflict;
  MergeResult summary{};  // filled by prepare
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
  Result finish(const commit::CommitOutcome& out) const {
    MergeResult r = summary;
    r.version = out.nothing_written ? 0 : out.version;
    return r;
  }
};

}  // namespace strata::ops
