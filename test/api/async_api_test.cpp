// The async API contract of strata::Database and Transaction (docs/design/api.md, docs/design/transactions.md):
// every completion token style, the Asio rules (never inline, associated
// executor, default executor, work tracking), the embedder's executor,
// async_transaction, async_commit, and the sync facade called from the
// database's own pool threads.
#define BOOST_TEST_MODULE api_async
#include <boost/test/unit_test.hpp>

#include "support/inline_probe.hpp"
#include "support/tracking_executor.hpp"

#include <strata/strata.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::Database;
using strata::errc;
using strata::error_code;
using strata::Options;
using strata::Transaction;
using strata::Value;
using strata::Version;

namespace {

bool is(const error_code& ec, errc e) { return ec == make_error_code(e); }

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

/// 2 shards so that multi-key commits cross shards; 2 pool threads.
Options pool_options() {
  Options o;
  o.shards = 2;
  o.threads = 2;
  return o;
}

/// A database on an io_context that the test runs itself (the embedder's
/// executor). ioc is declared first so that it outlives the database.
struct EmbeddedDb {
  asio::io_context ioc;
  std::shared_ptr<Database> db;

  explicit EmbeddedDb(Options o = {}) {
    o.shards = 2;
    o.executor = ioc.get_executor();
    db = Database::open(std::move(o));
  }

  /// Drains ioc. stopped() afterwards means run() returned because no work
  /// was left — a leaked operation would keep it running until the limit.
  void drain() {
    ioc.restart();
    ioc.run_for(20s);
    BOOST_TEST(ioc.stopped(), "io_context still had work after 20 s (leaked operation?)");
  }

  /// Runs body (a callable returning awaitable<void>) to completion on ioc.
  template <class Body>
  void run(Body body) {
    bool finished = false;
    std::exception_ptr failure;
    asio::co_spawn(ioc, std::move(body), [&](std::exception_ptr e) {
      finished = true;
      failure = e;
    });
    drain();
    BOOST_TEST_REQUIRE(finished);
    if (failure) std::rethrow_exception(failure);
  }
};

/// A database on its own 2-thread pool.
struct PoolDb {
  std::shared_ptr<Database> db = Database::open(pool_options());

  template <class Body>
  void run(Body body) {
    auto done = asio::co_spawn(db->get_executor(), std::move(body), asio::use_future);
    BOOST_TEST_REQUIRE((done.wait_for(30s) == std::future_status::ready), "coroutine did not finish in 30 s");
    done.get();
  }
};

using strata::test::InlineProbe;

/// One of each kind of operation, with results known at once: hits,
/// validation errors, unknown runs, commits.
void start_every_kind(InlineProbe& p, Database& db) {
  p.check([&](auto h) { db.async_kv_put("default", "k", Value(1), h); });
  p.check([&](auto h) { db.async_kv_get("default", "k", h); });
  p.check([&](auto h) { db.async_kv_get("default", "", h); });
  p.check([&](auto h) { db.async_kv_get("no-such-run", "k", h); });
  p.check([&](auto h) { db.async_kv_list("default", "", strata::PageRequest(), h); });
  p.check([&](auto h) { db.async_kv_delete("default", "absent", h); });
  p.check([&](auto h) { db.async_create_run("bad name!", strata::Object{}, h); });
  p.check([&](auto h) { db.async_ping(h); });
  p.check([&](auto h) { db.async_info(h); });
  p.check([&](auto h) {
    Transaction tx = db.begin("default");
    tx.kv_put("tx-key", Value("x"));
    tx.async_commit(h);
  });
  p.check([&](auto h) {
    Transaction tx = db.begin("default");
    tx.rollback();
    tx.async_commit(h);  // transaction_not_active, known at once
  });
}

}  // namespace

// ---- completion token styles ------------------------------------------------------

BOOST_AUTO_TEST_CASE(default_token_is_awaitable_in_a_coroutine) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    Version v1 = co_await e.db->async_kv_put("default", "a", Value(1));
    Version v2 = co_await e.db->async_kv_put("default", "b", Value("two"));
    BOOST_TEST(v2 > v1);
    std::optional<Value> a = co_await e.db->async_kv_get("default", "a");
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(a->as_int() == 1);
    BOOST_TEST(!(co_await e.db->async_kv_get("default", "absent")).has_value());
    strata::KeyPage page = co_await e.db->async_kv_list("default", "", strata::PageRequest());
    BOOST_TEST((page.keys == std::vector<std::string>{"a", "b"}));
    strata::RunInfo run = co_await e.db->async_create_run("r1");
    BOOST_TEST(run.name == "r1");
    BOOST_TEST(co_await e.db->async_run_exists("r1"));
  });
}

