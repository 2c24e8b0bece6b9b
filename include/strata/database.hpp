// strata::Database — the asynchronous core (docs/design/api.md).
//
// Every operation is `async_xxx(args..., CompletionToken)` with exactly one
// completion signature `void(error_code, Result)`. The default token is
// boost::asio::deferred, so inside an asio::awaitable coroutine
// `co_await db->async_kv_get("default", "k")` works; use_awaitable,
// use_future, as_tuple(...) and plain callbacks work too.
//
// Rules that hold for every async_ operation:
//  * Initiation never blocks on I/O or on other operations' completion (it
//    may wait for another thread's bounded in-memory step on the same actor:
//    docs/architecture.md, "Actors and ownership"). When the result is known
//    at once (validation error, in-memory hit) it is *posted* to the
//    handler's executor, never invoked inline.
//  * Exactly once: every operation completes once — after close() with
//    database_closed, whatever the token.
//  * Errors carry their detail (error_detail(ec), ec.message()): the same
//    message the synchronous call's Error has (docs/design/errors.md).
//  * Handler executor: the handler's associated executor; default: the
//    database's executor (get_executor()).
//  * Arguments are taken by value, so deferred operations own their inputs.
//  * Lifetime: the Database must outlive every operation started on it.
//  * Cancellation: not supported yet. Reads and in-memory or Buffered
//    commits complete during initiation, so there is nothing left to cancel;
//    a Strict commit waiting for its fdatasync ignores cancellation and
//    completes when the fdatasync does (docs/guides/async.md).
//  * Thread safety: a Database may be used from any thread concurrently.
//
// Runs are named explicitly on the async core (the per-agent "current run"
// lives in the synchronous facade, strata::Strata).
#pragma once

#include <strata/detail/initiate.hpp>
#include <strata/detail/retry.hpp>
#include <strata/options.hpp>
#include <strata/transaction.hpp>
#include <strata/types.hpp>
#include <strata/value.hpp>
#include <strata/vector.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace strata {

namespace detail {
class Engine;
template <class T>
struct awaitable_result;
template <class T, class E>
struct awaitable_result<boost::asio::awaitable<T, E>> {
  using type = T;
};
}  // namespace detail

class Database {
 public:
  using executor_type = boost::asio::any_io_executor;

  /// Opens a database. With an empty options.path it lives in memory.
  /// Errors: invalid_input (inconsistent options, e.g. Buffered without a
  /// path), io.
  static std::shared_ptr<Database> open(Options options = {});
  static std::shared_ptr<Database> open(Options options, error_code& ec);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  /// Closes (see close()).
  ~Database();

  /// Refuses new operations (database_closed), lets the operations already
  /// queued on the actors finish, and stops the WAL (flushing what it holds)
  /// and compactions. The internal pool keeps running until the Database is
  /// destroyed, so handlers on it — of operations started after close too —
  /// still run; the destructor runs every pending handler, then joins the
  /// pool. Idempotent. Must not be called from a handler running on the
  /// database's own pool.
  void close();

  /// The database's executor: the internal pool's, or the embedder's.
  executor_type get_executor() const noexcept;
  const Options& options() const noexcept;

  /// Starts a transaction on `run` at the current visible version. Never
  /// blocks. Errors: run_not_found, invalid_run_name, database_closed.
  Transaction begin(std::string_view run = "default");
  Transaction begin(std::string_view run, error_code& ec);
  /// Read-only, at `as_of` (Strata::begin(AsOf)).
  Transaction begin(std::string_view run, AsOf as_of);
  Transaction begin(std::string_view run, AsOf as_of, error_code& ec);

