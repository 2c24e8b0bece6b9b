// The async core's vector operations (docs/design/api.md, docs/guides/vectors.md): every
// Database::async_vector_* works with asio::use_future and with the default
// deferred token under co_await — resuming through the database's executor
// when that is a tracking executor — reports errors as codes, never invokes
// its completion inline and completes through the handler's associated
// executor. Then, on the internal pool: many coroutines upserting into one
// collection at once are all found by an exact search afterwards, and
// searches running while upserts and deletes happen return only keys that
// exist, find every vector acknowledged before they began and none whose
// delete was. Label "concurrency": also run under TSan, so kept small.
#define BOOST_TEST_MODULE api_async_vectors_concurrency
#include <boost/test/unit_test.hpp>

#include "support/inline_probe.hpp"
#include "support/tracking_executor.hpp"

#include <strata/strata.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::CollectionInfo;
using strata::CollectionOptions;
using strata::Database;
using strata::errc;
using strata::error_code;
using strata::Metric;
using strata::Options;
using strata::Value;
using strata::VectorEntry;
using strata::VectorMatch;
using strata::VectorRecord;
using strata::VectorSearchOptions;
using strata::Version;

namespace {

bool is(const error_code& ec, errc e) { return ec == make_error_code(e); }

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

VectorSearchOptions search_options(bool exact, std::optional<Value> filter = std::nullopt) {
  VectorSearchOptions o;
  o.exact = exact;
  o.filter = std::move(filter);
  return o;
}

std::vector<std::string> keys_of(const std::vector<VectorMatch>& m) {
  std::vector<std::string> k;
  for (const auto& x : m) k.push_back(x.key);
  return k;
}

/// Every vector operation once with a result known at initiation: success,
/// each kind of validation error, an unknown collection and an unknown run.
template <class Probe, class Wrap>
void start_every_vector_op(Probe& p, Database& db, Wrap wrap) {
  const std::vector<float> v{1, 0}, bad{1, 0, 0};
  p.check([&](auto h) { db.async_vector_create_collection("default", "c", 2, Metric::Cosine, CollectionOptions{}, wrap(h)); });
  p.check([&](auto h) { db.async_vector_create_collection("default", "", 2, Metric::Cosine, CollectionOptions{}, wrap(h)); });
  p.check([&](auto h) { db.async_vector_create_collection("default", "z", 0, Metric::Cosine, CollectionOptions{}, wrap(h)); });
  p.check([&](auto h) { db.async_vector_list_collections("default", wrap(h)); });
  p.check([&](auto h) { db.async_vector_list_collections("no-such-run", wrap(h)); });
  p.check([&](auto h) { db.async_vector_collection_info("default", "c", wrap(h)); });
  p.check([&](auto h) { db.async_vector_collection_info("default", "nope", wrap(h)); });
  p.check([&](auto h) { db.async_vector_upsert("default", "c", "a", v, Value::object({{"n", 1}}), wrap(h)); });
  p.check([&](auto h) { db.async_vector_upsert("default", "c", "a", bad, std::nullopt, wrap(h)); });
  p.check([&](auto h) { db.async_vector_upsert("default", "nope", "a", v, std::nullopt, wrap(h)); });
  p.check([&](auto h) {
    db.async_vector_upsert_batch("default", "c", std::vector<VectorRecord>{{"b", v, {}}, {"c", v, {}}}, wrap(h));
  });
  p.check([&](auto h) { db.async_vector_upsert_batch("default", "c", std::vector<VectorRecord>{}, wrap(h)); });
  p.check([&](auto h) { db.async_vector_get("default", "c", "a", wrap(h)); });
  p.check([&](auto h) { db.async_vector_get("default", "c", "", wrap(h)); });
  p.check([&](auto h) { db.async_vector_search("default", "c", v, 3, search_options(true), wrap(h)); });
  p.check([&](auto h) { db.async_vector_search("default", "c", v, 0, search_options(false), wrap(h)); });
  p.check([&](auto h) { db.async_vector_search("default", "c", v, 3, search_options(false, Value(1)), wrap(h)); });
  p.check([&](auto h) { db.async_vector_delete("default", "c", "a", wrap(h)); });
  p.check([&](auto h) { db.async_vector_delete("default", "c", "never", wrap(h)); });
  p.check([&](auto h) { db.async_vector_delete_collection("default", "c", wrap(h)); });
  p.check([&](auto h) { db.async_vector_delete_collection("default", "c", wrap(h)); });
}
constexpr int kOps = 21;

using strata::test::InlineProbe;

const auto kPlain = [](auto h) { return h; };

/// A database on an io_context the test runs itself, whose executor is a
/// tracking executor; ioc outlives the database.
struct TrackedDb {
  asio::io_context ioc;
  strata::test::BasicTrackingExecutor<asio::io_context::executor_type> tracker{ioc.get_executor()};
  std::shared_ptr<Database> db;

