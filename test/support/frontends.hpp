// One test body, three front ends: every semantic test of the KV, runs,
// transaction, event, state and JSON suites runs through
//  * Front::Throwing  — the throwing Strata calls (an error is a strata::Error);
//  * Front::ErrorCode — the error_code& overloads;
//  * Front::Async     — the Database's async_* operations (completion
//    handlers on the database's own pool), on the handle's current run.
// An `Api` wraps a Strata handle and exposes each operation once, returning
// a Result{ec, what, value} whatever the front end, so a test asserts the
// same outcome — code and message — three times (Boost.MySQL's test layout).
//
//   STRATA_FRONTEND_TEST(name) { Api api = front_api(); ... }
//   auto v = ok(api.kv_put("k", 1));                 // REQUIREs success
//   check_fails(api.kv_get(""), errc::key_empty);     // code (and fragments)
//
// `what` is the text a user sees: Error::what() for the throwing form, and
// system_error(ec).what() — which is what an awaited operation throws — for
// the other two; all three must agree for the same error.
#pragma once

#include "support/fixtures.hpp"

#include <strata/strata.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace strata::test {

enum class Front { Throwing, ErrorCode, Async };

inline std::ostream& operator<<(std::ostream& os, Front f) {
  switch (f) {
    case Front::Throwing: return os << "throwing";
    case Front::ErrorCode: return os << "error_code";
    case Front::Async: return os << "async";
  }
  return os;
}

inline const std::vector<Front> kFronts{Front::Throwing, Front::ErrorCode, Front::Async};

template <class T>
struct Result {
  error_code ec;
  std::string what;  // empty on success
  T value{};
  bool ok() const noexcept { return !ec; }
};

/// The text a user sees for `ec` from an error_code or an awaited operation.
inline std::string what_of(const error_code& ec) { return boost::system::system_error(ec).what(); }

/// REQUIREs success and returns the value.
template <class T>
T ok(Result<T> r) {
  BOOST_TEST_REQUIRE(r.ok(), "expected success, got " << r.what);
  return std::move(r.value);
}

/// Checks the code, and that what() mentions every fragment. Returns what.
template <class T>
std::string check_fails(const Result<T>& r, errc code, const std::vector<std::string>& fragments = {}) {
  BOOST_TEST(r.ec == make_error_code(code), "expected " << make_error_code(code).message() << ", got "
                                                        << (r.ok() ? std::string("success") : r.what));
  for (const auto& f : fragments) BOOST_TEST(r.what.find(f) != std::string::npos, "\"" << r.what << "\" lacks \"" << f << "\"");
  return r.what;
}

/// A Strata handle whose operations run through one front end.
class Api {
 public:
  Api(Strata db, Front front) : db_(std::move(db)), front_(front) {}

  Front front() const noexcept { return front_; }
  /// The handle itself, for setup that need not be tested three times.
  Strata& handle() noexcept { return db_; }
  const std::string& current_run() const noexcept { return db_.current_run(); }