BOOST_AUTO_TEST_CASE(default_token_throws_the_strata_code_in_a_coroutine) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    try {
      co_await e.db->async_kv_get("no-such-run", "k");
      BOOST_FAIL("expected run_not_found");
    } catch (const boost::system::system_error& err) {
      BOOST_TEST(is(err.code(), errc::run_not_found));
    }
    try {
      co_await e.db->async_kv_put("default", "", Value(1));
      BOOST_FAIL("expected key_empty");
    } catch (const boost::system::system_error& err) {
      BOOST_TEST(is(err.code(), errc::key_empty));
    }
  });
}

BOOST_AUTO_TEST_CASE(use_awaitable_token) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    Version v = co_await e.db->async_kv_put("default", "k", Value(7), asio::use_awaitable);
    BOOST_TEST(v == 1u);
    auto got = co_await e.db->async_kv_get("default", "k", asio::use_awaitable);
    BOOST_TEST((got == Value(7)));
    auto page = co_await e.db->async_kv_list("default", "k", strata::PageRequest(), asio::use_awaitable);
    BOOST_TEST(page.keys.size() == 1u);
    auto run = co_await e.db->async_create_run("r2", strata::Object{}, asio::use_awaitable);
    BOOST_TEST(run.name == "r2");
  });
}

BOOST_AUTO_TEST_CASE(as_tuple_returns_error_codes) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    auto [ec1, v1] = co_await e.db->async_kv_get("default", "", kTuple);
    BOOST_TEST(is(ec1, errc::key_empty));
    BOOST_TEST(!v1.has_value());
    auto [ec2, v2] = co_await e.db->async_kv_put("no-such-run", "k", Value(1), kTuple);
    BOOST_TEST(is(ec2, errc::run_not_found));
    BOOST_TEST(v2 == 0u);
    auto [ec3, r3] = co_await e.db->async_create_run("dup", strata::Object{}, kTuple);
    BOOST_TEST(!ec3);
    auto [ec4, r4] = co_await e.db->async_create_run("dup", strata::Object{}, kTuple);
    BOOST_TEST(is(ec4, errc::run_exists));
    auto [ec5, p5] = co_await e.db->async_kv_list("bad/run", "", strata::PageRequest(), kTuple);
    BOOST_TEST(is(ec5, errc::invalid_run_name));
    auto [ec6, v6] = co_await e.db->async_kv_put("default", "ok", Value(1), kTuple);
    BOOST_TEST(!ec6);
    BOOST_TEST(v6 == 1u);
  });
}

BOOST_AUTO_TEST_CASE(use_future_token_on_the_internal_pool) {
  PoolDb p;
  std::future<Version> put = p.db->async_kv_put("default", "k", Value("v"), asio::use_future);
  BOOST_TEST(put.get() == 1u);
  BOOST_TEST((p.db->async_kv_get("default", "k", asio::use_future).get() == Value("v")));
  BOOST_TEST(p.db->async_kv_list("default", "", strata::PageRequest(), asio::use_future).get().keys.size() == 1u);
  BOOST_TEST(p.db->async_create_run("fut", strata::Object{}, asio::use_future).get().name == "fut");
  // Errors: get() would throw system_error; the packaged-task form of
  // use_future keeps the code as a value (and keeps TSan runs free of
  // libstdc++'s uninstrumented exception_ptr reference counting).
  auto code_of = [](error_code ec, std::optional<Value>) { return ec; };
  BOOST_TEST(is(p.db->async_kv_get("default", "", asio::use_future(code_of)).get(), errc::key_empty));
  BOOST_TEST(is(p.db->async_kv_get("nope", "k", asio::use_future(code_of)).get(), errc::run_not_found));
}