  TrackedDb() {
    Options o;
    o.shards = 2;
    o.executor = asio::any_io_executor(tracker);
    db = Database::open(std::move(o));
  }
  ~TrackedDb() { db.reset(); }  // before ioc: the database's strands live on it

  const strata::test::ExecutorTally& tally() const { return *tracker.tally(); }

  void drain() {
    ioc.restart();
    ioc.run_for(20s);
    BOOST_TEST(ioc.stopped(), "io_context still had work after 20 s (leaked operation?)");
  }

  template <class Body>
  void run(Body body) {
    bool finished = false;
    std::exception_ptr failure;
    asio::co_spawn(db->get_executor(), std::move(body), [&](std::exception_ptr e) {
      finished = true;
      failure = e;
    });
    drain();
    BOOST_TEST_REQUIRE(finished);
    if (failure) std::rethrow_exception(failure);
  }
};

/// Failures seen on pool threads (Boost.Test assertions are not thread-safe
/// there), asserted afterwards on the test thread.
struct Failures {
  std::mutex mu;
  std::vector<std::string> list;
  void add(std::string what) {
    std::lock_guard lock(mu);
    if (list.size() < 20) list.push_back(std::move(what));
  }
  void report() {
    std::lock_guard lock(mu);
    for (const auto& f : list) BOOST_ERROR(f);
  }
};

Options pool_options() {
  Options o;
  o.shards = 4;
  o.threads = 4;  // more threads than cores: coroutines really interleave
  return o;
}

std::vector<float> point(int writer, int i) {
  return {static_cast<float>(writer), static_cast<float>(i), static_cast<float>(writer * 100 + i) * 0.01f, 1};
}

}  // namespace