  // ---- runs ----
  Result<RunInfo> create_run(std::string_view name, Object metadata = {}) {
    return call<RunInfo>([&] { return db_.create_run(name, metadata); },
                         [&](error_code& ec) { return db_.create_run(name, metadata, ec); },
                         [&](auto t) { return db()->async_create_run(std::string(name), metadata, t); });
  }
  /// Handle-local (the async core names runs explicitly): the async front
  /// uses the error_code form.
  Result<bool> set_run(std::string_view name) {
    if (front_ == Front::Throwing) return call_throwing<bool>([&] { return db_.set_run(name), true; });
    error_code ec;
    db_.set_run(name, ec);
    return from_code(ec, true);
  }
  Result<std::vector<RunInfo>> list_runs() {
    return call<std::vector<RunInfo>>([&] { return db_.list_runs(); }, [&](error_code& ec) { return db_.list_runs(ec); },
                                      [&](auto t) { return db()->async_list_runs(t); });
  }
  Result<bool> run_exists(std::string_view name) {
    return call<bool>([&] { return db_.run_exists(name); }, [&](error_code& ec) { return db_.run_exists(name, ec); },
                      [&](auto t) { return db()->async_run_exists(std::string(name), t); });
  }
  Result<RunInfo> run_info(std::string_view name) {
    return call<RunInfo>([&] { return db_.run_info(name); }, [&](error_code& ec) { return db_.run_info(name, ec); },
                         [&](auto t) { return db()->async_run_info(std::string(name), t); });
  }
  Result<RunDigest> run_digest(std::string_view name, std::optional<AsOf> as_of = std::nullopt) {
    return call<RunDigest>([&] { return db_.run_digest(name, as_of); },
                           [&](error_code& ec) { return db_.run_digest(name, as_of, ec); },
                           [&](auto t) { return db()->async_run_digest(std::string(name), as_of, t); });
  }
  /// Note: the async core has no current run, so it does not refuse to
  /// delete the handle's current run (run_is_current) as Strata does.
  Result<std::size_t> delete_run(std::string_view name) {
    return call<std::size_t>([&] { return db_.delete_run(name); },
                             [&](error_code& ec) { return db_.delete_run(name, ec); },
                             [&](auto t) { return db()->async_delete_run(std::string(name), t); });
  }
  Result<RunInfo> set_run_status(std::string_view name, RunStatus s) {
    return call<RunInfo>([&] { return db_.set_run_status(name, s); },
                         [&](error_code& ec) { return db_.set_run_status(name, s, ec); },
                         [&](auto t) { return db()->async_update_run(std::string(name), s, std::nullopt, t); });
  }
  Result<RunInfo> set_run_metadata(std::string_view name, Object m) {
    return call<RunInfo>([&] { return db_.set_run_metadata(name, m); },
                         [&](error_code& ec) { return db_.set_run_metadata(name, m, ec); },
                         [&](auto t) { return db()->async_update_run(std::string(name), std::nullopt, m, t); });
  }

  // ---- KV ----
  Result<Version> kv_put(std::string_view key, Value v) {
    return call<Version>([&] { return db_.kv_put(key, v); }, [&](error_code& ec) { return db_.kv_put(key, v, ec); },
                         [&](auto t) { return db()->async_kv_put(run(), std::string(key), v, t); });
  }
  Result<Version> kv_put(std::string_view key, Value v, PutOptions options) {
    return call<Version>([&] { return db_.kv_put(key, v, options); },
                         [&](error_code& ec) { return db_.kv_put(key, v, options, ec); },
                         [&](auto t) { return db()->async_kv_put(run(), std::string(key), v, options, t); });
  }
  Result<std::optional<Value>> kv_get(std::string_view key) {
    return call<std::optional<Value>>([&] { return db_.kv_get(key); },
                                      [&](error_code& ec) { return db_.kv_get(key, ec); },
                                      [&](auto t) { return db()->async_kv_get(run(), std::string(key), t); });
  }
  Result<bool> kv_delete(std::string_view key) {
    return call<bool>([&] { return db_.kv_delete(key); }, [&](error_code& ec) { return db_.kv_delete(key, ec); },
                      [&](auto t) { return db()->async_kv_delete(run(), std::string(key), t); });
  }
  Result<KeyPage> kv_list(std::string_view prefix = {}, const PageRequest& page = {}) {
    return call<KeyPage>([&] { return db_.kv_list(prefix, page); },
                         [&](error_code& ec) { return db_.kv_list(prefix, page, ec); },
                         [&](auto t) { return db()->async_kv_list(run(), std::string(prefix), page, t); });
  }
  Result<std::vector<VersionedValue>> kv_history(std::string_view key) {
    return call<std::vector<VersionedValue>>([&] { return db_.kv_history(key); },
                                             [&](error_code& ec) { return db_.kv_history(key, ec); },
                                             [&](auto t) { return db()->async_kv_history(run(), std::string(key), t); });
  }
  /// One page of a history (every primitive's *_history takes the same HistoryRequest).
  Result<std::vector<VersionedValue>> kv_history(std::string_view key, HistoryRequest page) {
    return call<std::vector<VersionedValue>>([&] { return db_.kv_history(key, page); },
                                             [&](error_code& ec) { return db_.kv_history(key, page, ec); },
                                             [&](auto t) { return db()->async_kv_history(run(), std::string(key), page, t); });
  }
  Result<std::vector<VersionedValue>> state_history(std::string_view cell, HistoryRequest page = {}) {
    return call<std::vector<VersionedValue>>(
        [&] { return db_.state_history(cell, page); }, [&](error_code& ec) { return db_.state_history(cell, page, ec); },
        [&](auto t) { return db()->async_state_history(run(), std::string(cell), page, t); });
  }
  Result<std::vector<VersionedValue>> json_history(std::string_view key, HistoryRequest page = {}) {
    return call<std::vector<VersionedValue>>(
        [&] { return db_.json_history(key, page); }, [&](error_code& ec) { return db_.json_history(key, page, ec); },
        [&](auto t) { return db()->async_json_history(run(), std::string(key), page, t); });
  }
  Result<std::vector<VectorVersion>> vector_history(std::string_view coll, std::string_view key,
                                                    HistoryRequest page = {}) {
    return call<std::vector<VectorVersion>>(
        [&] { return db_.vector_history(coll, key, page); },
        [&](error_code& ec) { return db_.vector_history(coll, key, page, ec); },
        [&](auto t) { return db()->async_vector_history(run(), std::string(coll), std::string(key), page, t); });
  }

