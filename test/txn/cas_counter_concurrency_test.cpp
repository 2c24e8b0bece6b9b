// The counter invariant (docs/design/reliability.md): N workers each incrementing one counter
// key M times in read-modify-write transactions. With OCC no increment may
// be lost or doubled: the final value equals the number of successful
// commits exactly, and every failed commit is reported as a conflict (and
// counted in info().conflicts). Threads with the sync facade, and
// coroutines with the async core. Runs under TSan too.
#define BOOST_TEST_MODULE txn_cas_counter_concurrency
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::Database;
using strata::errc;
using strata::error_code;
using strata::Strata;
using strata::Transaction;
using strata::Value;
using strata::Version;

namespace {

constexpr int kThreads = 4;
constexpr int kIncrementsPerThread = 200;

strata::Options counter_options() {
  strata::Options o;
  o.shards = 4;
  o.threads = 2;
  o.max_transaction_attempts = 100000;
  return o;
}

/// Reads the counter (absent = 0) and writes it + 1.
void increment(Transaction& tx) {
  const auto c = tx.kv_get("counter");
  tx.kv_put("counter", Value(c ? c->as_int() + 1 : 1));
}

std::int64_t counter_value(Strata& s) {
  const auto c = s.kv_get("counter");
  return c ? c->as_int() : 0;
}

/// Successful commits and conflicts of explicit begin/commit workers.
struct Tally {
  std::atomic<long> commits{0};
  std::atomic<long> conflicts{0};
  std::atomic<long> errors{0};
  std::mutex versions_mutex;
  std::set<Version> versions;  // every successful commit's version

  void committed(Version v) {
    ++commits;
    std::lock_guard lock(versions_mutex);
    if (!versions.insert(v).second) ++errors;  // a version handed out twice
  }
};

/// The final counter equals the successful commits, each at its own version,
/// and the database counted exactly the conflicts the workers saw.
void check_tally(Strata& s, Tally& t, std::uint64_t conflicts_before) {
  BOOST_TEST(t.errors.load() == 0);
  BOOST_TEST(counter_value(s) == t.commits.load());
  BOOST_TEST(t.versions.size() == static_cast<std::size_t>(t.commits.load()));
  const auto info = s.info();
  BOOST_TEST(info.conflicts - conflicts_before == static_cast<std::uint64_t>(t.conflicts.load()));
  BOOST_TEST_MESSAGE("commits " << t.commits.load() << ", conflicts " << t.conflicts.load());
}

}  // namespace

BOOST_AUTO_TEST_CASE(strata_transaction_retries_until_every_increment_lands) {
  Strata s = Strata::open_temp(counter_options());
  std::atomic<long> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&errors, s]() mutable {
      try {
        for (int i = 0; i < kIncrementsPerThread; ++i) s.transaction([](Transaction& tx) { increment(tx); });
      } catch (const std::exception&) {
        ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(errors.load() == 0);
  BOOST_TEST(counter_value(s) == kThreads * kIncrementsPerThread);
  const auto info = s.info();
  BOOST_TEST(info.commits == std::uint64_t{kThreads * kIncrementsPerThread});
  BOOST_TEST_MESSAGE("conflicts retried: " << info.conflicts);
}

BOOST_AUTO_TEST_CASE(explicit_commits_count_exactly_the_conflicts) {
  Strata s = Strata::open_temp(counter_options());
  const auto conflicts_before = s.info().conflicts;
  Tally tally;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&tally, s]() mutable {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        Transaction tx = s.begin();
        increment(tx);
        std::this_thread::yield();  // widen the window for conflicts
        error_code ec;
        const Version v = tx.commit(ec);
        if (!ec) tally.committed(v);
        else if (ec == errc::transaction_conflict) ++tally.conflicts;
        else ++tally.errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(tally.commits.load() + tally.conflicts.load() == long{kThreads * kIncrementsPerThread});
  check_tally(s, tally, conflicts_before);
}

// ---- coroutines on the pool ---------------------------------------------------------

namespace {

// Every commit invalidates all other in-flight attempts, so work grows as
// coroutines^2: keep it small enough for TSan.
constexpr int kCoroutines = 16;
constexpr int kIncrementsPerCoroutine = 10;

/// Explicit begin + async_commit, retrying conflicts itself.
asio::awaitable<void> cas_coroutine(Database& db, Tally& t) {
  for (int i = 0; i < kIncrementsPerCoroutine;) {
    Transaction tx = db.begin("default");
    increment(tx);
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    auto [ec, v] = co_await tx.async_commit(asio::as_tuple(asio::use_awaitable));
    if (!ec) {
      t.committed(v);
      ++i;
    } else if (ec == errc::transaction_conflict) {
      ++t.conflicts;
    } else {
      ++t.errors;
      co_return;
    }
  }
}

asio::awaitable<void> async_transaction_coroutine(Database& db) {
  for (int i = 0; i < kIncrementsPerCoroutine; ++i) {
    co_await db.async_transaction("default", [](Transaction& tx) -> asio::awaitable<void> {
      increment(tx);
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    });
  }
}

void wait_all(std::vector<std::future<void>>& done) {
  for (auto& f : done) {
    BOOST_TEST_REQUIRE((f.wait_for(120s) == std::future_status::ready), "a coroutine did not finish");
    f.get();
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(coroutines_with_async_commit_count_exactly) {
  Strata s = Strata::open_temp(counter_options());
  Database& db = *s.database();
  const auto conflicts_before = s.info().conflicts;
  Tally tally;
  std::vector<std::future<void>> done;
  for (int c = 0; c < kCoroutines; ++c)
    done.push_back(asio::co_spawn(db.get_executor(), cas_coroutine(db, tally), asio::use_future));
  wait_all(done);
  BOOST_TEST(tally.commits.load() == long{kCoroutines * kIncrementsPerCoroutine});
  check_tally(s, tally, conflicts_before);
}

BOOST_AUTO_TEST_CASE(coroutines_with_async_transaction_lose_no_increment) {
  Strata s = Strata::open_temp(counter_options());
  Database& db = *s.database();
  std::vector<std::future<void>> done;
  for (int c = 0; c < kCoroutines; ++c)
    done.push_back(asio::co_spawn(db.get_executor(), async_transaction_coroutine(db), asio::use_future));
  wait_all(done);
  BOOST_TEST(counter_value(s) == kCoroutines * kIncrementsPerCoroutine);
  const auto info = s.info();
  BOOST_TEST(info.commits == std::uint64_t{kCoroutines * kIncrementsPerCoroutine});
  BOOST_TEST_MESSAGE("conflicts retried: " << info.conflicts);
}
