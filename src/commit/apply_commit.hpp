// apply_commit — the one way a commit's changes reach the version chains,
// used by the coordinator for live commits and by recovery for replayed
// ones (docs/architecture.md, "One apply path").
//
// Order within a commit: writes, then events (event key, type-index key,
// then the log head), then JSON documents — the three touch disjoint keys.
// After installing, every CommitObserver is told, in commit order; derived
// indexes (vector, text) plug in there, so they are fed the same way live
// and during recovery.
#pragma once

#include "commit/commit_entry.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace strata::commit {

/// Where applied changes go: the shards (live, recovery) or a test double.
class ApplyTarget {
 public:
  virtual ~ApplyTarget() = default;
  /// Appends a version to `key`'s chain. Versions of one key arrive in
  /// increasing order. `ttl_ms`: a KV value's time to live (0: none).
  virtual void install(std::string_view key, Version version, std::int64_t timestamp_us, bool tombstone,
                       Value&& value, std::uint64_t ttl_ms) = 0;
  /// The newest value of `key` installed so far (nullopt: absent or deleted).
  virtual std::optional<Value> latest(std::string_view key) = 0;
};

/// Told about every applied commit, after its changes are installed and
/// before the next commit is applied. Runs as the coordinator's owner (live)
/// or on the opening thread (recovery): it must be quick — record what
/// changed and do heavy work elsewhere (e.g. an index that catches up in the
/// background). Values in `entry` may have been moved out; keys, tombstone
/// flags, event sequences and types are intact.
class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  virtual void on_commit(const CommitEntry& entry) = 0;
};

/// Installs `entry` into `target`, then tells each observer. Returns why the
/// commit does not apply (empty on success): an event sequence that does not
/// follow the log head, or a JSON edit that does not fit the document —
/// for a live commit that is a bug, for a replayed one corruption.
std::string apply_commit(CommitEntry& entry, ApplyTarget& target, std::span<CommitObserver* const> observers = {});

}  // namespace strata::commit