  // ---- events ----
  Result<std::uint64_t> event_append(std::string_view type, Value payload) {
    return call<std::uint64_t>([&] { return db_.event_append(type, payload); },
                               [&](error_code& ec) { return db_.event_append(type, payload, ec); },
                               [&](auto t) { return db()->async_event_append(run(), std::string(type), payload, t); });
  }
  Result<std::optional<Event>> event_read(std::uint64_t seq) {
    return call<std::optional<Event>>([&] { return db_.event_read(seq); },
                                      [&](error_code& ec) { return db_.event_read(seq, ec); },
                                      [&](auto t) { return db()->async_event_read(run(), seq, t); });
  }
  Result<std::vector<Event>> event_read_by_type(std::string_view type, std::optional<std::size_t> limit = {}) {
    return call<std::vector<Event>>([&] { return db_.event_read_by_type(type, limit); },
                                    [&](error_code& ec) { return db_.event_read_by_type(type, limit, ec); },
                                    [&](auto t) { return db()->async_event_read_by_type(run(), std::string(type), limit, t); });
  }
  Result<std::vector<Event>> event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit = {}) {
    return call<std::vector<Event>>([&] { return db_.event_range(from, to, limit); },
                                    [&](error_code& ec) { return db_.event_range(from, to, limit, ec); },
                                    [&](auto t) { return db()->async_event_range(run(), from, to, limit, t); });
  }
  Result<std::uint64_t> event_len() {
    return call<std::uint64_t>([&] { return db_.event_len(); }, [&](error_code& ec) { return db_.event_len(ec); },
                               [&](auto t) { return db()->async_event_len(run(), t); });
  }
  Result<EventVerification> event_verify() {
    return call<EventVerification>([&] { return db_.event_verify(); }, [&](error_code& ec) { return db_.event_verify(ec); },
                                   [&](auto t) { return db()->async_event_verify(run(), t); });
  }

  // ---- state cells ----
  Result<Version> state_set(std::string_view cell, Value v) {
    return call<Version>([&] { return db_.state_set(cell, v); }, [&](error_code& ec) { return db_.state_set(cell, v, ec); },
                         [&](auto t) { return db()->async_state_set(run(), std::string(cell), v, t); });
  }
  Result<std::optional<VersionedValue>> state_read(std::string_view cell) {
    return call<std::optional<VersionedValue>>([&] { return db_.state_read(cell); },
                                               [&](error_code& ec) { return db_.state_read(cell, ec); },
                                               [&](auto t) { return db()->async_state_read(run(), std::string(cell), t); });
  }
  Result<Version> state_init(std::string_view cell, Value v) {
    return call<Version>([&] { return db_.state_init(cell, v); },
                         [&](error_code& ec) { return db_.state_init(cell, v, ec); },
                         [&](auto t) { return db()->async_state_init(run(), std::string(cell), v, t); });
  }
  Result<std::optional<Version>> state_cas(std::string_view cell, std::optional<Version> expected, Value v) {
    return call<std::optional<Version>>(
        [&] { return db_.state_cas(cell, expected, v); }, [&](error_code& ec) { return db_.state_cas(cell, expected, v, ec); },
        [&](auto t) { return db()->async_state_cas(run(), std::string(cell), expected, v, t); });
  }

  // ---- JSON documents ----
  Result<Version> json_set(std::string_view key, std::string_view path, Value v) {
    return call<Version>([&] { return db_.json_set(key, path, v); },
                         [&](error_code& ec) { return db_.json_set(key, path, v, ec); },
                         [&](auto t) { return db()->async_json_set(run(), std::string(key), std::string(path), v, t); });
  }
  Result<std::optional<Value>> json_get(std::string_view key, std::string_view path) {
    return call<std::optional<Value>>(
        [&] { return db_.json_get(key, path); }, [&](error_code& ec) { return db_.json_get(key, path, ec); },
        [&](auto t) { return db()->async_json_get(run(), std::string(key), std::string(path), t); });
  }
  Result<std::size_t> json_delete(std::string_view key, std::string_view path) {
    return call<std::size_t>([&] { return db_.json_delete(key, path); },
                             [&](error_code& ec) { return db_.json_delete(key, path, ec); },
                             [&](auto t) { return db()->async_json_delete(run(), std::string(key), std::string(path), t); });
  }
  Result<Version> json_array_append(std::string_view key, std::string_view path, Value v) {
    return call<Version>(
        [&] { return db_.json_array_append(key, path, v); },
        [&](error_code& ec) { return db_.json_array_append(key, path, v, ec); },
        [&](auto t) { return db()->async_json_array_append(run(), std::string(key), std::string(path), v, t); });
  }
  Result<Value> json_incr(std::string_view key, std::string_view path, Value delta) {
    return call<Value>([&] { return db_.json_incr(key, path, delta); },
                       [&](error_code& ec) { return db_.json_incr(key, path, delta, ec); },
                       [&](auto t) { return db()->async_json_incr(run(), std::string(key), std::string(path), delta, t); });
  }
  Result<KeyPage> json_list(std::string_view prefix = {}, const PageRequest& page = {}) {
    return call<KeyPage>([&] { return db_.json_list(prefix, page); },
                         [&](error_code& ec) { return db_.json_list(prefix, page, ec); },
                         [&](auto t) { return db()->async_json_list(run(), std::string(prefix), page, t); });
  }

  // ---- vector store ----
  Result<Version> vector_create_collection(std::string_view name, std::size_t dim, Metric metric,
                                           const CollectionOptions& options = {}) {
    return call<Version>(
        [&] { return db_.vector_create_collection(name, dim, metric, options); },
        [&](error_code& ec) { return db_.vector_create_collection(name, dim, metric, options, ec); },
        [&](auto t) { return db()->async_vector_create_collection(run(), std::string(name), dim, metric, options, t); });
  }
  Result<Version> vector_delete_collection(std::string_view name) {
    return call<Version>([&] { return db_.vector_delete_collection(name); },
                         [&](error_code& ec) { return db_.vector_delete_collection(name, ec); },
                         [&](auto t) { return db()->async_vector_delete_collection(run(), std::string(name), t); });
  }
  Result<std::vector<CollectionInfo>> vector_list_collections() {
    return call<std::vector<CollectionInfo>>([&] { return db_.vector_list_collections(); },
                                             [&](error_code& ec) { return db_.vector_list_collections(ec); },
                                             [&](auto t) { return db()->async_vector_list_collections(run(), t); });
  }
  Result<CollectionInfo> vector_collection_info(std::string_view name) {
    return call<CollectionInfo>([&] { return db_.vector_collection_info(name); },
                                [&](error_code& ec) { return db_.vector_collection_info(name, ec); },
                                [&](auto t) { return db()->async_vector_collection_info(run(), std::string(name), t); });
  }
  Result<Version> vector_upsert(std::string_view coll, std::string_view key, const std::vector<float>& v,
                                const std::optional<Value>& meta = std::nullopt) {
    return call<Version>([&] { return db_.vector_upsert(coll, key, v, meta); },
                         [&](error_code& ec) { return db_.vector_upsert(coll, key, v, meta, ec); },
                         [&](auto t) {
                           return db()->async_vector_upsert(run(), std::string(coll), std::string(key), v, meta, t);
                         });
  }
  Result<Version> vector_upsert_batch(std::string_view coll, const std::vector<VectorRecord>& records) {
    return call<Version>([&] { return db_.vector_upsert_batch(coll, records); },
                         [&](error_code& ec) { return db_.vector_upsert_batch(coll, records, ec); },
                         [&](auto t) { return db()->async_vector_upsert_batch(run(), std::string(coll), records, t); });
  }
  Result<std::optional<VectorEntry>> vector_get(std::string_view coll, std::string_view key) {
    return call<std::optional<VectorEntry>>(
        [&] { return db_.vector_get(coll, key); }, [&](error_code& ec) { return db_.vector_get(coll, key, ec); },
        [&](auto t) { return db()->async_vector_get(run(), std::string(coll), std::string(key), t); });
  }
  Result<bool> vector_delete(std::string_view coll, std::string_view key) {
    return call<bool>([&] { return db_.vector_delete(coll, key); },
                      [&](error_code& ec) { return db_.vector_delete(coll, key, ec); },
                      [&](auto t) { return db()->async_vector_delete(run(), std::string(coll), std::string(key), t); });
  }
  Result<std::vector<VectorMatch>> vector_search(std::string_view coll, const std::vector<float>& q, std::size_t k,
                                                 const VectorSearchOptions& options = {}) {
    return call<std::vector<VectorMatch>>(
        [&] { return db_.vector_search(coll, q, k, options); },
        [&](error_code& ec) { return db_.vector_search(coll, q, k, options, ec); },
        [&](auto t) { return db()->async_vector_search(run(), std::string(coll), q, k, options, t); });
  }

  // ---- transactions: begin is synchronous everywhere; commit has three forms ----
  Result<Version> commit(Transaction& tx) {
    return call<Version>([&] { return tx.commit(); }, [&](error_code& ec) { return tx.commit(ec); },
                         [&](auto t) { return tx.async_commit(t); });
  }

  // ---- database ----
  Result<std::string> ping() {
    return call<std::string>([&] { return db_.ping(); },
                             [&](error_code& ec) {
                               try {
                                 return db_.ping();
                               } catch (const Error& e) {
                                 ec = e.code();
                                 return std::string();
                               }
                             },
                             [&](auto t) { return db()->async_ping(t); });
  }

 private:
  std::shared_ptr<Database> db() const { return db_.database(); }
  std::string run() const { return db_.current_run(); }

  template <class T>
  static Result<T> from_code(const error_code& ec, T value) {
    Result<T> r;
    r.ec = ec;
    if (ec) r.what = what_of(ec);
    else r.value = std::move(value);
    return r;
  }

  template <class T, class Sync>
  static Result<T> call_throwing(Sync&& sync) {
    Result<T> r;
    try {
      r.value = sync();
    } catch (const Error& e) {
      r.ec = e.code();
      r.what = e.what();
    }
    return r;
  }

  template <class T, class Sync, class Code, class Async>
  Result<T> call(Sync&& sync, Code&& code, Async&& async) {
    switch (front_) {
      case Front::Throwing: return call_throwing<T>(sync);
      case Front::ErrorCode: {
        error_code ec = make_error_code(errc::internal);  // dirty: a success must clear it
        T value = code(ec);
        return from_code(ec, std::move(value));
      }
      case Front::Async: {
        // A plain callback (Boost 1.81's as_tuple does not compose with
        // use_future); it runs on the handler's default executor, the
        // database's pool, and hands the outcome to this thread.
        auto done = std::make_shared<std::promise<std::pair<error_code, T>>>();
        auto result = done->get_future();
        async([done](error_code ec, T value) { done->set_value({ec, std::move(value)}); });
        auto [ec, value] = result.get();
        return from_code<T>(ec, std::move(value));
      }
    }
    return {};
  }

  Strata db_;
  Front front_;
};

/// A fresh in-memory database per test case, and the front end of the case.
struct FrontendFixture : DbFixture {};

}  // namespace strata::test

/// A test case run once per front end; the body sees `front` and `db` (the
/// DbFixture's handle) and builds its Api with Api(db, front) — or with
/// api_for(front) for a second handle.
#define STRATA_FRONTEND_TEST(name) \
  BOOST_DATA_TEST_CASE_F(::strata::test::FrontendFixture, name, ::boost::unit_test::data::make(::strata::test::kFronts), front)
