// strata::Strata — the synchronous facade: one handle per agent, with its own
// current run (SPEC §4).
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

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
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
  /// Switches this handle's current run. Errors: run_not_found.
  void set_run(std::string_view name);
  void set_run(std::string_view name, error_code& ec);
  const std::string& current_run() const noexcept { return run_name_; }
  std::vector<RunInfo> list_runs();
  std::vector<RunInfo> list_runs(error_code& ec);
  bool run_exists(std::string_view name);
  bool run_exists(std::string_view name, error_code& ec);
  RunInfo run_info(std::string_view name);
  RunInfo run_info(std::string_view name, error_code& ec);
  /// Deletes a run and all its data; returns the number of keys removed.
  /// Errors: run_is_default, run_is_current (this handle's current run),
  /// run_not_found.
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
  std::optional<Value> kv_get(std::string_view key);
  std::optional<Value> kv_get(std::string_view key, error_code& ec);
  /// Returns whether the key existed; deleting an absent key writes nothing.
  bool kv_delete(std::string_view key);
  bool kv_delete(std::string_view key, error_code& ec);
  /// Keys with `prefix` in byte order; O(log n + matches) per page.
  KeyPage kv_list(std::string_view prefix = {}, const PageRequest& page = {});
  KeyPage kv_list(std::string_view prefix, const PageRequest& page, error_code& ec);
  /// All retained versions, newest first, tombstones included. Empty when the
  /// key never existed.
  std::vector<VersionedValue> kv_history(std::string_view key);
  std::vector<VersionedValue> kv_history(std::string_view key, error_code& ec);

  // ---- Transactions ------------------------------------------------------------
  /// An explicit transaction on the current run.
  Transaction begin();
  Transaction begin(error_code& ec);

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
      db_->throw_unless_retryable(ec, attempt);
      std::this_thread::sleep_for(db_->backoff_delay(attempt));
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
  std::shared_ptr<Database> db_;
  std::string run_name_ = "default";
  std::shared_ptr<const detail::RunState> run_;  // cached resolution of run_name_
};

}  // namespace strata
