// strata::Strata — the synchronous facade: one handle per agent, with its own
// current run (docs/design/api.md).
//
//  * Every call has a throwing form (strata::Error, whose what() names the
//    offending key/run and limit) and a form taking error_code& (Asio
//    convention: on error, ec is set and a default result is returned).
//  * Calls run inline on the calling thread under the owning shard's lock
//    (the documented fast path of docs/architecture.md): no thread hand-off,
//    so calling the facade from a handler running on the database's own pool
//    is safe and does not deadlock.
//  * A Strata handle is cheap to copy; copies share the database and each
//    keeps its own current run. One handle is not meant to be used from two
//    threads at once (its current run is plain state); the database is.
#pragma once

#include <strata/database.hpp>
#include <strata/options.hpp>
#include <strata/transaction.hpp>
#include <strata/types.hpp>
#include <strata/value.hpp>
#include <strata/vector.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

namespace strata {

namespace detail {
struct RunState;
}

class Strata {
 public:
  /// Opens (creating if needed) the database directory `path`, recovering
  /// its state. Durability defaults to Buffered; see Options. Errors:
  /// database_locked (another Database has the directory open), corruption
  /// (naming file and offset), io, invalid_input.
  static Strata open(const std::filesystem::path& path, Options options = {});
  /// An in-memory database (no files at all).
  static Strata open_temp(Options options = {});
  /// A new handle on an existing database; current run "default".
  explicit Strata(std::shared_ptr<Database> db);

  std::shared_ptr<Database> database() const noexcept { return db_; }

  // ---- Runs ------------------------------------------------------------------
  RunInfo create_run(std::string_view name, Object metadata = {});
  RunInfo create_run(std::string_view name, Object metadata, error_code& ec);
  /// Switches this handle's current run. The handle keeps that run's
  /// identity: if it is deleted, later calls fail with run_not_found, even
  /// after another run of the same name is created. Errors: run_not_found.
  void set_run(std::string_view name);
  void set_run(std::string_view name, error_code& ec);
  const std::string& current_run() const noexcept { return run_name_; }
  std::vector<RunInfo> list_runs();
  std::vector<RunInfo> list_runs(error_code& ec);
  bool run_exists(std::string_view name);
  bool run_exists(std::string_view name, error_code& ec);
  RunInfo run_info(std::string_view name);
  RunInfo run_info(std::string_view name, error_code& ec);
  /// A SHA-256 of run `name`'s content in every primitive at `as_of`
  /// (default: now); equal content gives equal digests however it was
  /// written (docs/guides/runs.md, "Digests").
  /// Errors: run_not_found, invalid_input (as_of after the newest commit).
  RunDigest run_digest(std::string_view name, std::optional<AsOf> as_of = std::nullopt);
  RunDigest run_digest(std::string_view name, std::optional<AsOf> as_of, error_code& ec);
  /// Forks this handle's current run into a new run `name` whose content,
  /// in every primitive, is the current run's at `at` (default: now) —
  /// without copying: the fork reads the parent's history up to the fork
  /// point beneath its own writes (docs/guides/branches.md). Later writes to
  /// either run are invisible to the other. Does not switch runs; the fork's
  /// metadata starts empty. -> its info (parent and fork_version set).
  /// Errors: invalid_run_name, run_exists, invalid_input (at after the
  /// newest commit), run_not_found (the current run was deleted).
  RunInfo fork_run(std::string_view name, std::optional<AsOf> at = std::nullopt);
  RunInfo fork_run(std::string_view name, std::optional<AsOf> at, error_code& ec);
  /// What differs between runs `a` and `b` at `as_of` (default: now), per
  /// primitive (docs/guides/branches.md, "Diff"). When one descends from
  /// the other it costs O(changes since the fork); otherwise O(both sizes).
  /// Errors: run_not_found, invalid_input (as_of after the newest commit).
  RunDiff diff_runs(std::string_view a, std::string_view b, std::optional<AsOf> as_of = std::nullopt);
  RunDiff diff_runs(std::string_view a, std::string_view b, std::optional<AsOf> as_of, error_code& ec);
  /// Merges run `source` into run `target` (one must descend from the
  /// other): a three-way merge against their base at the fork point,
  /// applied to `target` as one atomic commit (docs/guides/branches.md,
  /// "Merge"). Errors: run_not_found, invalid_input (unrelated runs),
  /// merge_conflict (FailOnConflict; lists the conflicts, writes nothing),
  /// transaction_conflict (the target changed meanwhile; retry).
  MergeResult merge_run(std::string_view source, std::string_view target,
                        MergeStrategy strategy = MergeStrategy::FailOnConflict);
  MergeResult merge_run(std::string_view source, std::string_view target, MergeStrategy strategy, error_code& ec);
  /// Creates run `dest` and re-applies run `source`'s commits to it in
  /// commit order, one commit each, up to `up_to` (default: now): the new
  /// run then has the source's content at that point (equal run_digest)
  /// and the same steps in its history; events are re-appended (same
  /// sequences and payloads, new times and hashes). docs/guides/replay.md.
  /// Errors: run_not_found, run_exists, invalid_run_name, invalid_input.
  ReplayResult replay_run(std::string_view source, std::string_view dest, std::optional<AsOf> up_to = std::nullopt);
  ReplayResult replay_run(std::string_view source, std::string_view dest, std::optional<AsOf> up_to, error_code& ec);
  /// Deletes a run and all its data; returns the number of user entries
  /// removed (live KV keys, state cells, JSON documents, events).
  /// Errors: run_is_default, run_is_current (this handle's current run),
  /// run_not_found, run_has_children (delete its forks first).
  std::size_t delete_run(std::string_view name);
  std::size_t delete_run(std::string_view name, error_code& ec);
  RunInfo set_run_status(std::string_view name, RunStatus status);
  RunInfo set_run_status(std::string_view name, RunStatus status, error_code& ec);
  RunInfo set_run_metadata(std::string_view name, Object metadata);
  RunInfo set_run_metadata(std::string_view name, Object metadata, error_code& ec);