// ---- use_future ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_vector_op_with_use_future_on_the_internal_pool) {
  auto db = Database::open(pool_options());
  const auto f = asio::use_future;
  const Version v1 = db->async_vector_create_collection("default", "c", 2, Metric::Euclidean,
                                                        CollectionOptions{.hnsw_threshold = 4, .m = 4, .ef_construction = 8, .ef_search = 8}, f)
                         .get();
  BOOST_TEST(v1 > 0u);
  const auto list = db->async_vector_list_collections("default", f).get();
  BOOST_TEST_REQUIRE(list.size() == 1u);
  BOOST_TEST(list[0].name == "c");
  BOOST_TEST(list[0].options.hnsw_threshold == 4u);
  const Version v2 = db->async_vector_upsert("default", "c", "a", {0, 0}, Value::object({{"n", 1}}), f).get();
  BOOST_TEST(v2 > v1);
  std::vector<VectorRecord> batch;
  for (int i = 1; i <= 9; ++i) batch.push_back({"b" + std::to_string(i), {static_cast<float>(i), 0}, Value(i)});
  const Version v3 = db->async_vector_upsert_batch("default", "c", batch, f).get();
  BOOST_TEST(v3 == v2 + 1);  // one commit
  const auto a = db->async_vector_get("default", "c", "a", f).get();
  BOOST_TEST_REQUIRE(a.has_value());
  BOOST_TEST(a->version == v2);
  BOOST_TEST((a->metadata == Value::object({{"n", 1}})));
  BOOST_TEST(!db->async_vector_get("default", "c", "zz", f).get().has_value());
  const CollectionInfo info = db->async_vector_collection_info("default", "c", f).get();
  BOOST_TEST(info.count == 10u);
  const auto near = db->async_vector_search("default", "c", {2.2f, 0}, 3, search_options(true), f).get();
  BOOST_TEST(keys_of(near) == (std::vector<std::string>{"b2", "b3", "b1"}), boost::test_tools::per_element());
  const auto filtered =
      db->async_vector_search("default", "c", {0, 0}, 2, search_options(false, Value::object({{"n", 1}})), f).get();
  BOOST_TEST(keys_of(filtered) == std::vector<std::string>{"a"});
  BOOST_TEST(db->async_vector_delete("default", "c", "a", f).get());
  BOOST_TEST(!db->async_vector_delete("default", "c", "a", f).get());
  BOOST_TEST(db->async_vector_delete_collection("default", "c", f).get() > v3);
  BOOST_TEST(db->async_vector_list_collections("default", f).get().empty());

  // Errors through the packaged-task form of use_future (no exception_ptr).
  auto code = [](error_code ec, auto&&) { return ec; };
  BOOST_TEST(is(db->async_vector_collection_info("default", "c", f(code)).get(), errc::collection_not_found));
  db->async_vector_create_collection("default", "d", 2, Metric::Cosine, CollectionOptions{}, f).get();
  BOOST_TEST(is(db->async_vector_create_collection("default", "d", 2, Metric::Cosine, CollectionOptions{}, f(code)).get(),
                errc::collection_exists));
  BOOST_TEST(is(db->async_vector_create_collection("default", "e", 0, Metric::Cosine, CollectionOptions{}, f(code)).get(),
                errc::invalid_dimension));
  BOOST_TEST(is(db->async_vector_upsert("default", "d", "a", {1, 2, 3}, std::nullopt, f(code)).get(),
                errc::dimension_mismatch));
  BOOST_TEST(is(db->async_vector_upsert("default", "d", "a", {1, NAN}, std::nullopt, f(code)).get(), errc::invalid_vector));
  BOOST_TEST(is(db->async_vector_get("default", "d", "", f(code)).get(), errc::key_empty));
  BOOST_TEST(is(db->async_vector_search("default", "d", {1, 0}, 0, search_options(false), f(code)).get(), errc::invalid_k));
  BOOST_TEST(is(db->async_vector_search("default", "d", {1, 0}, 1, search_options(false, Value("x")), f(code)).get(),
                errc::invalid_filter));
  BOOST_TEST(is(db->async_vector_delete("default", "nope", "a", f(code)).get(), errc::collection_not_found));
  BOOST_TEST(is(db->async_vector_list_collections("no-run", f(code)).get(), errc::run_not_found));
  BOOST_TEST(is(db->async_vector_upsert_batch("default", "d", std::vector<VectorRecord>{}, f(code)).get(),
                errc::invalid_input));
  BOOST_TEST(is(db->async_vector_delete_collection("default", "nope", f(code)).get(), errc::collection_not_found));
}

