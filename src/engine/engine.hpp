// Engine — the database core behind Database, Strata, Transaction and
// Session: it owns the actors (shards, coordinator, WAL writer), the run
// registry and the storage directory, and runs operations.
//
// Operations are not methods of the Engine: each is a small struct in
// src/ops/ (one per operation, written once), and the drivers run them —
// engine/op_driver.hpp turns an operation into its synchronous and
// asynchronous forms, engine/commit_driver.hpp submits the commits they
// prepare. The Engine supplies what both need: read views, run resolution,
// the usability checks, and the commit path.
#pragma once

#include "actors/coordinator.hpp"
#include "actors/read_view.hpp"
#include "actors/shard_actor.hpp"
#include "actors/wal_writer.hpp"
#include "compaction/compactor.hpp"
#include "engine/fork_tracker.hpp"
#include "engine/outcome.hpp"
#include "io/file_io.hpp"
#include "io/lock_file.hpp"
#include "recovery/recovery.hpp"
#include "runs/run_registry.hpp"
#include "vector_store/vector_store.hpp"

#include <strata/detail/completion.hpp>
#include <strata/options.hpp>
#include <strata/types.hpp>

#include <boost/asio/thread_pool.hpp>

namespace strata::commit {
class CommitClock;
}

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace strata::detail {

/// Background work attached to an Engine by a higher layer (the TTL
/// reaper, ops/ttl_reaper.hpp), stopped first when the Engine closes.
class BackgroundWorker {
 public:
  virtual ~BackgroundWorker() = default;
  /// Waits for the worker's current step and ends it; idempotent.
  virtual void stop() = 0;
};

class Engine : public std::enable_shared_from_this<Engine> {
 public:
  /// Errors: invalid_input for inconsistent options; those of recovery.
  static Outcome<std::shared_ptr<Engine>> open(Options options);
  /// Closes, then drains and joins the internal pool (every pending
  /// completion handler still runs).
  ~Engine();

  /// Refuses new operations (database_closed), lets every operation already
  /// queued on an actor finish, stops the WAL writer (flushing what it
  /// holds) and the background compactor. The internal pool keeps running
  /// until the Engine is destroyed, so completion handlers — including
  /// those of operations started after close — still run on it.
  /// Idempotent. REQUIRES: not called from a handler running on the pool.
  void close();
  bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  const Options& options() const noexcept { return options_; }
  boost::asio::any_io_executor executor() const noexcept { return executor_; }

  // ---- what operations use ---------------------------------------------------
  /// database_closed when closed, with a detail.
  error_code check_open(std::string& detail) const;
  /// check_open, then run_not_found for a deleted run.
  error_code usable(const RunState& run, std::string& detail) const;
  /// The run named `name`. Errors: database_closed, invalid_run_name, run_not_found.
  Outcome<RunRef> resolve_run(std::string_view name) const;
  /// A view of `run` at the visible version (what auto-commit reads see).
  actors::ReadView view(const RunState& run) const noexcept {
    return {*shards_, run, coordinator_->visible()};
  }
  actors::ReadView view(const RunState& run, Version snapshot) const noexcept { return {*shards_, run, snapshot}; }
  Version visible() const noexcept { return coordinator_->visible(); }
  /// The version a time-travel read at `as_of` reads (unset: the visible
  /// one). Errors: invalid_input for a point after the newest commit.
  Outcome<Version> resolve(const std::optional<AsOf>& as_of) const;
  /// The view of `run` at `version`, which `as_of` resolved to: TTLs are
  /// judged at that point's time (its own, or its commit's), not now. Unset
  /// as_of: view(run, version), TTLs judged at each read.
  actors::ReadView view_as_of(const RunState& run, const std::optional<AsOf>& as_of, Version version) const;
  const commit::CommitClock& clock() const noexcept { return *clock_; }

  RunRegistry& runs() noexcept { return *runs_; }
  actors::ShardMap& shards() noexcept { return *shards_; }
  actors::Coordinator& coordinator() noexcept { return *coordinator_; }
  actors::WalWriter& wal() noexcept { return *wal_; }
  vector_store::VectorStore& vectors() noexcept { return *vectors_; }
  /// After every acknowledged commit: starts a background compaction when
  /// the WAL has grown past Options::auto_compact_wal_bytes.
  void after_commit() { compactor_.maybe_start(); }
  /// Takes ownership of `w`; close() stops it before anything else.
  void attach_worker(std::unique_ptr<BackgroundWorker> w) { workers_.push_back(std::move(w)); }

  // ---- database ----------------------------------------------------------------
  DatabaseInfo info();
  /// Makes every acknowledged write durable now (no-op in memory).
  io::IoStatus flush();
  /// Writes a snapshot and drops the WAL segments it covers, while writers
  /// keep going (no-op in memory).
  io::IoStatus compact();
  /// flush() and compact() without waiting on the caller's thread: cb is
  /// called once, from the WAL's I/O thread or the compaction's own thread.
  void flush_async(std::function<void(io::IoStatus)> cb);
  void compact_async(std::function<void(io::IoStatus)> cb);

 private:
  friend class EngineRecoverySink;
  explicit Engine(Options options);
  io::IoStatus open_storage();
  /// Runs fn(shard) on every shard's strand, and waits until all ran (every
  /// message queued before it has run too: strands are FIFO).
  void drain_actors();

  Options options_;
  std::unique_ptr<boost::asio::thread_pool> pool_;  // unset on the embedder's executor
  boost::asio::any_io_executor executor_;
  std::unique_ptr<actors::WalWriter> wal_;
  std::unique_ptr<actors::ShardMap> shards_;
  std::unique_ptr<actors::Coordinator> coordinator_;
  std::unique_ptr<RunRegistry> runs_;
  std::unique_ptr<vector_store::VectorStore> vectors_;  // a commit observer of coordinator_
  std::unique_ptr<commit::CommitClock> clock_;         // another
  std::unique_ptr<ForkTracker> forks_;                 // another
  std::int64_t opened_us_ = 0;
  std::atomic<bool> closed_{false};

  // Persistent databases only.
  std::unique_ptr<io::FileIo> io_;
  io::LockFile lock_;
  recovery::RecoveredState recovered_;
  compaction::Compactor compactor_;
  std::vector<std::unique_ptr<BackgroundWorker>> workers_;  // after compactor_: destroyed first
};

}  // namespace strata::detail