BOOST_AUTO_TEST_CASE(plain_callbacks) {
  EmbeddedDb e;
  int done = 0;
  e.db->async_kv_put("default", "k", Value(5), [&](error_code ec, Version v) {
    BOOST_TEST(!ec);
    BOOST_TEST(v == 1u);
    ++done;
  });
  e.db->async_kv_get("default", "k", [&](error_code ec, std::optional<Value> v) {
    BOOST_TEST(!ec);
    BOOST_TEST((v == Value(5)));  // the put was applied at initiation
    ++done;
  });
  e.db->async_kv_list("default", "", strata::PageRequest(), [&](error_code ec, strata::KeyPage p) {
    BOOST_TEST(!ec);
    BOOST_TEST(p.keys.size() == 1u);
    ++done;
  });
  e.db->async_create_run("cb", strata::Object{}, [&](error_code ec, strata::RunInfo r) {
    BOOST_TEST(!ec);
    BOOST_TEST(r.name == "cb");
    ++done;
  });
  e.db->async_kv_get("nope", "k", [&](error_code ec, std::optional<Value>) {
    BOOST_TEST(is(ec, errc::run_not_found));
    ++done;
  });
  BOOST_TEST(done == 0);  // nothing runs before the io_context does
  e.drain();              // run() must not return before every handler ran
  BOOST_TEST(done == 5);
}

// ---- Asio rules -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(immediate_results_are_never_delivered_inline) {
  EmbeddedDb e;
  InlineProbe outside;
  start_every_kind(outside, *e.db);
  BOOST_TEST(outside.completed == 0);
  // From inside a handler on the database's own executor, where a dispatch
  // would run inline at once.
  InlineProbe inside;
  asio::post(e.ioc, [&] { start_every_kind(inside, *e.db); });
  e.drain();
  BOOST_TEST(outside.completed == outside.started);
  BOOST_TEST(inside.completed == inside.started);
  BOOST_TEST(outside.inline_calls == 0);
  BOOST_TEST(inside.inline_calls == 0);
}

BOOST_AUTO_TEST_CASE(handler_runs_on_its_bound_executor) {
  PoolDb p;
  asio::io_context other;
  auto strand = asio::make_strand(other);
  std::atomic<int> on_strand{0}, on_other{0}, done{0};
  for (int i = 0; i < 10; ++i) {
    p.db->async_kv_put("default", "k" + std::to_string(i), Value(i), asio::bind_executor(strand, [&](error_code ec, Version) {
                         BOOST_TEST(!ec);
                         if (strand.running_in_this_thread()) ++on_strand;
                         ++done;
                       }));
    p.db->async_kv_get("default", "", asio::bind_executor(other.get_executor(), [&](error_code ec, auto) {
                         BOOST_TEST(is(ec, errc::key_empty));
                         if (other.get_executor().running_in_this_thread()) ++on_other;
                         ++done;
                       }));
  }
  // The handlers keep `other` busy (tracked work) until they ran, even
  // though the operations completed on the pool.
  other.run_for(20s);
  BOOST_TEST(other.stopped());
  BOOST_TEST(done.load() == 20);
  BOOST_TEST(on_strand.load() == 10);
  BOOST_TEST(on_other.load() == 10);
}

BOOST_AUTO_TEST_CASE(bound_executor_wins_over_the_embedders_executor) {
  EmbeddedDb e;
  asio::io_context other;
  bool ran = false;
  e.db->async_kv_put("default", "k", Value(1), asio::bind_executor(other, [&](error_code ec, Version) {
                       BOOST_TEST(!ec);
                       BOOST_TEST(other.get_executor().running_in_this_thread());
                       ran = true;
                     }));
  e.drain();
  BOOST_TEST(!ran);  // the database's io_context must not run it
  other.run_for(20s);
  BOOST_TEST(other.stopped());
  BOOST_TEST(ran);
}

BOOST_AUTO_TEST_CASE(default_handler_executor_is_the_databases) {
  EmbeddedDb e;
  int ran = 0;
  auto check = [&](error_code, auto&&) {
    BOOST_TEST(e.ioc.get_executor().running_in_this_thread());
    ++ran;
  };
  e.db->async_kv_get("default", "k", check);
  Transaction tx = e.db->begin("default");
  tx.kv_put("k", Value(1));
  tx.async_commit(check);
  e.drain();
  BOOST_TEST(ran == 2);

  PoolDb p;
  const asio::any_io_executor db_ex = p.db->get_executor();
  const auto* pool = db_ex.target<asio::thread_pool::executor_type>();
  BOOST_TEST_REQUIRE(pool != nullptr);
  std::promise<bool> on_pool;
  p.db->async_kv_get("default", "k", [&](error_code, auto&&) { on_pool.set_value(pool->running_in_this_thread()); });
  auto f = on_pool.get_future();
  BOOST_TEST_REQUIRE((f.wait_for(30s) == std::future_status::ready));
  BOOST_TEST(f.get());
}