// ---- co_await on the tracking executor ------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_vector_op_under_co_await_resumes_through_the_tracking_executor) {
  TrackedDb t;
  int resumed = 0, awaited = 0;
  t.run([&]() -> asio::awaitable<void> {
    Database& db = *t.db;
    auto through = [&] {
      ++awaited;
      if (t.tally().running_in_this_thread()) ++resumed;
    };
    // Arguments are named, not braced temporaries: GCC 12 mis-destroys
    // braced temporaries in co_await expressions (see database.hpp).
    const CollectionOptions options;
    const std::vector<float> x_axis{1, 0, 0}, y_axis{0, 1, 0}, query{0.1f, 0.9f, 0.2f}, short_vector{1, 0};
    const std::optional<Value> x_meta = Value::object({{"axis", "x"}}), no_meta;
    const std::vector<VectorRecord> batch{{"y", {0, 1, 0}, {}}, {"z", {0, 0, 1}, {}}};
    const VectorSearchOptions graph = search_options(false), exact = search_options(true),
                              bad_filter = search_options(false, Value::object({{"f", Value::object({{"$in", 1}})}}));

    const Version v = co_await db.async_vector_create_collection("default", "c", 3, Metric::DotProduct, options);
    through();
    BOOST_TEST(v > 0u);
    BOOST_TEST((co_await db.async_vector_list_collections("default")).size() == 1u);
    through();
    co_await db.async_vector_upsert("default", "c", "x", x_axis, x_meta);
    through();
    co_await db.async_vector_upsert_batch("default", "c", batch);
    through();
    const auto x = co_await db.async_vector_get("default", "c", "x");
    through();
    BOOST_TEST_REQUIRE(x.has_value());
    BOOST_TEST(x->vector == x_axis);
    BOOST_TEST((x->metadata == x_meta));
    BOOST_TEST((co_await db.async_vector_collection_info("default", "c")).count == 3u);
    through();
    const auto found = co_await db.async_vector_search("default", "c", query, 2, graph);
    through();
    BOOST_TEST(keys_of(found) == (std::vector<std::string>{"y", "z"}), boost::test_tools::per_element());
    BOOST_TEST(co_await db.async_vector_delete("default", "c", "y"));
    through();
    const auto after = co_await db.async_vector_search("default", "c", y_axis, 1, exact);
    through();
    BOOST_TEST(keys_of(after) == std::vector<std::string>{"x"});  // x and z tie at 0: by key

    // Errors: thrown by the default token, codes through as_tuple.
    try {
      co_await db.async_vector_upsert("default", "c", "w", short_vector, no_meta);
      BOOST_FAIL("expected dimension_mismatch");
    } catch (const boost::system::system_error& e) {
      BOOST_TEST(is(e.code(), errc::dimension_mismatch));
      BOOST_TEST(std::string(e.what()).find("\"c\"") != std::string::npos, e.what());
    }
    through();
    auto [e1, r1] = co_await db.async_vector_search("default", "nope", x_axis, 1, graph, kTuple);
    BOOST_TEST(is(e1, errc::collection_not_found));
    BOOST_TEST(r1.empty());
    auto [e2, r2] = co_await db.async_vector_search("default", "c", x_axis, 1, bad_filter, kTuple);
    BOOST_TEST(is(e2, errc::invalid_filter));
    auto [e3, r3] = co_await db.async_vector_get("default", "c", "_strata/x", kTuple);
    BOOST_TEST(is(e3, errc::key_reserved));
    BOOST_TEST(!r3.has_value());
    auto [e4, r4] = co_await db.async_vector_collection_info("default", "nope", kTuple);
    BOOST_TEST(is(e4, errc::collection_not_found));
    through();
    const Version dropped = co_await db.async_vector_delete_collection("default", "c");
    through();
    auto [e5, r5] = co_await db.async_vector_delete_collection("default", "c", kTuple);
    BOOST_TEST(is(e5, errc::collection_not_found));
    BOOST_TEST(r5 == 0u);
    // None of the failures wrote anything.
    BOOST_TEST((co_await db.async_info()).visible_version == dropped);
    through();
  });
  BOOST_TEST(awaited == 13);
  BOOST_TEST(resumed == awaited);
}

