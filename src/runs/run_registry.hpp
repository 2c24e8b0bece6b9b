// RunRegistry: the set of runs (docs/design/primitives.md). A run is resolved from its name to
// a RunState once; operations then carry the RunState, whose id tags every
// storage key of the run. Run ids are never reused, so a run deleted and
// created again under the same name never sees the old run's data, and a
// handle that still points at the deleted run gets run_not_found.
#pragma once

#include "keys/storage_key.hpp"

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

struct RunState {
  RunState(keys::RunId id, RunInfo info) : id(id), info_(std::move(info)) {}
  const keys::RunId id;
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

using RunRef = std::shared_ptr<RunState>;

class RunRegistry {
 public:
  /// Creates the "default" run, created at `now_us`.
  explicit RunRegistry(std::int64_t now_us);

  /// nullptr when absent.
  RunRef find(std::string_view name) const;
  /// Errors: run_exists.
  RunRef create(std::string_view name, Object metadata, std::int64_t created_us, error_code& ec);
  /// Removes the name from the registry and returns the run (nullptr when
  /// absent). The caller clears `alive` and frees the data.
  RunRef remove(std::string_view name);
  std::vector<RunInfo> list() const;
  /// All runs with their states (snapshots).
  std::vector<RunRef> all() const;

  // Recovery: rebuild the registry exactly, ids included.
  void restore(keys::RunId id, RunInfo info);
  RunRef find_by_id(keys::RunId id) const;
  RunRef remove_by_id(keys::RunId id);
  keys::RunId next_id() const;
  void set_next_id(keys::RunId id);
  std::size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, RunRef, std::less<>> by_name_;
  keys::RunId next_id_ = 1;
};

}  // namespace strata::detail
