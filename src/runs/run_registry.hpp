// RunRegistry: the set of runs (docs/design/primitives.md). A run is resolved from its name to
// a RunState once; operations then carry the RunState, whose id tags every
// storage key of the run. Run ids are never reused, so a run deleted and
// created again under the same name never sees the old run's data, and a
// handle that still points at the deleted run gets run_not_found.
#pragma once

#include "keys/storage_key.hpp"
#include "runs/change_journal.hpp"

#include <strata/error.hpp>
#include <strata/types.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace strata::detail {

struct RunState;
using RunRef = std::shared_ptr<RunState>;

struct RunState {
  RunState(keys::RunId id, RunInfo info) : id(id), info_(std::move(info)) {}
  /// A fork: `parent` as of `fork_version` underlies this run's own writes
  /// (actors/read_view.hpp). info.parent/fork_version say the same for users.
  RunState(keys::RunId id, RunInfo info, RunRef parent, Version fork_version)
      : id(id), parent(std::move(parent)), fork_version(fork_version), info_(std::move(info)) {}
  const keys::RunId id;
  /// The run this one was forked from (nullptr: none). Set once, so reads
  /// follow it without a lock; the registry refuses to delete a run that
  /// still has children, so the parent's data outlives every fork of it.
  const RunRef parent;
  /// The parent's content at this version is this run's base.
  const Version fork_version = 0;
  /// What the run changed since it was first forked (engine/fork_tracker.hpp).
  ChangeJournal journal;
  /// Cleared (under the coordinator's ownership) when the run is deleted;
  /// commits check it, so no write lands in a deleted run.
  std::atomic<bool> alive{true};

  const std::string& name() const noexcept { return info_.name; }
  RunInfo info() const {
    std::lock_guard lock(mu_);
    return info_;
  }
  RunInfo update(std::optional<RunStatus> status, std::optional<Object> metadata) {
    std::lock_guard lock(mu_);
    if (status) info_.status = *status;
    if (metadata) info_.metadata = std::move(*metadata);
    return info_;
  }

 private:
  mutable std::mutex mu_;
  RunInfo info_;  // name never changes after construction
};

class RunRegistry {
 public:
  /// Creates the "default" run, created at `now_us`.
  explicit RunRegistry(std::int64_t now_us);

  /// nullptr when absent.
  RunRef find(std::string_view name) const;
  /// Errors: run_exists.
  RunRef create(std::string_view name, Object metadata, std::int64_t created_us, error_code& ec);
  /// A run whose base is `parent` at `fork_version`. Errors: run_exists.
  RunRef fork(std::string_view name, const RunRef& parent, Version fork_version, Object metadata,
              std::int64_t created_us, error_code& ec);
  /// The names of the runs forked directly from `run` (in name order).
  std::vector<std::string> children_of(const RunState& run) const;
  /// Removes the name from the registry and returns the run (nullptr when
  /// absent). The caller clears `alive` and frees the data.
  RunRef remove(std::string_view name);
  std::vector<RunInfo> list() const;
  /// All runs with their states (snapshots).
  std::vector<RunRef> all() const;

  // Recovery: rebuild the registry exactly, ids included.
  /// `parent_id` 0: not a fork. False when the parent is unknown (a fork
  /// is always logged after its parent, so that is corruption).
  bool restore(keys::RunId id, RunInfo info, keys::RunId parent_id = 0);
  RunRef find_by_id(keys::RunId id) const;
  RunRef remove_by_id(keys::RunId id);
  keys::RunId next_id() const;
  void set_next_id(keys::RunId id);
  std::size_t size() const;
  /// Whether any run was ever forked in this database (commit observers skip
  /// the journal lookup until then).
  bool any_forks() const noexcept { return any_forks_.load(std::memory_order_acquire); }

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, RunRef, std::less<>> by_name_;
  std::map<keys::RunId, RunRef> by_id_;  // the same runs (apply targets look runs up by key)
  keys::RunId next_id_ = 1;
  std::atomic<bool> any_forks_{false};
};

}  // namespace strata::detail