// ---- Asio rules ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(vector_completions_are_never_invoked_inline) {
  TrackedDb t;
  InlineProbe outside;
  start_every_vector_op(outside, *t.db, kPlain);
  BOOST_TEST(outside.started == kOps);
  BOOST_TEST(outside.completed == 0);  // nothing runs before the io_context does
  InlineProbe inside;                  // from a handler running on the database's executor
  asio::post(t.db->get_executor(), [&] { start_every_vector_op(inside, *t.db, kPlain); });
  t.drain();
  BOOST_TEST(outside.completed == outside.started);
  BOOST_TEST(inside.completed == inside.started);
  BOOST_TEST(outside.inline_calls == 0);
  BOOST_TEST(inside.inline_calls == 0);
}

BOOST_AUTO_TEST_CASE(vector_completions_go_through_the_associated_executor) {
  TrackedDb t;
  auto other = strata::test::track(t.ioc.get_executor());  // not the database's executor
  const auto& tally = *other.tally();
  int through = 0;
  auto wrap = [&](auto h) {
    return asio::bind_executor(other, [&through, &tally, h](error_code ec, auto&& v) {
      if (tally.running_in_this_thread()) ++through;
      h(ec, std::forward<decltype(v)>(v));
    });
  };
  InlineProbe probe;
  start_every_vector_op(probe, *t.db, wrap);
  t.drain();
  BOOST_TEST(probe.completed == kOps);
  BOOST_TEST(probe.inline_calls == 0);
  BOOST_TEST(through == kOps);
  BOOST_TEST(tally.dispatches.load() == 0);  // posted, never dispatched
}

// ---- concurrency on the internal pool ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(concurrent_upserts_into_one_collection_are_all_found) {
  constexpr int kWriters = 12, kPerWriter = 25;
  auto db = Database::open(pool_options());
  // A low threshold: the graph is built while the writers write.
  db->async_vector_create_collection("default", "c", 4, Metric::Euclidean,
                                     CollectionOptions{.hnsw_threshold = 50, .m = 8, .ef_construction = 32, .ef_search = 32},
                                     asio::use_future)
      .get();
  Failures failures;
  std::vector<std::future<void>> done;
  for (int w = 0; w < kWriters; ++w) {
    done.push_back(asio::co_spawn(
        db->get_executor(),
        [&, w]() -> asio::awaitable<void> {
          for (int i = 0; i < kPerWriter; ++i) {
            const std::string key = "w" + std::to_string(w) + "-" + std::to_string(i);
            if (i % 5 == 4) {  // every fifth commit is a batch of two
              const std::vector<VectorRecord> batch{{key, point(w, i), Value(i)},
                                                    {key + "b", point(w, i + 1000), Value(i)}};
              co_await db->async_vector_upsert_batch("default", "c", batch);
            } else {
              const std::vector<float> v = point(w, i);
              const std::optional<Value> meta = Value::object({{"w", w}, {"i", i}});
              co_await db->async_vector_upsert("default", "c", key, v, meta);
            }
          }
        },
        asio::use_future));
  }
  for (auto& f : done) {
    BOOST_TEST_REQUIRE((f.wait_for(60s) == std::future_status::ready));
    f.get();
  }
  const std::size_t expected = kWriters * (kPerWriter + kPerWriter / 5);
  BOOST_TEST(db->async_vector_collection_info("default", "c", asio::use_future).get().count == expected);
  const auto all =
      db->async_vector_search("default", "c", {0, 0, 0, 0}, strata::kMaxSearchK, search_options(true), asio::use_future).get();
  BOOST_TEST_REQUIRE(all.size() == expected);
  std::set<std::string> keys;
  for (const auto& m : all) keys.insert(m.key);
  BOOST_TEST(keys.size() == expected);
  for (int w = 0; w < kWriters; ++w)
    for (int i = 0; i < kPerWriter; ++i) {
      const std::string key = "w" + std::to_string(w) + "-" + std::to_string(i);
      BOOST_TEST(keys.count(key) == 1u, key);
      if (i % 5 == 4) BOOST_TEST(keys.count(key + "b") == 1u, key << "b");
    }
  // Each vector is its own nearest neighbour, exactly and through the graph.
  for (int w = 0; w < kWriters; w += 3) {
    const std::string key = "w" + std::to_string(w) + "-7";
    const auto exact = db->async_vector_search("default", "c", point(w, 7), 1, search_options(true), asio::use_future).get();
    BOOST_TEST_REQUIRE(exact.size() == 1u);
    BOOST_TEST(exact[0].key == key);
    BOOST_TEST(exact[0].score == 0.0f);
    const auto got = db->async_vector_get("default", "c", key, asio::use_future).get();
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(got->vector == point(w, 7));
  }
  failures.report();
}