BOOST_AUTO_TEST_CASE(tracking_executor_classifies_what_it_is_asked_to_do) {
  // Self-test of the helper, so that the counts below mean what they say.
  asio::io_context ioc;
  auto tracker = strata::test::track(ioc.get_executor());
  const auto& tally = *tracker.tally();
  int ran_inside = 0;
  auto note = [&] { ran_inside += tally.running_in_this_thread() ? 1 : 0; };
  asio::post(tracker, note);
  asio::defer(tracker, note);
  asio::post(ioc, [&] { asio::dispatch(tracker, note); });  // inline: ioc runs here
  BOOST_TEST(!tally.running_in_this_thread());
  ioc.run_for(20s);
  BOOST_TEST(ioc.stopped());
  BOOST_TEST(ran_inside == 3);
  BOOST_TEST(tally.posts.load() == 1);
  BOOST_TEST(tally.defers.load() == 1);
  BOOST_TEST(tally.dispatches.load() == 1);
  BOOST_TEST(tally.runs.load() == 3);
}

BOOST_AUTO_TEST_CASE(completions_go_through_the_associated_tracking_executor) {
  EmbeddedDb e;
  auto tracker = strata::test::track(e.ioc.get_executor());
  const auto& tally = *tracker.tally();
  InlineProbe probe;
  int through = 0;
  auto start = [&](auto h) {
    return [&, h](error_code ec, auto&& v) {
      if (tally.running_in_this_thread()) ++through;
      h(ec, std::forward<decltype(v)>(v));
    };
  };
  probe.check([&](auto h) { e.db->async_kv_put("default", "k", Value(1), asio::bind_executor(tracker, start(h))); });
  probe.check([&](auto h) { e.db->async_kv_get("default", "k", asio::bind_executor(tracker, start(h))); });
  probe.check([&](auto h) { e.db->async_kv_get("default", "", asio::bind_executor(tracker, start(h))); });
  probe.check([&](auto h) { e.db->async_create_run("t", strata::Object{}, asio::bind_executor(tracker, start(h))); });
  probe.check([&](auto h) {
    Transaction tx = e.db->begin("default");
    tx.kv_put("k", Value(2));
    tx.async_commit(asio::bind_executor(tracker, start(h)));
  });
  e.drain();
  BOOST_TEST(probe.completed == 5);
  BOOST_TEST(probe.inline_calls == 0);
  BOOST_TEST(through == 5);
  BOOST_TEST(tally.runs.load() == tally.executes.load());
  BOOST_TEST(tally.executes.load() >= 5);
  // Every result here is known at initiation, which docs/design/api.md says is posted.
  BOOST_TEST(tally.dispatches.load() == 0);
}

BOOST_AUTO_TEST_CASE(tracking_executor_as_the_database_executor) {
  asio::io_context ioc;
  auto tracker = strata::test::track(ioc.get_executor());
  const auto& tally = *tracker.tally();
  Options o;
  o.shards = 2;
  o.executor = asio::any_io_executor(tracker);
  auto db = Database::open(std::move(o));
  bool finished = false;
  int resumed_through = 0;
  asio::co_spawn(db->get_executor(), [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 5; ++i) {
      co_await db->async_kv_put("default", "k", Value(i));
      if (tally.running_in_this_thread()) ++resumed_through;
    }
    auto got = co_await db->async_kv_get("default", "k");
    BOOST_TEST((got == Value(4)));
  }, [&](std::exception_ptr ep) {
    BOOST_TEST(!ep);
    finished = true;
  });
  ioc.run_for(20s);
  BOOST_TEST(ioc.stopped());
  BOOST_TEST(finished);
  BOOST_TEST(resumed_through == 5);
  BOOST_TEST(tally.runs.load() >= 6);
  db.reset();  // before ioc: the database's strands live on it
}

// ---- the embedder's executor and the internal pool ------------------------------

/// Puts, gets, a list and a transaction: the body both executors run.
/// Reports a failed expectation from code that may run on pool threads,
/// where Boost.Test assertions are not thread-safe: the exception reaches
/// the test thread through the coroutine's completion.
void expect(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("expectation failed: ") + what);
}

/// Puts, gets, a list and a transaction: the body both executors run.
asio::awaitable<void> mixed_workload(Database& db) {
  for (int i = 0; i < 20; ++i) co_await db.async_kv_put("default", "n" + std::to_string(i), Value(i));
  for (int i = 0; i < 20; ++i) {
    auto v = co_await db.async_kv_get("default", "n" + std::to_string(i));
    expect(v == Value(i), "get returns the value put");
  }
  int sum = co_await db.async_transaction("default", [&](Transaction& tx) -> asio::awaitable<int> {
    int s = 0;
    for (const auto& k : tx.kv_list("n").keys) s += static_cast<int>(tx.kv_get(k)->as_int());
    tx.kv_put("sum", Value(s));
    co_return s;
  });
  expect(sum == 190, "the transaction saw all 20 keys");
  expect(co_await db.async_kv_get("default", "sum") == Value(190), "the transaction committed");
}