  // ---- KV (current run) ------------------------------------------------------
  /// Creates or overwrites; returns the commit version (strictly increasing).
  Version kv_put(std::string_view key, Value value);
  Version kv_put(std::string_view key, Value value, error_code& ec);
  /// With options: a TTL (PutOptions::ttl; invalid_input outside 1 ms - 2^48-1 ms).
  Version kv_put(std::string_view key, Value value, const PutOptions& options);
  Version kv_put(std::string_view key, Value value, const PutOptions& options, error_code& ec);
  std::optional<Value> kv_get(std::string_view key);
  std::optional<Value> kv_get(std::string_view key, error_code& ec);
  std::optional<Value> kv_get(std::string_view key, AsOf as_of);
  std::optional<Value> kv_get(std::string_view key, AsOf as_of, error_code& ec);
  /// Returns whether the key existed; deleting an absent key writes nothing.
  bool kv_delete(std::string_view key);
  bool kv_delete(std::string_view key, error_code& ec);
  /// Keys with `prefix` in byte order; O(log n + matches) per page.
  KeyPage kv_list(std::string_view prefix = {}, const PageRequest& page = {});
  KeyPage kv_list(std::string_view prefix, const PageRequest& page, error_code& ec);
  KeyPage kv_list(std::string_view prefix, const PageRequest& page, AsOf as_of);
  KeyPage kv_list(std::string_view prefix, const PageRequest& page, AsOf as_of, error_code& ec);
  /// Retained versions, newest first, tombstones included: all of them, or
  /// one page (HistoryRequest: limit, before). Empty when the key never
  /// existed. Errors: invalid_limit (0).
  std::vector<VersionedValue> kv_history(std::string_view key, const HistoryRequest& page = {});
  std::vector<VersionedValue> kv_history(std::string_view key, error_code& ec);
  std::vector<VersionedValue> kv_history(std::string_view key, const HistoryRequest& page, error_code& ec);