BOOST_AUTO_TEST_CASE(searches_while_upserts_and_deletes_happen_see_only_what_exists) {
  // Writers upsert "keep" vectors (never deleted) and "tmp" vectors that
  // they delete again right away; searchers run exact and graph searches
  // meanwhile. Every search returns only keys that were written, finds every
  // keep vector acknowledged before it began, and no tmp vector whose
  // delete was acknowledged before it began.
  constexpr int kWriters = 6, kPerWriter = 30;
  auto db = Database::open(pool_options());
  db->async_vector_create_collection("default", "c", 4, Metric::Euclidean,
                                     CollectionOptions{.hnsw_threshold = 40, .m = 8, .ef_construction = 32, .ef_search = 32},
                                     asio::use_future)
      .get();
  std::mutex mu;
  std::set<std::string> started, keep_acked, tmp_deleted;
  std::atomic<int> writers_left{kWriters};
  std::atomic<int> searches{0};
  Failures failures;

  auto writer = [&](int w) -> asio::awaitable<void> {
    for (int i = 0; i < kPerWriter; ++i) {
      const std::string keep = "keep" + std::to_string(w) + "-" + std::to_string(i);
      const std::string tmp = "tmp" + std::to_string(w) + "-" + std::to_string(i);
      {
        std::lock_guard lock(mu);
        started.insert(keep);
        started.insert(tmp);
      }
      const std::vector<float> keep_v = point(w, i), tmp_v = point(w, i + 500);
      const std::optional<Value> no_meta, tmp_meta = Value::object({{"tmp", true}});
      co_await db->async_vector_upsert("default", "c", keep, keep_v, no_meta);
      {
        std::lock_guard lock(mu);
        keep_acked.insert(keep);
      }
      co_await db->async_vector_upsert("default", "c", tmp, tmp_v, tmp_meta);
      if (!co_await db->async_vector_delete("default", "c", tmp)) failures.add(tmp + " was not there to delete");
      {
        std::lock_guard lock(mu);
        tmp_deleted.insert(tmp);
      }
    }
    --writers_left;
  };

  auto searcher = [&](int s) -> asio::awaitable<void> {
    for (int round = 0; writers_left.load() > 0 || round < 3; ++round) {
      std::set<std::string> must_find, must_not_find;
      {
        std::lock_guard lock(mu);
        must_find = keep_acked;
        must_not_find = tmp_deleted;
      }
      const bool exact = (round + s) % 2 == 0;
      const std::size_t k = exact ? strata::kMaxSearchK : 10;
      const auto q = point(round % kWriters, round % kPerWriter);
      const VectorSearchOptions plain = search_options(exact),
                                only_tmp = search_options(exact, Value::object({{"tmp", true}}));
      const auto found = co_await db->async_vector_search("default", "c", q, k, plain);
      const auto filtered = co_await db->async_vector_search("default", "c", q, k, only_tmp);
      ++searches;
      std::set<std::string> known;
      {
        std::lock_guard lock(mu);
        known = started;
      }
      std::set<std::string> seen;
      for (const auto& m : found) {
        seen.insert(m.key);
        if (!known.count(m.key)) failures.add("search returned " + m.key + ", never written");
        if (must_not_find.count(m.key)) failures.add("search returned " + m.key + ", deleted before it began");
      }
      for (const auto& m : filtered) {
        if (m.key.rfind("tmp", 0) != 0) failures.add("filtered search returned " + m.key);
        if (must_not_find.count(m.key)) failures.add("filtered search returned " + m.key + ", deleted before it began");
      }
      if (exact)
        for (const auto& key : must_find)
          if (!seen.count(key)) failures.add("exact search missed " + key + ", acknowledged before it began");
    }
  };

  std::vector<std::future<void>> done;
  for (int s = 0; s < 2; ++s) done.push_back(asio::co_spawn(db->get_executor(), searcher(s), asio::use_future));
  for (int w = 0; w < kWriters; ++w) done.push_back(asio::co_spawn(db->get_executor(), writer(w), asio::use_future));
  for (auto& f : done) {
    BOOST_TEST_REQUIRE((f.wait_for(60s) == std::future_status::ready));
    f.get();
  }
  failures.report();
  BOOST_TEST(searches.load() >= 6);
  BOOST_TEST_MESSAGE(searches.load() << " searches ran during the writes");
  // Afterwards: exactly the keep vectors.
  const auto all =
      db->async_vector_search("default", "c", {0, 0, 0, 0}, strata::kMaxSearchK, search_options(true), asio::use_future).get();
  BOOST_TEST(all.size() == static_cast<std::size_t>(kWriters * kPerWriter));
  for (const auto& m : all) BOOST_TEST(m.key.rfind("keep", 0) == 0u, m.key);
}

