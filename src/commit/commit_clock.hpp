// CommitClock — when each commit happened: (version, wall-clock µs) pairs
// in version order, so a time-travel read at a timestamp finds the newest
// commit at or before it.
//
// Fed like every derived index: live and replayed commits arrive as a
// CommitObserver, in order; a snapshot's commits are noted from its version
// nodes (each carries its commit's version and timestamp), in any order, and
// sorted once when the snapshot is loaded. A commit whose every key was
// erased since (its run deleted) is missing after a reopen; resolving a
// time to the commit before it gives the same state for every run that
// still exists, since none of their keys changed at the missing version.
//
// 16 bytes per commit. Thread safety: the observer side runs as the
// coordinator's owner (or on the opening thread); lookups from any thread
// take the mutex.
#pragma once

#include "commit/apply_commit.hpp"

#include <strata/types.hpp>

#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace strata::commit {

class CommitClock final : public CommitObserver {
 public:
  void on_commit(const CommitEntry& entry) override { record(entry.version, entry.timestamp_us); }
  /// A commit, in version order after every one recorded so far.
  void record(Version v, std::int64_t timestamp_us);
  /// A commit seen while recovering (a snapshot's version nodes, replayed
  /// commits' keys): any order, repeats allowed, until snapshot_loaded().
  /// Recovery is single-threaded: note() takes no lock.
  void note(Version v, std::int64_t timestamp_us);
  /// Sorts what was noted; record() and lookups may follow.
  void snapshot_loaded();

  /// The newest commit with a timestamp at or before `timestamp_us`
  /// (0 when there is none).
  Version version_at(std::int64_t timestamp_us) const;
  /// The timestamp of commit `v`, if it is known.
  std::optional<std::int64_t> timestamp_of(Version v) const;
  std::size_t memory_bytes() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<Version, std::int64_t>> commits_;  // version order
};

}  // namespace strata::commit