  // ---- Event log (current run) -----------------------------------------------
  /// Appends an event (payload must be an Object); returns its sequence
  /// (per run, dense, from 1). Errors: invalid_event_type, wrong_type, value limits.
  std::uint64_t event_append(std::string_view type, Value payload);
  std::uint64_t event_append(std::string_view type, Value payload, error_code& ec);
  /// The event with this sequence, or nullopt. Errors: invalid_sequence (0).
  std::optional<Event> event_read(std::uint64_t sequence);
  std::optional<Event> event_read(std::uint64_t sequence, error_code& ec);
  std::optional<Event> event_read(std::uint64_t sequence, AsOf as_of);
  std::optional<Event> event_read(std::uint64_t sequence, AsOf as_of, error_code& ec);
  /// Events of one type in sequence order, served from the per-type index.
  std::vector<Event> event_read_by_type(std::string_view type, std::optional<std::size_t> limit = {});
  std::vector<Event> event_read_by_type(std::string_view type, std::optional<std::size_t> limit, error_code& ec);
  std::vector<Event> event_read_by_type(std::string_view type, std::optional<std::size_t> limit, AsOf as_of);
  std::vector<Event> event_read_by_type(std::string_view type, std::optional<std::size_t> limit, AsOf as_of,
                                        error_code& ec);
  /// Events with from <= sequence <= to (at most `limit`). Errors: invalid_sequence.
  std::vector<Event> event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit = {});
  std::vector<Event> event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit, error_code& ec);
  std::vector<Event> event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit, AsOf as_of);
  std::vector<Event> event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit, AsOf as_of,
                                 error_code& ec);
  /// Number of events in the current run's log.
  std::uint64_t event_len();
  std::uint64_t event_len(error_code& ec);
  std::uint64_t event_len(AsOf as_of);
  std::uint64_t event_len(AsOf as_of, error_code& ec);
  /// Re-walks the hash chain; names the first sequence whose hash does not match.
  EventVerification event_verify();
  EventVerification event_verify(error_code& ec);

  // ---- State cells (current run) ---------------------------------------------
  /// Sets a state cell unconditionally; returns the commit version.
  Version state_set(std::string_view cell, Value value);
  Version state_set(std::string_view cell, Value value, error_code& ec);
  /// The cell's value and the version that wrote it (what state_cas expects).
  std::optional<VersionedValue> state_read(std::string_view cell);
  std::optional<VersionedValue> state_read(std::string_view cell, error_code& ec);
  std::optional<VersionedValue> state_read(std::string_view cell, AsOf as_of);
  std::optional<VersionedValue> state_read(std::string_view cell, AsOf as_of, error_code& ec);
  /// The cell's retained versions, newest first (each with the version
  /// state_cas expects), tombstones included; all or one page.
  std::vector<VersionedValue> state_history(std::string_view cell, const HistoryRequest& page = {});
  std::vector<VersionedValue> state_history(std::string_view cell, const HistoryRequest& page, error_code& ec);
  /// Sets the cell only if absent; returns the new version, or the existing
  /// one (no write) when the cell is set.
  Version state_init(std::string_view cell, Value value);
  Version state_init(std::string_view cell, Value value, error_code& ec);
  /// Sets the cell if its current version equals `expected` (nullopt: only if
  /// absent). Returns the new version, or nullopt on a mismatch (no write, no error).
  std::optional<Version> state_cas(std::string_view cell, std::optional<Version> expected, Value value);
  std::optional<Version> state_cas(std::string_view cell, std::optional<Version> expected, Value value, error_code& ec);

  // ---- JSON documents (current run) ------------------------------------------
  /// Sets the value at `path` ("$", "$.a.b", "$.a[3]", "$[-1]", "$[\"k k\"]"),
  /// creating intermediate objects; "$" replaces the document. An array index
  /// equal to the length appends. Errors: invalid_path, value limits.
  Version json_set(std::string_view key, std::string_view path, Value value);
  Version json_set(std::string_view key, std::string_view path, Value value, error_code& ec);
  /// The value at `path`, or nullopt when the document or path is absent.
  std::optional<Value> json_get(std::string_view key, std::string_view path);
  std::optional<Value> json_get(std::string_view key, std::string_view path, error_code& ec);
  std::optional<Value> json_get(std::string_view key, std::string_view path, AsOf as_of);
  std::optional<Value> json_get(std::string_view key, std::string_view path, AsOf as_of, error_code& ec);
  /// The whole document as of each version that changed it, newest first;
  /// a deletion of the document is a tombstone. All or one page.
  std::vector<VersionedValue> json_history(std::string_view key, const HistoryRequest& page = {});
  std::vector<VersionedValue> json_history(std::string_view key, const HistoryRequest& page, error_code& ec);
  /// Removes the value at `path` ("$" deletes the document); returns how many
  /// values were removed (0 or 1).
  std::size_t json_delete(std::string_view key, std::string_view path);
  std::size_t json_delete(std::string_view key, std::string_view path, error_code& ec);
  /// Appends to the array at `path`, atomically. Errors: document_not_found,
  /// invalid_path (nothing there), wrong_type (not an Array).
  Version json_array_append(std::string_view key, std::string_view path, Value value);
  Version json_array_append(std::string_view key, std::string_view path, Value value, error_code& ec);
  /// Adds `delta` (Int or Float) to the number at `path`, atomically; returns
  /// the new value. Int + Int stays Int (overflow: integer_out_of_range).
  Value json_incr(std::string_view key, std::string_view path, Value delta);
  Value json_incr(std::string_view key, std::string_view path, Value delta, error_code& ec);
  /// Document keys with `prefix` in byte order, paginated like kv_list.
  KeyPage json_list(std::string_view prefix = {}, const PageRequest& page = {});
  KeyPage json_list(std::string_view prefix, const PageRequest& page, error_code& ec);
  KeyPage json_list(std::string_view prefix, const PageRequest& page, AsOf as_of);
  KeyPage json_list(std::string_view prefix, const PageRequest& page, AsOf as_of, error_code& ec);

  // ---- Vector store (current run; docs/guides/vectors.md) ----------------------
  /// Creates a collection of `dimension`-float vectors scored by `metric`.
  /// Returns the commit version. Errors: invalid_collection_name,
  /// invalid_dimension, invalid_input (options), collection_exists.
  Version vector_create_collection(std::string_view name, std::size_t dimension, Metric metric,
                                   const CollectionOptions& options = {});
  Version vector_create_collection(std::string_view name, std::size_t dimension, Metric metric,
                                   const CollectionOptions& options, error_code& ec);
  /// Deletes a collection; its vectors are freed in the background. Errors:
  /// collection_not_found.
  Version vector_delete_collection(std::string_view name);
  Version vector_delete_collection(std::string_view name, error_code& ec);
  /// Every collection of the current run, by name.
  std::vector<CollectionInfo> vector_list_collections();
  std::vector<CollectionInfo> vector_list_collections(error_code& ec);
  CollectionInfo vector_collection_info(std::string_view name);
  CollectionInfo vector_collection_info(std::string_view name, error_code& ec);
  /// Creates or replaces the vector under `key`; returns the commit version.
  /// Errors: collection_not_found, dimension_mismatch, invalid_vector (a
  /// component not finite), key rules, value rules for the metadata.
  Version vector_upsert(std::string_view collection, std::string_view key, std::span<const float> vector,
                        const std::optional<Value>& metadata = std::nullopt);
  Version vector_upsert(std::string_view collection, std::string_view key, std::span<const float> vector,
                        const std::optional<Value>& metadata, error_code& ec);
  /// Many vectors in one commit (all or none).
  Version vector_upsert_batch(std::string_view collection, std::span<const VectorRecord> records);
  Version vector_upsert_batch(std::string_view collection, std::span<const VectorRecord> records, error_code& ec);
  std::optional<VectorEntry> vector_get(std::string_view collection, std::string_view key);
  std::optional<VectorEntry> vector_get(std::string_view collection, std::string_view key, error_code& ec);
  std::optional<VectorEntry> vector_get(std::string_view collection, std::string_view key, AsOf as_of);
  std::optional<VectorEntry> vector_get(std::string_view collection, std::string_view key, AsOf as_of,
                                        error_code& ec);
  /// The vector's retained versions in the collection (as created now),
  /// newest first, deletions as tombstones. Errors: collection_not_found.
  std::vector<VectorVersion> vector_history(std::string_view collection, std::string_view key,
                                            const HistoryRequest& page = {});
  std::vector<VectorVersion> vector_history(std::string_view collection, std::string_view key,
                                            const HistoryRequest& page, error_code& ec);
  /// Returns whether the vector existed.
  bool vector_delete(std::string_view collection, std::string_view key);
  bool vector_delete(std::string_view collection, std::string_view key, error_code& ec);
  /// The k best matches, best first (ties by key), among the vectors that
  /// satisfy options.filter; exact about the committed state when the
  /// search starts. Errors: collection_not_found, dimension_mismatch,
  /// invalid_vector, invalid_k, invalid_filter.
  std::vector<VectorMatch> vector_search(std::string_view collection, std::span<const float> query, std::size_t k,
                                         const VectorSearchOptions& options = {});
  std::vector<VectorMatch> vector_search(std::string_view collection, std::span<const float> query, std::size_t k,
                                         const VectorSearchOptions& options, error_code& ec);

  /// Blocks until the vector indexes caught up with every commit so far
  /// (graphs built, churn compacted). Searches never need it — they are
  /// exact about the committed state at any time — but after a bulk load it
  /// makes the next searches fast from the start, and benchmarks measure
  /// steady state with it.
  void vector_wait_indexed();

  // ---- Transactions ------------------------------------------------------------
  /// An explicit transaction on the current run.
  Transaction begin();
  Transaction begin(error_code& ec);
  /// A read-only transaction of the current run as it was at `as_of`:
  /// every read sees that version, every write is errc::read_only, and
  /// commit returns the snapshot version. Errors: invalid_input (a point
  /// after the newest commit).
  Transaction begin(AsOf as_of);
  Transaction begin(AsOf as_of, error_code& ec);

  /// Runs fn(tx) in a transaction on the current run and commits; retries on
  /// transaction_conflict with jittered exponential back-off up to
  /// Options::max_transaction_attempts, then throws Error(transaction_conflict).
  /// Returns fn's result. Exceptions from fn roll back and propagate. If fn
  /// commits or rolls back itself, its result is returned as is.
  template <class Fn>
  auto transaction(Fn&& fn) -> std::invoke_result_t<Fn&, Transaction&> {
    using R = std::invoke_result_t<Fn&, Transaction&>;
    for (int attempt = 1;; ++attempt) {
      Transaction tx = begin();
      error_code ec;
      if constexpr (std::is_void_v<R>) {
        fn(tx);
        if (!tx.active()) return;
        tx.commit(ec);
        if (!ec) return;
      } else {
        R result = fn(tx);
        if (!tx.active()) return result;
        tx.commit(ec);
        if (!ec) return result;
      }
      detail::throw_unless_retryable(db_->options(), ec, attempt);
      std::this_thread::sleep_for(detail::retry_delay(db_->options(), attempt));
    }
  }

  // ---- Database --------------------------------------------------------------
  std::string ping();
  DatabaseInfo info();
  /// Makes every acknowledged write durable now (no-op in memory). Errors:
  /// io (the WAL failed; the database refuses writes until reopened).
  void flush();
  void flush(error_code& ec);
  /// Writes a snapshot of the whole state and deletes the WAL segments it
  /// covers; writers keep going meanwhile (no-op in memory).
  void compact();
  void compact(error_code& ec);
  /// Closes the shared database for every handle.
  void close();

 private:
  friend class Session;
  std::shared_ptr<Database> db_;
  std::string run_name_ = "default";
  /// The current run, resolved once: the handle keeps its identity, so a run
  /// deleted and created again under the same name is a stranger to it.
  std::shared_ptr<detail::RunState> run_;
};

}  // namespace strata