BOOST_AUTO_TEST_CASE(embedder_executor_runs_everything_and_leaks_no_work) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> { co_await mixed_workload(*e.db); });
  // A callback started from outside: run() returns only after it ran.
  bool ran = false;
  e.db->async_kv_get("default", "sum", [&](error_code ec, std::optional<Value> v) {
    BOOST_TEST(!ec);
    BOOST_TEST((v == Value(190)));
    ran = true;
  });
  e.drain();
  BOOST_TEST(ran);
}

BOOST_AUTO_TEST_CASE(internal_pool_runs_the_same_workload) {
  PoolDb p;
  p.run([&]() -> asio::awaitable<void> { co_await mixed_workload(*p.db); });
}

// ---- async_transaction --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(async_transaction_returns_the_value_and_commits) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    int r = co_await e.db->async_transaction("default", [&](Transaction& tx) -> asio::awaitable<int> {
      tx.kv_put("a", Value(1));
      tx.kv_put("b", Value(2));
      co_return 42;
    });
    BOOST_TEST(r == 42);
    BOOST_TEST((co_await e.db->async_kv_get("default", "a") == Value(1)));
    BOOST_TEST((co_await e.db->async_kv_get("default", "b") == Value(2)));
  });
}

BOOST_AUTO_TEST_CASE(async_transaction_void_form) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    co_await e.db->async_transaction("default", [&](Transaction& tx) -> asio::awaitable<void> {
      tx.kv_put("v", Value("void"));
      co_return;
    });
    BOOST_TEST((co_await e.db->async_kv_get("default", "v") == Value("void")));
  });
}

BOOST_AUTO_TEST_CASE(async_transaction_retries_after_a_conflict) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    co_await e.db->async_kv_put("default", "c", Value(0));
    const auto conflicts_before = (co_await e.db->async_info()).conflicts;
    int attempts = 0;
    int seen = co_await e.db->async_transaction("default", [&](Transaction& tx) -> asio::awaitable<int> {
      ++attempts;
      const auto c = tx.kv_get("c")->as_int();
      // Someone else commits "c" after our snapshot, on the first attempt.
      if (attempts == 1) co_await e.db->async_kv_put("default", "c", Value(100));
      tx.kv_put("c", Value(c + 1));
      co_return static_cast<int>(c);
    });
    BOOST_TEST(attempts == 2);
    BOOST_TEST(seen == 100);
    BOOST_TEST((co_await e.db->async_kv_get("default", "c") == Value(101)));
    BOOST_TEST((co_await e.db->async_info()).conflicts == conflicts_before + 1);
  });
}

BOOST_AUTO_TEST_CASE(async_transaction_gives_up_after_max_attempts) {
  Options o;
  o.max_transaction_attempts = 3;
  EmbeddedDb e(std::move(o));
  e.run([&]() -> asio::awaitable<void> {
    co_await e.db->async_kv_put("default", "c", Value(0));
    int attempts = 0;
    try {
      co_await e.db->async_transaction("default", [&](Transaction& tx) -> asio::awaitable<void> {
        ++attempts;
        tx.kv_put("c", Value(tx.kv_get("c")->as_int() + 1));
        co_await e.db->async_kv_put("default", "c", Value(-attempts));  // always conflicts
      });
      BOOST_FAIL("expected transaction_conflict");
    } catch (const strata::Error& err) {
      BOOST_TEST(is(err.code(), errc::transaction_conflict));
    }
    BOOST_TEST(attempts == 3);
    BOOST_TEST((co_await e.db->async_kv_get("default", "c") == Value(-3)));
  });
}

BOOST_AUTO_TEST_CASE(async_transaction_exception_rolls_back_and_propagates) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    int attempts = 0;
    try {
      co_await e.db->async_transaction("default", [&](Transaction& tx) -> asio::awaitable<void> {
        ++attempts;
        tx.kv_put("never", Value(1));
        throw std::runtime_error("agent failed");
        co_return;
      });
      BOOST_FAIL("expected the exception");
    } catch (const std::runtime_error& err) {
      BOOST_TEST(std::string(err.what()) == "agent failed");
    }
    BOOST_TEST(attempts == 1);
    BOOST_TEST(!(co_await e.db->async_kv_get("default", "never")).has_value());
  });
}