  // ---- KV ----------------------------------------------------------------
  /// -> Version of the commit. Errors: run_not_found, invalid_run_name, key_*
  /// codes, value_too_large, nesting_too_deep.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, PutOptions>)
  auto async_kv_put(std::string run, std::string key, Value value, Token&& token = {}) {
    return async_kv_put(std::move(run), std::move(key), std::move(value), PutOptions{}, std::forward<Token>(token));
  }
  /// With options: a TTL.
  template <class Token = boost::asio::deferred_t>
  auto async_kv_put(std::string run, std::string key, Value value, PutOptions options, Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [=, this, v = std::move(value)](auto c) mutable {
      start_kv_put(std::move(run), std::move(key), std::move(v), options, std::move(c));
    });
  }
  /// -> the value, or nullopt when absent.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_kv_get(std::string run, std::string key, Token&& token = {}) {
    return op<std::optional<Value>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_kv_get(std::move(run), std::move(key), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_kv_get(std::string run, std::string key, AsOf as_of, Token&& token = {}) {
    return op<std::optional<Value>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_kv_get(std::move(run), std::move(key), as_of, std::move(c));
    });
  }
  /// -> whether the key existed (no version is consumed when it did not).
  template <class Token = boost::asio::deferred_t>
  auto async_kv_delete(std::string run, std::string key, Token&& token = {}) {
    return op<bool>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_kv_delete(std::move(run), std::move(key), std::move(c));
    });
  }
  /// -> keys starting with `prefix`, in byte order, paginated.
  /// (No default argument for `page`: g++ 12 destroys a defaulted aggregate
  /// argument twice inside `co_await`; the overload below takes its place.)
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, PageRequest>)
  auto async_kv_list(std::string run, std::string prefix, Token&& token = {}) {
    return async_kv_list(std::move(run), std::move(prefix), PageRequest(), std::forward<Token>(token));
  }
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_kv_list(std::string run, std::string prefix, PageRequest page, Token&& token = {}) {
    return op<KeyPage>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_kv_list(std::move(run), std::move(prefix), std::move(page), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_kv_list(std::string run, std::string prefix, PageRequest page, AsOf as_of, Token&& token = {}) {
    return op<KeyPage>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_kv_list(std::move(run), std::move(prefix), std::move(page), as_of, std::move(c));
    });
  }
  /// -> every retained version of the key, newest first, tombstones included.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, HistoryRequest>)
  auto async_kv_history(std::string run, std::string key, Token&& token = {}) {
    return async_kv_history(std::move(run), std::move(key), HistoryRequest{}, std::forward<Token>(token));
  }
  /// One page of it (HistoryRequest: limit, before).
  template <class Token = boost::asio::deferred_t>
  auto async_kv_history(std::string run, std::string key, HistoryRequest page, Token&& token = {}) {
    return op<std::vector<VersionedValue>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_kv_history(std::move(run), std::move(key), page, std::move(c));
    });
  }

  // ---- Event log -------------------------------------------------------------
  /// -> the event's sequence. Errors: invalid_event_type, wrong_type (payload not an Object).
  template <class Token = boost::asio::deferred_t>
  auto async_event_append(std::string run, std::string type, Value payload, Token&& token = {}) {
    return op<std::uint64_t>(std::forward<Token>(token), [this, run = std::move(run), type = std::move(type), payload = std::move(payload)](auto c) mutable {
      start_event_append(std::move(run), std::move(type), std::move(payload), std::move(c));
    });
  }
  /// -> the event, or nullopt. Errors: invalid_sequence.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_event_read(std::string run, std::uint64_t sequence, Token&& token = {}) {
    return op<std::optional<Event>>(std::forward<Token>(token), [this, run = std::move(run), sequence = std::move(sequence)](auto c) mutable {
      start_event_read(std::move(run), std::move(sequence), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_event_read(std::string run, std::uint64_t sequence, AsOf as_of, Token&& token = {}) {
    return op<std::optional<Event>>(std::forward<Token>(token), [this, as_of, run = std::move(run), sequence = std::move(sequence)](auto c) mutable {
      start_event_read(std::move(run), std::move(sequence), as_of, std::move(c));
    });
  }
  /// -> events of `type` in sequence order (per-type index).
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_event_read_by_type(std::string run, std::string type, std::optional<std::size_t> limit, Token&& token = {}) {
    return op<std::vector<Event>>(std::forward<Token>(token), [this, run = std::move(run), type = std::move(type), limit = std::move(limit)](auto c) mutable {
      start_event_read_by_type(std::move(run), std::move(type), std::move(limit), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_event_read_by_type(std::string run, std::string type, std::optional<std::size_t> limit, AsOf as_of, Token&& token = {}) {
    return op<std::vector<Event>>(std::forward<Token>(token), [this, as_of, run = std::move(run), type = std::move(type), limit = std::move(limit)](auto c) mutable {
      start_event_read_by_type(std::move(run), std::move(type), std::move(limit), as_of, std::move(c));
    });
  }
  /// -> events with from <= sequence <= to.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_event_range(std::string run, std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit, Token&& token = {}) {
    return op<std::vector<Event>>(std::forward<Token>(token), [this, run = std::move(run), from = std::move(from), to = std::move(to), limit = std::move(limit)](auto c) mutable {
      start_event_range(std::move(run), std::move(from), std::move(to), std::move(limit), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_event_range(std::string run, std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit, AsOf as_of, Token&& token = {}) {
    return op<std::vector<Event>>(std::forward<Token>(token), [this, as_of, run = std::move(run), from = std::move(from), to = std::move(to), limit = std::move(limit)](auto c) mutable {
      start_event_range(std::move(run), std::move(from), std::move(to), std::move(limit), as_of, std::move(c));
    });
  }
  /// -> the number of events in the run's log.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_event_len(std::string run, Token&& token = {}) {
    return op<std::uint64_t>(std::forward<Token>(token), [this, run = std::move(run)](auto c) mutable {
      start_event_len(std::move(run), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_event_len(std::string run, AsOf as_of, Token&& token = {}) {
    return op<std::uint64_t>(std::forward<Token>(token), [this, as_of, run = std::move(run)](auto c) mutable {
      start_event_len(std::move(run), as_of, std::move(c));
    });
  }
  /// -> the result of re-walking the run's hash chain.
  template <class Token = boost::asio::deferred_t>
  auto async_event_verify(std::string run, Token&& token = {}) {
    return op<EventVerification>(std::forward<Token>(token), [this, run = std::move(run)](auto c) mutable {
      start_event_verify(std::move(run), std::move(c));
    });
  }

  // ---- State cells ----------------------------------------------------------
  /// -> the commit version.
  template <class Token = boost::asio::deferred_t>
  auto async_state_set(std::string run, std::string cell, Value value, Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [this, run = std::move(run), cell = std::move(cell), value = std::move(value)](auto c) mutable {
      start_state_set(std::move(run), std::move(cell), std::move(value), std::move(c));
    });
  }
  /// -> the cell's value and version, or nullopt.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_state_read(std::string run, std::string cell, Token&& token = {}) {
    return op<std::optional<VersionedValue>>(std::forward<Token>(token), [this, run = std::move(run), cell = std::move(cell)](auto c) mutable {
      start_state_read(std::move(run), std::move(cell), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_state_read(std::string run, std::string cell, AsOf as_of, Token&& token = {}) {
    return op<std::optional<VersionedValue>>(std::forward<Token>(token), [this, as_of, run = std::move(run), cell = std::move(cell)](auto c) mutable {
      start_state_read(std::move(run), std::move(cell), as_of, std::move(c));
    });
  }
  /// -> the cell's retained versions, newest first, tombstones included.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, HistoryRequest>)
  auto async_state_history(std::string run, std::string cell, Token&& token = {}) {
    return async_state_history(std::move(run), std::move(cell), HistoryRequest{}, std::forward<Token>(token));
  }
  template <class Token = boost::asio::deferred_t>
  auto async_state_history(std::string run, std::string cell, HistoryRequest page, Token&& token = {}) {
    return op<std::vector<VersionedValue>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_state_history(std::move(run), std::move(cell), page, std::move(c));
    });
  }
  /// -> the new version, or the existing one (no write) when the cell is set.
  template <class Token = boost::asio::deferred_t>
  auto async_state_init(std::string run, std::string cell, Value value, Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [this, run = std::move(run), cell = std::move(cell), value = std::move(value)](auto c) mutable {
      start_state_init(std::move(run), std::move(cell), std::move(value), std::move(c));
    });
  }
  /// -> the new version, or nullopt when the cell's version is not `expected`
  /// (nullopt expected: only if absent).
  template <class Token = boost::asio::deferred_t>
  auto async_state_cas(std::string run, std::string cell, std::optional<Version> expected, Value value, Token&& token = {}) {
    return op<std::optional<Version>>(std::forward<Token>(token), [this, run = std::move(run), cell = std::move(cell), expected = std::move(expected), value = std::move(value)](auto c) mutable {
      start_state_cas(std::move(run), std::move(cell), std::move(expected), std::move(value), std::move(c));
    });
  }

  // ---- JSON documents -------------------------------------------------------
  /// -> the commit version. Errors: invalid_path, key and value limits.
  template <class Token = boost::asio::deferred_t>
  auto async_json_set(std::string run, std::string key, std::string path, Value value, Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [this, run = std::move(run), key = std::move(key), path = std::move(path), value = std::move(value)](auto c) mutable {
      start_json_set(std::move(run), std::move(key), std::move(path), std::move(value), std::move(c));
    });
  }
  /// -> the value at `path`, or nullopt.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_json_get(std::string run, std::string key, std::string path, Token&& token = {}) {
    return op<std::optional<Value>>(std::forward<Token>(token), [this, run = std::move(run), key = std::move(key), path = std::move(path)](auto c) mutable {
      start_json_get(std::move(run), std::move(key), std::move(path), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_json_get(std::string run, std::string key, std::string path, AsOf as_of, Token&& token = {}) {
    return op<std::optional<Value>>(std::forward<Token>(token), [this, as_of, run = std::move(run), key = std::move(key), path = std::move(path)](auto c) mutable {
      start_json_get(std::move(run), std::move(key), std::move(path), as_of, std::move(c));
    });
  }
  /// -> the whole document as of each version that changed it, newest
  /// first, deletions as tombstones.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, HistoryRequest>)
  auto async_json_history(std::string run, std::string key, Token&& token = {}) {
    return async_json_history(std::move(run), std::move(key), HistoryRequest{}, std::forward<Token>(token));
  }
  template <class Token = boost::asio::deferred_t>
  auto async_json_history(std::string run, std::string key, HistoryRequest page, Token&& token = {}) {
    return op<std::vector<VersionedValue>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_json_history(std::move(run), std::move(key), page, std::move(c));
    });
  }
  /// -> values removed (0 or 1); "$" deletes the document.
  template <class Token = boost::asio::deferred_t>
  auto async_json_delete(std::string run, std::string key, std::string path, Token&& token = {}) {
    return op<std::size_t>(std::forward<Token>(token), [this, run = std::move(run), key = std::move(key), path = std::move(path)](auto c) mutable {
      start_json_delete(std::move(run), std::move(key), std::move(path), std::move(c));
    });
  }
  /// -> document keys with `prefix`, paginated (pass PageRequest() inside co_await).
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_json_list(std::string run, std::string prefix, PageRequest page, Token&& token = {}) {
    return op<KeyPage>(std::forward<Token>(token), [this, run = std::move(run), prefix = std::move(prefix), page = std::move(page)](auto c) mutable {
      start_json_list(std::move(run), std::move(prefix), std::move(page), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_json_list(std::string run, std::string prefix, PageRequest page, AsOf as_of, Token&& token = {}) {
    return op<KeyPage>(std::forward<Token>(token), [this, as_of, run = std::move(run), prefix = std::move(prefix), page = std::move(page)](auto c) mutable {
      start_json_list(std::move(run), std::move(prefix), std::move(page), as_of, std::move(c));
    });
  }
  /// -> the commit version. Errors: document_not_found, invalid_path, wrong_type.
  template <class Token = boost::asio::deferred_t>
  auto async_json_array_append(std::string run, std::string key, std::string path, Value value, Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [this, run = std::move(run), key = std::move(key), path = std::move(path), value = std::move(value)](auto c) mutable {
      start_json_array_append(std::move(run), std::move(key), std::move(path), std::move(value), std::move(c));
    });
  }
  /// -> the incremented value. Errors: document_not_found, invalid_path, wrong_type.
  template <class Token = boost::asio::deferred_t>
  auto async_json_incr(std::string run, std::string key, std::string path, Value delta, Token&& token = {}) {
    return op<Value>(std::forward<Token>(token), [this, run = std::move(run), key = std::move(key), path = std::move(path), delta = std::move(delta)](auto c) mutable {
      start_json_incr(std::move(run), std::move(key), std::move(path), std::move(delta), std::move(c));
    });
  }

  // ---- Vector store (docs/guides/vectors.md; errors as in Strata) -------------
  /// -> the commit version.
  template <class Token = boost::asio::deferred_t>
  auto async_vector_create_collection(std::string run, std::string name, std::size_t dimension, Metric metric,
                                      CollectionOptions options, Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_vector_create(std::move(run), std::move(name), dimension, metric, options, std::move(c));
    });
  }
  /// -> the commit version.
  template <class Token = boost::asio::deferred_t>
  auto async_vector_delete_collection(std::string run, std::string name, Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_vector_drop(std::move(run), std::move(name), std::move(c));
    });
  }
  template <class Token = boost::asio::deferred_t>
  auto async_vector_list_collections(std::string run, Token&& token = {}) {
    return op<std::vector<CollectionInfo>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_vector_list(std::move(run), std::move(c));
    });
  }
  template <class Token = boost::asio::deferred_t>
  auto async_vector_collection_info(std::string run, std::string name, Token&& token = {}) {
    return op<CollectionInfo>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_vector_info(std::move(run), std::move(name), std::move(c));
    });
  }
  /// -> the commit version. (Pass std::nullopt for no metadata.)
  template <class Token = boost::asio::deferred_t>
  auto async_vector_upsert(std::string run, std::string collection, std::string key, std::vector<float> vector,
                           std::optional<Value> metadata, Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [this, run = std::move(run), collection = std::move(collection),
                                                    key = std::move(key), vector = std::move(vector),
                                                    metadata = std::move(metadata)](auto c) mutable {
      start_vector_upsert(std::move(run), std::move(collection), {VectorRecord{std::move(key), std::move(vector),
                                                                               std::move(metadata)}},
                          std::move(c));
    });
  }
  /// Many vectors in one commit. -> the commit version.
  template <class Token = boost::asio::deferred_t>
  auto async_vector_upsert_batch(std::string run, std::string collection, std::vector<VectorRecord> records,
                                 Token&& token = {}) {
    return op<Version>(std::forward<Token>(token), [this, run = std::move(run), collection = std::move(collection),
                                                    records = std::move(records)](auto c) mutable {
      start_vector_upsert(std::move(run), std::move(collection), std::move(records), std::move(c));
    });
  }
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, AsOf>)
  auto async_vector_get(std::string run, std::string collection, std::string key, Token&& token = {}) {
    return op<std::optional<VectorEntry>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_vector_get(std::move(run), std::move(collection), std::move(key), std::nullopt, std::move(c));
    });
  }
  /// The same, as the run was at `as_of` (time travel).
  template <class Token = boost::asio::deferred_t>
  auto async_vector_get(std::string run, std::string collection, std::string key, AsOf as_of, Token&& token = {}) {
    return op<std::optional<VectorEntry>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_vector_get(std::move(run), std::move(collection), std::move(key), as_of, std::move(c));
    });
  }
  /// -> the vector's retained versions in the collection, newest first.
  template <class Token = boost::asio::deferred_t>
    requires(!std::is_same_v<std::decay_t<Token>, HistoryRequest>)
  auto async_vector_history(std::string run, std::string collection, std::string key, Token&& token = {}) {
    return async_vector_history(std::move(run), std::move(collection), std::move(key), HistoryRequest{},
                                std::forward<Token>(token));
  }
  template <class Token = boost::asio::deferred_t>
  auto async_vector_history(std::string run, std::string collection, std::string key, HistoryRequest page,
                            Token&& token = {}) {
    return op<std::vector<VectorVersion>>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_vector_history(std::move(run), std::move(collection), std::move(key), page, std::move(c));
    });
  }
  /// -> whether the vector existed.
  template <class Token = boost::asio::deferred_t>
  auto async_vector_delete(std::string run, std::string collection, std::string key, Token&& token = {}) {
    return op<bool>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_vector_delete(std::move(run), std::move(collection), std::move(key), std::move(c));
    });
  }
  /// -> up to k matches, best first.
  template <class Token = boost::asio::deferred_t>
  auto async_vector_search(std::string run, std::string collection, std::vector<float> query, std::size_t k,
                           VectorSearchOptions options, Token&& token = {}) {
    return op<std::vector<VectorMatch>>(std::forward<Token>(token), [this, run = std::move(run),
                                                                     collection = std::move(collection),
                                                                     query = std::move(query), k,
                                                                     options = std::move(options)](auto c) mutable {
      start_vector_search(std::move(run), std::move(collection), std::move(query), k, std::move(options), std::move(c));
    });
  }

  // ---- Runs ----------------------------------------------------------------
  /// -> the new run's info. Errors: invalid_run_name, run_exists.
  template <class Token = boost::asio::deferred_t>
  auto async_create_run(std::string name, Object metadata = {}, Token&& token = {}) {
    return op<RunInfo>(std::forward<Token>(token), [=, this, m = std::move(metadata)](auto c) mutable {
      start_create_run(std::move(name), std::move(m), std::move(c));
    });
  }
  /// Deletes the run and all of its data. -> the number of user entries
  /// removed (live KV keys, state cells, JSON documents, events). The run is
  /// gone once the deletion is logged; its data is then freed by bounded
  /// steps queued on the shards, and the handler runs when they are done —
  /// initiation never erases a large run inline.
  /// Errors: run_is_default, run_not_found, invalid_run_name, run_has_children.
  template <class Token = boost::asio::deferred_t>
  auto async_delete_run(std::string name, Token&& token = {}) {
    return op<std::size_t>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_delete_run(std::move(name), std::move(c));
    });
  }
  /// -> all runs, sorted by name.
  template <class Token = boost::asio::deferred_t>
  auto async_list_runs(Token&& token = {}) {
    return op<std::vector<RunInfo>>(std::forward<Token>(token), [this](auto c) mutable { start_list_runs(std::move(c)); });
  }
  template <class Token = boost::asio::deferred_t>
  auto async_run_info(std::string name, Token&& token = {}) {
    return op<RunInfo>(std::forward<Token>(token), [=, this](auto c) mutable { start_run_info(std::move(name), std::move(c)); });
  }
  /// Forks run `source` into a new run `name` at `at` (unset: now); see
  /// Strata::fork_run. -> the fork's info.
  /// Errors: invalid_run_name, run_not_found, run_exists, invalid_input.
  template <class Token = boost::asio::deferred_t>
  auto async_fork_run(std::string source, std::string name, std::optional<AsOf> at, Token&& token = {}) {
    return op<RunInfo>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_fork_run(std::move(source), std::move(name), at, std::move(c));
    });
  }
  /// Strata::replay_run.
  template <class Token = boost::asio::deferred_t>
  auto async_replay_run(std::string source, std::string dest, std::optional<AsOf> up_to, Token&& token = {}) {
    return op<ReplayResult>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_replay_run(std::move(source), std::move(dest), up_to, std::move(c));
    });
  }
  /// Strata::merge_run.
  template <class Token = boost::asio::deferred_t>
  auto async_merge_run(std::string source, std::string target, MergeStrategy strategy, Token&& token = {}) {
    return op<MergeResult>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_merge_run(std::move(source), std::move(target), strategy, std::move(c));
    });
  }
  /// Strata::diff_runs.
  template <class Token = boost::asio::deferred_t>
  auto async_diff_runs(std::string a, std::string b, std::optional<AsOf> as_of, Token&& token = {}) {
    return op<RunDiff>(std::forward<Token>(token), [=, this](auto c) mutable {
      start_diff_runs(std::move(a), std::move(b), as_of, std::move(c));
    });
  }
  /// Strata::run_digest.
  template <class Token = boost::asio::deferred_t>
  auto async_run_digest(std::string name, std::optional<AsOf> as_of, Token&& token = {}) {
    return op<RunDigest>(std::forward<Token>(token),
                         [=, this](auto c) mutable { start_run_digest(std::move(name), as_of, std::move(c)); });
  }
  template <class Token = boost::asio::deferred_t>
  auto async_run_exists(std::string name, Token&& token = {}) {
    return op<bool>(std::forward<Token>(token), [=, this](auto c) mutable { start_run_exists(std::move(name), std::move(c)); });
  }
  /// Updates status and/or metadata (unset = keep). -> the updated info.
  template <class Token = boost::asio::deferred_t>
  auto async_update_run(std::string name, std::optional<RunStatus> status, std::optional<Object> metadata,
                        Token&& token = {}) {
    return op<RunInfo>(std::forward<Token>(token), [=, this, m = std::move(metadata)](auto c) mutable {
      start_update_run(std::move(name), status, std::move(m), std::move(c));
    });
  }

  // ---- Database ------------------------------------------------------------
  /// -> "PONG".
  template <class Token = boost::asio::deferred_t>
  auto async_ping(Token&& token = {}) {
    return op<std::string>(std::forward<Token>(token), [this](auto c) mutable { start_ping(std::move(c)); });
  }
  template <class Token = boost::asio::deferred_t>
  auto async_info(Token&& token = {}) {
    return op<DatabaseInfo>(std::forward<Token>(token), [this](auto c) mutable { start_info(std::move(c)); });
  }

  // ---- Transactions ---------------------------------------------------------
  /// Runs `fn(tx)` (a coroutine returning asio::awaitable<T>) in a fresh
  /// transaction on `run` and commits it; on transaction_conflict it retries
  /// with jittered exponential back-off, up to options().
  /// max_transaction_attempts times, then throws Error(transaction_conflict).
  /// Other errors (thrown by fn or by commit) propagate at once. If fn
  /// commits or rolls back itself, its result is returned as is.
  template <class Fn>
  auto async_transaction(std::string run, Fn fn)
      -> boost::asio::awaitable<typename detail::awaitable_result<std::invoke_result_t<Fn&, Transaction&>>::type> {
    namespace asio = boost::asio;
    using T = typename detail::awaitable_result<std::invoke_result_t<Fn&, Transaction&>>::type;
    for (int attempt = 1;; ++attempt) {
      Transaction tx = begin(run);
      if constexpr (std::is_void_v<T>) {
        co_await fn(tx);
        if (!tx.active()) co_return;
        auto [ec, v] = co_await tx.async_commit(asio::as_tuple(asio::use_awaitable));
        if (!ec) co_return;
        detail::throw_unless_retryable(options(), ec, attempt);
      } else {
        T result = co_await fn(tx);
        if (!tx.active()) co_return result;
        auto [ec, v] = co_await tx.async_commit(asio::as_tuple(asio::use_awaitable));
        if (!ec) co_return result;
        detail::throw_unless_retryable(options(), ec, attempt);
      }
      asio::steady_timer timer(co_await asio::this_coro::executor, detail::retry_delay(options(), attempt));
      co_await timer.async_wait(asio::use_awaitable);
    }
  }

 private:
  friend class Strata;
  friend class Session;
  friend class SessionDispatch;
  explicit Database(std::shared_ptr<detail::Engine> engine);

  template <class T, class Token, class Start>
  auto op(Token&& token, Start&& start) {
    return detail::initiate<T>(std::forward<Token>(token), executor_, std::forward<Start>(start));
  }

  void start_kv_put(std::string run, std::string key, Value v, PutOptions options, detail::Completion<Version> c);
  void start_kv_get(std::string run, std::string key, std::optional<AsOf> as_of, detail::Completion<std::optional<Value>> c);
  void start_kv_delete(std::string run, std::string key, detail::Completion<bool> c);
  void start_kv_list(std::string run, std::string prefix, PageRequest page, std::optional<AsOf> as_of, detail::Completion<KeyPage> c);
  void start_kv_history(std::string run, std::string key, HistoryRequest page, detail::Completion<std::vector<VersionedValue>> c);
  void start_state_history(std::string run, std::string cell, HistoryRequest page, detail::Completion<std::vector<VersionedValue>> c);
  void start_json_history(std::string run, std::string key, HistoryRequest page, detail::Completion<std::vector<VersionedValue>> c);
  void start_vector_history(std::string run, std::string collection, std::string key, HistoryRequest page,
                            detail::Completion<std::vector<VectorVersion>> c);
  void start_event_append(std::string run, std::string type, Value payload, detail::Completion<std::uint64_t> c);
  void start_event_read(std::string run, std::uint64_t sequence, std::optional<AsOf> as_of, detail::Completion<std::optional<Event>> c);
  void start_event_read_by_type(std::string run, std::string type, std::optional<std::size_t> limit, std::optional<AsOf> as_of, detail::Completion<std::vector<Event>> c);
  void start_event_range(std::string run, std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit, std::optional<AsOf> as_of, detail::Completion<std::vector<Event>> c);
  void start_event_len(std::string run, std::optional<AsOf> as_of, detail::Completion<std::uint64_t> c);
  void start_event_verify(std::string run, detail::Completion<EventVerification> c);
  void start_state_set(std::string run, std::string cell, Value value, detail::Completion<Version> c);
  void start_state_read(std::string run, std::string cell, std::optional<AsOf> as_of, detail::Completion<std::optional<VersionedValue>> c);
  void start_state_init(std::string run, std::string cell, Value value, detail::Completion<Version> c);
  void start_state_cas(std::string run, std::string cell, std::optional<Version> expected, Value value, detail::Completion<std::optional<Version>> c);
  void start_json_set(std::string run, std::string key, std::string path, Value value, detail::Completion<Version> c);
  void start_json_get(std::string run, std::string key, std::string path, std::optional<AsOf> as_of, detail::Completion<std::optional<Value>> c);
  void start_json_delete(std::string run, std::string key, std::string path, detail::Completion<std::size_t> c);
  void start_json_list(std::string run, std::string prefix, PageRequest page, std::optional<AsOf> as_of, detail::Completion<KeyPage> c);
  void start_json_array_append(std::string run, std::string key, std::string path, Value value, detail::Completion<Version> c);
  void start_json_incr(std::string run, std::string key, std::string path, Value delta, detail::Completion<Value> c);
  void start_vector_create(std::string run, std::string name, std::size_t dimension, Metric metric,
                           CollectionOptions options, detail::Completion<Version> c);
  void start_vector_drop(std::string run, std::string name, detail::Completion<Version> c);
  void start_vector_list(std::string run, detail::Completion<std::vector<CollectionInfo>> c);
  void start_vector_info(std::string run, std::string name, detail::Completion<CollectionInfo> c);
  void start_vector_upsert(std::string run, std::string collection, std::vector<VectorRecord> records,
                           detail::Completion<Version> c);
  void start_vector_get(std::string run, std::string collection, std::string key,
                        std::optional<AsOf> as_of, detail::Completion<std::optional<VectorEntry>> c);
  void start_vector_delete(std::string run, std::string collection, std::string key, detail::Completion<bool> c);
  void start_vector_search(std::string run, std::string collection, std::vector<float> query, std::size_t k,
                           VectorSearchOptions options, detail::Completion<std::vector<VectorMatch>> c);
  void start_create_run(std::string name, Object metadata, detail::Completion<RunInfo> c);
  void start_delete_run(std::string name, detail::Completion<std::size_t> c);
  void start_list_runs(detail::Completion<std::vector<RunInfo>> c);
  void start_run_info(std::string name, detail::Completion<RunInfo> c);
  void start_run_digest(std::string name, std::optional<AsOf> as_of, detail::Completion<RunDigest> c);
  void start_replay_run(std::string source, std::string dest, std::optional<AsOf> up_to,
                        detail::Completion<ReplayResult> c);
  void start_merge_run(std::string source, std::string target, MergeStrategy strategy,
                       detail::Completion<MergeResult> c);
  void start_diff_runs(std::string a, std::string b, std::optional<AsOf> as_of, detail::Completion<RunDiff> c);
  void start_fork_run(std::string source, std::string name, std::optional<AsOf> at, detail::Completion<RunInfo> c);
  void start_run_exists(std::string name, detail::Completion<bool> c);
  void start_update_run(std::string name, std::optional<RunStatus> status, std::optional<Object> metadata,
                        detail::Completion<RunInfo> c);
  void start_ping(detail::Completion<std::string> c);
  void start_info(detail::Completion<DatabaseInfo> c);

  std::shared_ptr<detail::Engine> engine_;
  executor_type executor_;
};

}  // namespace strata