BOOST_AUTO_TEST_CASE(searches_find_every_vector_of_a_batch_while_the_index_applies_it) {
  // A batch commits many vectors at one version; the indexer applies its
  // changes in bounded steps, so an index can hold part of a version. A
  // search running between two such steps must still find the whole batch.
  constexpr int kBatches = 12, kBatch = 700;  // well above one indexing step
  auto db = Database::open(pool_options());
  db->async_vector_create_collection("default", "c", 4, Metric::Euclidean, CollectionOptions{}, asio::use_future).get();
  std::atomic<int> acked{0};  // batches acknowledged
  std::atomic<bool> writing{true};
  std::atomic<int> searches{0};
  Failures failures;
  auto writer = [&]() -> asio::awaitable<void> {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<VectorRecord> batch;
      for (int i = 0; i < kBatch; ++i) batch.push_back({"b" + std::to_string(b) + "-" + std::to_string(i), point(b, i), {}});
      co_await db->async_vector_upsert_batch("default", "c", batch);
      ++acked;
    }
    writing = false;
  };
  auto searcher = [&]() -> asio::awaitable<void> {
    const std::vector<float> q{0, 0, 0, 0};
    const VectorSearchOptions exact = search_options(true);
    while (writing.load()) {
      const int before = acked.load();
      const auto found = co_await db->async_vector_search("default", "c", q, strata::kMaxSearchK, exact);
      ++searches;
      if (found.size() < static_cast<std::size_t>(before) * kBatch)
        failures.add("an exact search found " + std::to_string(found.size()) + " vectors after " + std::to_string(before) +
                     " batches of " + std::to_string(kBatch) + " were acknowledged");
    }
  };
  std::vector<std::future<void>> done;
  for (int s = 0; s < 3; ++s) done.push_back(asio::co_spawn(db->get_executor(), searcher(), asio::use_future));
  done.push_back(asio::co_spawn(db->get_executor(), writer(), asio::use_future));
  for (auto& f : done) {
    BOOST_TEST_REQUIRE((f.wait_for(60s) == std::future_status::ready));
    f.get();
  }
  failures.report();
  BOOST_TEST_MESSAGE(searches.load() << " searches ran during the batches");
  BOOST_TEST(db->async_vector_collection_info("default", "c", asio::use_future).get().count ==
             static_cast<std::uint64_t>(kBatches * kBatch));
}
