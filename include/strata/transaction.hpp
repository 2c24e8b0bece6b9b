// strata::Transaction — an optimistic, snapshot-isolated transaction
// (SPEC §6).
//
// Contract:
//  * begin() pins a snapshot: the database's visible version at that moment.
//    Reads see that snapshot plus this transaction's own writes, never the
//    uncommitted or later-committed data of others.
//  * Reads are recorded in a read set; writes are buffered locally until
//    commit. At commit the coordinator aborts with errc::transaction_conflict
//    if any key this transaction read was committed by someone else after the
//    snapshot. Blind writes (keys never read) do not conflict: the last
//    committer wins. Write skew is possible (snapshot isolation, not
//    serializability).
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

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/deferred.hpp>

#include <memory>
#include <optional>
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
  /// Whether the key existed in this transaction's view (a read: the key
  /// joins the read set).
  bool kv_delete(std::string_view key);
  bool kv_delete(std::string_view key, error_code& ec);
  /// Keys visible in this transaction's view (snapshot merged with own
  /// writes). Listed keys join the read set; keys that others insert into
  /// the range later do not cause a conflict (no phantom protection).
  KeyPage kv_list(std::string_view prefix = {}, const PageRequest& page = {});
  KeyPage kv_list(std::string_view prefix, const PageRequest& page, error_code& ec);

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
  Transaction(std::unique_ptr<detail::TxnState> state, boost::asio::any_io_executor ex);
  void start_commit(detail::Completion<Version> completion);

  std::unique_ptr<detail::TxnState> state_;
  boost::asio::any_io_executor executor_;
};

}  // namespace strata
