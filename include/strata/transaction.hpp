// strata::Transaction — an optimistic, snapshot-isolated transaction
// (docs/design/transactions.md).
//
// Contract:
//  * begin() pins a snapshot: the database's visible version at that moment.
//    Reads see that snapshot plus this transaction's own writes, never the
//    uncommitted or later-committed data of others.
//  * Reads are recorded in a read set, listings in read ranges; writes are
//    buffered locally until commit. At commit the coordinator aborts with
//    errc::transaction_conflict if any key this transaction read was
//    committed by someone else after the snapshot, or if anyone wrote a key
//    into a range it listed (a phantom). Blind writes (keys never read) do
//    not conflict: the last committer wins. Write skew between keys that
//    neither transaction read nor listed remains possible (snapshot
//    isolation; docs/design/transactions.md).
//  * A rejected operation (bad key, value over the limits, a JSON edit that
//    does not apply) changes nothing and leaves the transaction usable: its
//    other writes can still be committed.
//  * A commit is atomic across shards: all of its writes become visible at
//    one version, or none do. An aborted commit consumes no version.
//  * A read-only transaction never conflicts and never writes the WAL; its
//    commit() returns its snapshot version.
//  * Destroying an active transaction rolls it back.
//  * Reads and buffered writes are served inline from the snapshot (no I/O,
//    no waiting on other transactions). A Transaction is not thread-safe:
//    use one from one thread (or one coroutine) at a time.
#pragma once

#include <strata/detail/initiate.hpp>
#include <strata/types.hpp>
#include <strata/value.hpp>
#include <strata/vector.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/deferred.hpp>

#include <memory>
#include <optional>
#include <span>
#include <vector>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata {

namespace detail {
struct TxnState;
}