// ---- Transaction::async_commit ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(async_commit_with_use_awaitable) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    Transaction tx = e.db->begin("default");
    tx.kv_put("x", Value(1));
    tx.kv_put("y", Value(2));
    Version v = co_await tx.async_commit(asio::use_awaitable);
    BOOST_TEST(v == 1u);  // both writes at one version
    BOOST_TEST(!tx.active());
    auto h = co_await e.db->async_kv_history("default", "y");
    BOOST_TEST_REQUIRE(h.size() == 1u);
    BOOST_TEST(h[0].version == v);
  });
}

BOOST_AUTO_TEST_CASE(async_commit_with_a_callback) {
  EmbeddedDb e;
  Transaction tx = e.db->begin("default");
  tx.kv_put("x", Value("cb"));
  std::optional<Version> committed;
  tx.async_commit([&](error_code ec, Version v) {
    BOOST_TEST(!ec);
    committed = v;
  });
  BOOST_TEST(!committed.has_value());
  e.drain();
  BOOST_TEST_REQUIRE(committed.has_value());
  BOOST_TEST(*committed == 1u);
  Transaction ro = e.db->begin("default");
  BOOST_TEST((ro.kv_get("x") == Value("cb")));
}

BOOST_AUTO_TEST_CASE(async_commit_reports_conflict_through_as_tuple) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    co_await e.db->async_kv_put("default", "k", Value(1));
    Transaction tx = e.db->begin("default");
    BOOST_TEST((tx.kv_get("k") == Value(1)));
    tx.kv_put("k", Value(2));
    tx.kv_put("other", Value(2));
    Version theirs = co_await e.db->async_kv_put("default", "k", Value(3));
    auto [ec, v] = co_await tx.async_commit(kTuple);
    BOOST_TEST(is(ec, errc::transaction_conflict));
    BOOST_TEST(!tx.active());
    BOOST_TEST((co_await e.db->async_kv_get("default", "k") == Value(3)));
    BOOST_TEST(!(co_await e.db->async_kv_get("default", "other")).has_value());
    BOOST_TEST((co_await e.db->async_info()).visible_version == theirs);  // no version consumed
    auto [ec2, v2] = co_await tx.async_commit(kTuple);
    BOOST_TEST(is(ec2, errc::transaction_not_active));
    (void)v;
    (void)v2;
  });
}

// ---- the sync facade on the database's own pool --------------------------------------

BOOST_AUTO_TEST_CASE(sync_facade_from_many_pool_handlers_does_not_deadlock) {
  PoolDb p;
  constexpr int kHandlers = 64;  // far more than the 2 pool threads
  std::atomic<int> done{0}, failures{0};
  std::promise<void> all_done;
  for (int i = 0; i < kHandlers; ++i) {
    asio::post(p.db->get_executor(), [&, i] {
      try {
        strata::Strata s(p.db);
        const std::string key = "h" + std::to_string(i);
        s.kv_put(key, Value(i));
        if (s.kv_get(key) != Value(i)) ++failures;
        s.transaction([&](Transaction& tx) {
          auto c = tx.kv_get("counter");
          tx.kv_put("counter", Value(c ? c->as_int() + 1 : 1));
        });
      } catch (...) {
        ++failures;
      }
      if (++done == kHandlers) all_done.set_value();
    });
  }
  auto f = all_done.get_future();
  BOOST_TEST_REQUIRE((f.wait_for(60s) == std::future_status::ready), "handlers deadlocked: " << done.load());
  BOOST_TEST(failures.load() == 0);
  strata::Strata s(p.db);
  BOOST_TEST((s.kv_get("counter") == Value(kHandlers)));
}

// Regression (GCC 12): a brace-initialised aggregate temporary with a
// non-trivial member inside a co_await expression — as the old defaulted
// argument `PageRequest page = {}` was — is destroyed twice (ASan: bad free).
// The plain call `co_await db->async_kv_list(run, prefix)` must stay safe.
// Kept last: under ASan a failure aborts the process.
BOOST_AUTO_TEST_CASE(kv_list_with_the_default_page_is_safe_to_co_await) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    co_await e.db->async_kv_put("default", "a", Value(1));
    strata::KeyPage page = co_await e.db->async_kv_list("default", "");
    BOOST_TEST((page.keys == std::vector<std::string>{"a"}));
  });
}
