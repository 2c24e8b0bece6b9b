// Engine — the database core behind Database, Strata and Transaction. Each
// operation is implemented once here, as a function returning Outcome<T>;
// the sync facade calls it directly and the async front end completes a
// handler with its result, so the two front ends cannot drift apart.
#pragma once

#include "actors/coordinator.hpp"
#include "actors/shard_actor.hpp"
#include "actors/wal_writer.hpp"
#include "engine/auto_commit.hpp"
#include "engine/outcome.hpp"
#include "io/file_io.hpp"
#include "io/lock_file.hpp"
#include "recovery/recovery.hpp"
#include "runs/run_registry.hpp"

#include <strata/detail/completion.hpp>

#include <strata/options.hpp>
#include <strata/types.hpp>

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <unordered_set>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::detail {

struct TxnState;

class Engine : public std::enable_shared_from_this<Engine> {
 public:
  /// Errors: invalid_input for inconsistent options.
  static Outcome<std::shared_ptr<Engine>> open(Options options);
  ~Engine();

  void close();
  bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  const Options& options() const noexcept { return options_; }
  boost::asio::any_io_executor executor() const noexcept { return executor_; }

  // ---- runs ----
  Outcome<RunRef> resolve_run(std::string_view name) const;
  Outcome<RunInfo> create_run(std::string_view name, Object metadata);
  Outcome<std::size_t> delete_run(std::string_view name);
  Outcome<std::vector<RunInfo>> list_runs() const;
  Outcome<RunInfo> run_info(std::string_view name) const;
  Outcome<bool> run_exists(std::string_view name) const;
  Outcome<RunInfo> update_run(std::string_view name, std::optional<RunStatus> status,
                              std::optional<Object> metadata);

  /// Async driver for the run-lifecycle operations (create/delete/update):
  /// runs op() inline — its WAL record is logged as the coordinator's owner
  /// — but instead of waiting for the record to be acknowledged (Strict),
  /// completes `c` from the WAL's I/O thread when it is.
  template <class T, class Op>
  void run_change_async(Op&& op, Completion<T> c);

  // ---- kv (auto-commit) ----
  Outcome<Version> kv_put(const RunState& run, std::string_view key, Value value);
  Outcome<std::optional<Value>> kv_get(const RunState& run, std::string_view key);
  /// kv_get for the async front end: runs inline when the key's shard is
  /// free at once, else as a message on the shard's strand (never waits).
  void kv_get_async(const RunState& run, std::string_view key, Completion<std::optional<Value>> completion);
  Outcome<bool> kv_delete(const RunState& run, std::string_view key);
  /// Async forms of put/delete: never wait on the caller's thread (see
  /// submit_auto_commit); the completion is called exactly once.
  void kv_put_async(RunRef run, std::string_view key, Value value, Completion<Version> completion);
  void kv_delete_async(RunRef run, std::string_view key, Completion<bool> completion);
  Outcome<KeyPage> kv_list(const RunState& run, std::string_view prefix, const PageRequest& page);
  Outcome<std::vector<VersionedValue>> kv_history(const RunState& run, std::string_view key);

  // ---- event log (auto-commit appends; reads at the visible version) ----
  Outcome<std::uint64_t> event_append(const RunState& run, std::string_view type, Value payload);
  void event_append_async(RunRef run, std::string_view type, Value payload, Completion<std::uint64_t> c);
  Outcome<std::optional<Event>> event_read(const RunState& run, std::uint64_t seq);
  Outcome<std::vector<Event>> event_read_by_type(const RunState& run, std::string_view type,
                                                 std::optional<std::size_t> limit);
  Outcome<std::vector<Event>> event_range(const RunState& run, std::uint64_t from, std::uint64_t to,
                                          std::optional<std::size_t> limit);
  Outcome<std::uint64_t> event_len(const RunState& run);
  Outcome<EventVerification> event_verify(const RunState& run);

  // Snapshot forms, shared with transactions.
  std::uint64_t event_len_at(keys::RunId run, Version snapshot);
  std::optional<Event> event_at(keys::RunId run, std::uint64_t seq, Version snapshot);
  std::vector<Event> events_of_type_at(keys::RunId run, std::string_view type, std::size_t limit, Version snapshot);
  std::vector<Event> event_range_at(keys::RunId run, std::uint64_t from, std::uint64_t to, std::size_t limit,
                                    Version snapshot);

  // ---- state cells ----
  Outcome<Version> state_set(const RunState& run, std::string_view cell, Value value);
  void state_set_async(RunRef run, std::string_view cell, Value value, Completion<Version> c);
  Outcome<std::optional<VersionedValue>> state_read(const RunState& run, std::string_view cell);
  Outcome<Version> state_init(const RunState& run, std::string_view cell, Value value);
  void state_init_async(RunRef run, std::string_view cell, Value value, Completion<Version> c);
  Outcome<std::optional<Version>> state_cas(const RunState& run, std::string_view cell,
                                            std::optional<Version> expected, Value value);
  void state_cas_async(RunRef run, std::string_view cell, std::optional<Version> expected, Value value,
                       Completion<std::optional<Version>> c);

  // ---- JSON documents ----
  Outcome<Version> json_set(const RunState& run, std::string_view key, std::string_view path, Value value);
  void json_set_async(RunRef run, std::string_view key, std::string_view path, Value value, Completion<Version> c);
  Outcome<std::optional<Value>> json_get(const RunState& run, std::string_view key, std::string_view path);
  Outcome<std::size_t> json_delete(const RunState& run, std::string_view key, std::string_view path);
  void json_delete_async(RunRef run, std::string_view key, std::string_view path, Completion<std::size_t> c);
  Outcome<KeyPage> json_list(const RunState& run, std::string_view prefix, const PageRequest& page);
  Outcome<Version> json_array_append(const RunState& run, std::string_view key, std::string_view path, Value value);
  void json_array_append_async(RunRef run, std::string_view key, std::string_view path, Value value,
                               Completion<Version> c);
  Outcome<Value> json_incr(const RunState& run, std::string_view key, std::string_view path, Value delta);
  void json_incr_async(RunRef run, std::string_view key, std::string_view path, Value delta, Completion<Value> c);

  /// Live keys of `primitive` under user prefix `prefix` at `snapshot`, one
  /// page (the listing shared by kv_list and json_list).
  Outcome<KeyPage> list_page(const RunState& run, keys::Primitive primitive, std::string_view prefix,
                             const PageRequest& page, Version snapshot);

  // ---- auto-commit driver ----
  /// Commits inline and waits for the WAL when the mode defers it.
  actors::CommitOutcome commit_auto(AutoCommit& c);
  /// Through the coordinator's mailbox; never waits on the caller's thread.
  void commit_auto_async(AutoCommit c, Completion<actors::CommitOutcome> done);
  template <class T, class Map>
  Outcome<T> run_auto(Outcome<AutoCommit> prepared, Map map);
  template <class T, class Map>
  void run_auto_async(Outcome<AutoCommit> prepared, RunRef keep, Map map, Completion<T> c);

  // ---- snapshot reads (shared with transactions) ----
  /// The newest version of `storage_key` visible at `snapshot`, nullptr
  /// tombstones included. Copies out under the shard's ownership.
  struct Read {
    bool found = false;  // a live value exists at the snapshot
    Value value;
  };
  Read read_at(std::string_view storage_key, Version snapshot);
  /// The value at `path` of the document at `storage_key` (nullopt: no
  /// document, or nothing at the path).
  std::optional<Value> json_path_at(std::string_view storage_key, const json::Path& path, Version snapshot);
  /// Like read_at, with the version and timestamp of the value read.
  std::optional<VersionedValue> read_versioned_at(std::string_view storage_key, Version snapshot);
  /// Live keys under storage prefix `prefix` (>= `from`) at `snapshot`, merged
  /// across shards in byte order; at most `limit` (+1 to detect more).
  std::vector<std::string> list_at(std::string_view prefix, std::string_view from, Version snapshot,
                                   std::size_t limit);

  /// database_closed or run_not_found (deleted run), with a detail.
  error_code usable(const RunState& run, std::string& detail) const;

  // ---- transactions ----
  Outcome<std::unique_ptr<TxnState>> begin(std::string_view run);
  /// Validates and commits inline. The transaction is inactive afterwards.
  Outcome<Version> commit(TxnState& txn);
  /// Same, through the coordinator's mailbox: inline when it is free at
  /// once, else queued on its strand. `completion` is called exactly once.
  void commit_async(TxnState& txn, Completion<Version> completion);
  actors::Coordinator& coordinator() noexcept { return *coordinator_; }

  // ---- database ----
  DatabaseInfo info();
  /// Makes every acknowledged write durable now (no-op in memory).
  io::IoStatus flush();
  /// Writes a snapshot at the current version and drops the WAL segments it
  /// covers, while writers keep going (no-op in memory).
  io::IoStatus compact();

 private:
  friend class EngineRecoverySink;
  explicit Engine(Options options);
  io::IoStatus open_storage();
  /// Waits for a WAL ticket when the mode defers acknowledgement.
  io::IoStatus await_log(actors::WalWriter::Ticket t);
  /// Runs a run-lifecycle change as the coordinator's owner and logs it.
  template <class Fn>
  Outcome<RunRef> logged_run_change(Fn&& change);
  void maybe_auto_compact();
  void submit_auto_commit(RunRef run, actors::WriteIntent write, bool expect_live,
                          Completion<actors::CommitOutcome> done);
  std::size_t erase_run_data(keys::RunId id);
  io::IoStatus write_snapshot();
  using SnapshotSink = std::function<bool(std::string_view framed)>;
  std::uint64_t snapshot_shard(std::size_t shard, Version covered, const std::unordered_set<keys::RunId>& live_runs,
                               SnapshotSink& sink);

  error_code check_open(std::string& detail) const;
  Outcome<AutoCommit> prepare_event_append(const RunState& run, std::string_view type, Value payload);
  Outcome<AutoCommit> prepare_state_write(const RunState& run, std::string_view cell, Value value,
                                          std::optional<actors::Expectation::Kind> condition, Version expected);
  Outcome<AutoCommit> prepare_json(const RunState& run, std::string_view key, std::string_view path,
                                   actors::JsonOp::Kind kind, Value value);
  /// Settles commits that need no coordinator (inactive, closed, read-only).
  std::optional<Outcome<Version>> finish_without_coordinator(TxnState& txn);

  Options options_;
  std::unique_ptr<boost::asio::thread_pool> pool_;  // unset on the embedder's executor
  boost::asio::any_io_executor executor_;
  std::unique_ptr<actors::WalWriter> wal_;
  std::unique_ptr<actors::ShardMap> shards_;
  std::unique_ptr<actors::Coordinator> coordinator_;
  std::unique_ptr<RunRegistry> runs_;
  std::int64_t opened_us_ = 0;
  std::atomic<bool> closed_{false};

  // Persistent databases only.
  std::unique_ptr<io::FileIo> io_;
  io::LockFile lock_;
  recovery::RecoveredState recovered_;
  std::mutex compact_mu_;               // one compaction at a time
  std::atomic<bool> compacting_{false};  // an automatic compaction is running
  std::thread auto_compactor_;
  std::atomic<std::uint64_t> compactions_{0};
  std::atomic<std::int64_t> max_pause_us_{0};
};

template <class T, class Map>
Outcome<T> Engine::run_auto(Outcome<AutoCommit> prepared, Map map) {
  if (!prepared) return Outcome<T>::fail(prepared.ec, std::move(prepared.detail));
  actors::CommitOutcome out = commit_auto(prepared.value);
  if (out.ec) return Outcome<T>::fail(out.ec, std::move(out.detail));
  if (out.version) maybe_auto_compact();
  return Outcome<T>(map(out));
}

template <class T, class Map>
void Engine::run_auto_async(Outcome<AutoCommit> prepared, RunRef keep, Map map, Completion<T> c) {
  if (!prepared) return c(prepared.ec, T{});
  prepared.value.keep_alive = std::move(keep);
  commit_auto_async(std::move(prepared.value),
                    Completion<actors::CommitOutcome>([map, c = std::move(c)](error_code, actors::CommitOutcome out) mutable {
                      if (out.ec) return c(out.ec, T{});
                      c({}, map(out));
                    }));
}

/// Set while run_change_async runs an operation: logged_run_change then
/// hands its WAL ticket back instead of waiting on it.
inline thread_local actors::WalWriter::Ticket* t_deferred_log_wait = nullptr;

template <class T, class Op>
void Engine::run_change_async(Op&& op, Completion<T> c) {
  actors::WalWriter::Ticket ticket = 0;
  t_deferred_log_wait = &ticket;
  Outcome<T> o = op();
  t_deferred_log_wait = nullptr;
  if (o.ec || ticket == 0) return c(o.ec, std::move(o.value));
  auto shared = std::make_shared<Completion<T>>(std::move(c));
  wal_->when_acknowledged(ticket, [shared, v = std::move(o.value)](error_code ec) mutable {
    (*shared)(ec, ec ? T{} : std::move(v));
  });
}

}  // namespace strata::detail
