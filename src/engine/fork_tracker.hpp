// ForkTracker — keeps the ChangeJournal of every run that has forks
// (runs/change_journal.hpp): a commit observer that records the keys each
// commit of such a run wrote, and the rebuild of those journals on open.
// Runs that were never forked pay one flag check per commit.
#pragma once

#include "actors/shard_actor.hpp"
#include "commit/apply_commit.hpp"
#include "runs/run_registry.hpp"

namespace strata::detail {

class ForkTracker final : public commit::CommitObserver {
 public:
  explicit ForkTracker(RunRegistry& runs) : runs_(runs) {}

  void on_commit(const commit::CommitEntry& entry) override;
  /// Starts `parent`'s journal when it is forked for the first time.
  /// REQUIRES: called as the coordinator's owner, with `last_assigned` its
  /// newest version (every later write of the run is then recorded).
  static void forked(RunState& parent, Version last_assigned) { parent.journal.start(last_assigned); }
  /// After recovery: every run with forks gets its journal from its chains
  /// above its earliest fork point (one scan of those runs' keys).
  void rebuild(actors::ShardMap& shards);

 private:
  RunRegistry& runs_;
};

}  // namespace strata::detail