class Transaction {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) noexcept;
  ~Transaction();

  /// True until commit() or rollback() (whatever their outcome).
  bool active() const noexcept;
  /// The snapshot version this transaction reads at.
  Version snapshot_version() const noexcept;
  /// The run this transaction reads and writes.
  const std::string& run() const noexcept;

  // ---- KV (errors as in Strata; plus transaction_not_active) ----
  std::optional<Value> kv_get(std::string_view key);
  std::optional<Value> kv_get(std::string_view key, error_code& ec);
  void kv_put(std::string_view key, Value value);
  void kv_put(std::string_view key, Value value, error_code& ec);
  /// With a TTL, counted from the transaction's commit.
  void kv_put(std::string_view key, Value value, const PutOptions& options);
  void kv_put(std::string_view key, Value value, const PutOptions& options, error_code& ec);
  /// Whether the key existed in this transaction's view (a read: the key
  /// joins the read set).
  bool kv_delete(std::string_view key);
  bool kv_delete(std::string_view key, error_code& ec);
  /// Keys visible in this transaction's view (snapshot merged with own
  /// writes). The range the page covers joins the read ranges: the commit
  /// conflicts if another transaction wrote any key of that range after the
  /// snapshot — a change or an insert (phantom protection).
  KeyPage kv_list(std::string_view prefix = {}, const PageRequest& page = {});
  KeyPage kv_list(std::string_view prefix, const PageRequest& page, error_code& ec);

  // ---- Event log (the transaction's run) ----
  /// Buffers an append; its sequence is assigned at commit (appends of
  /// concurrent transactions never conflict with each other). Errors:
  /// invalid_event_type, wrong_type (payload not an Object), value limits.
  void event_append(std::string_view type, Value payload);
  void event_append(std::string_view type, Value payload, error_code& ec);
  /// Events of the snapshot (this transaction's own appends are not readable
  /// until it commits). Events are immutable, so reading one never conflicts.
  std::optional<Event> event_read(std::uint64_t sequence);
  std::optional<Event> event_read(std::uint64_t sequence, error_code& ec);
  std::vector<Event> event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit = {});
  std::vector<Event> event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit,
                                 error_code& ec);
  std::vector<Event> event_read_by_type(std::string_view type, std::optional<std::size_t> limit = {});
  std::vector<Event> event_read_by_type(std::string_view type, std::optional<std::size_t> limit, error_code& ec);
  /// Length of the log at the snapshot plus this transaction's pending
  /// appends. A read: the commit conflicts if another commit appended since
  /// the snapshot (so "append only if the log has n events" is safe).
  std::uint64_t event_len();
  std::uint64_t event_len(error_code& ec);

  // ---- State cells ----
  /// The cell at the snapshot, with the version that wrote it; a cell this
  /// transaction wrote reads as its pending value with version 0.
  std::optional<VersionedValue> state_read(std::string_view cell);
  std::optional<VersionedValue> state_read(std::string_view cell, error_code& ec);
  void state_set(std::string_view cell, Value value);
  void state_set(std::string_view cell, Value value, error_code& ec);
  /// Writes only when the cell is absent in this transaction's view; returns
  /// whether it wrote.
  bool state_init(std::string_view cell, Value value);
  bool state_init(std::string_view cell, Value value, error_code& ec);
  /// Writes when the cell's version in this view equals `expected`
  /// (nullopt: the cell is absent); returns whether it wrote. The cell joins
  /// the read set, so the commit conflicts if another commit changed it.
  bool state_cas(std::string_view cell, std::optional<Version> expected, Value value);
  bool state_cas(std::string_view cell, std::optional<Version> expected, Value value, error_code& ec);

  // ---- JSON documents ----
  /// Path-level isolation: the paths read or edited join the read set, and
  /// the commit conflicts only if another commit changed an overlapping path
  /// (one a prefix of the other) of the same document; edits of disjoint
  /// paths by concurrent transactions both commit and merge.
  std::optional<Value> json_get(std::string_view key, std::string_view path);
  std::optional<Value> json_get(std::string_view key, std::string_view path, error_code& ec);
  void json_set(std::string_view key, std::string_view path, Value value);
  void json_set(std::string_view key, std::string_view path, Value value, error_code& ec);
  /// Returns how many values were removed (0 or 1) in this view.
  std::size_t json_delete(std::string_view key, std::string_view path);
  std::size_t json_delete(std::string_view key, std::string_view path, error_code& ec);
  void json_array_append(std::string_view key, std::string_view path, Value value);
  void json_array_append(std::string_view key, std::string_view path, Value value, error_code& ec);
  /// Returns the incremented value in this view.
  Value json_incr(std::string_view key, std::string_view path, Value delta);
  Value json_incr(std::string_view key, std::string_view path, Value delta, error_code& ec);
  /// Document keys in this view; the range the page covers joins the read
  /// ranges, as for kv_list (an edit of a listed document, or a new document
  /// in the range, conflicts).
  KeyPage json_list(std::string_view prefix = {}, const PageRequest& page = {});
  KeyPage json_list(std::string_view prefix, const PageRequest& page, error_code& ec);

  // ---- Vector store ----
  /// Vector writes commit atomically with the transaction's other writes.
  /// The collection's record joins the read set, so the commit conflicts if
  /// the collection was dropped or replaced meanwhile. Errors as in Strata.
  /// Searching is not offered inside a transaction: search the database
  /// (which sees every committed vector) after the commit.
  void vector_upsert(std::string_view collection, std::string_view key, std::span<const float> vector,
                     const std::optional<Value>& metadata = std::nullopt);
  void vector_upsert(std::string_view collection, std::string_view key, std::span<const float> vector,
                     const std::optional<Value>& metadata, error_code& ec);
  /// Many vectors at once: every record is checked before any is buffered,
  /// so a rejected record leaves the transaction as it was.
  void vector_upsert_batch(std::string_view collection, std::span<const VectorRecord> records);
  void vector_upsert_batch(std::string_view collection, std::span<const VectorRecord> records, error_code& ec);
  /// Whether the vector existed in this transaction's view.
  bool vector_delete(std::string_view collection, std::string_view key);
  bool vector_delete(std::string_view collection, std::string_view key, error_code& ec);
  /// The vector in this transaction's view (own writes first; version 0 for
  /// a vector this transaction wrote). Joins the read set.
  std::optional<VectorEntry> vector_get(std::string_view collection, std::string_view key);
  std::optional<VectorEntry> vector_get(std::string_view collection, std::string_view key, error_code& ec);

  /// Validates and commits; returns the commit version (the snapshot version
  /// for a read-only transaction). Errors: transaction_conflict,
  /// transaction_not_active, run_not_found (run deleted meanwhile).
  /// The transaction is inactive afterwards, whatever the outcome.
  Version commit();
  Version commit(error_code& ec);

  /// Discards buffered writes. No effect when not active.
  void rollback() noexcept;

  /// Asynchronous commit. Completion signature: void(error_code, Version).
  /// Handler executor: the handler's associated executor, default the
  /// database's. Cancellation: not supported in InMemory mode (the commit
  /// completes during initiation; the handler is still posted).
  /// Lifetime: the Transaction must stay alive until initiation (for
  /// deferred tokens: until the operation is awaited/launched).
  template <class Token = boost::asio::deferred_t>
  auto async_commit(Token&& token = {}) {
    return detail::initiate<Version>(std::forward<Token>(token), executor_,
                                     [this](detail::Completion<Version> c) { start_commit(std::move(c)); });
  }

 private:
  friend class Database;
  friend class Strata;
  friend class Session;
  friend class SessionDispatch;
  Transaction(std::unique_ptr<detail::TxnState> state, boost::asio::any_io_executor ex);
  void start_commit(detail::Completion<Version> completion);

  std::unique_ptr<detail::TxnState> state_;
  boost::asio::any_io_executor executor_;
};

}  // namespace strata
