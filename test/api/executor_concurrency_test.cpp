// Concurrency invariants of the async core on the internal pool (docs/design/api.md,
// §6): many coroutines and threads issuing auto-commit puts and gets at
// once, on private and shared keys. Checks: commit versions are unique and
// gap-free, each key's history is strictly ordered and matches what was
// acknowledged, a put is visible to the next get, final values are exact.
// Runs under TSan too (label "concurrency").
#define BOOST_TEST_MODULE api_executor_concurrency
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::Database;
using strata::Value;
using strata::Version;

namespace {

constexpr int kCoroutines = 256;
constexpr int kRounds = 4;
constexpr int kSharedKeys = 4;

/// One acknowledged put.
struct PutRecord {
  std::string key;
  std::int64_t value = 0;
  Version version = 0;
};

/// What one worker saw; each worker owns its own, so no locking is needed
/// (the future's get() publishes it to the test thread).
struct WorkerLog {
  std::vector<PutRecord> puts;
  int stale_reads = 0;  // a get that did not see this worker's last put
};

strata::Options pool_options() {
  strata::Options o;
  o.shards = 4;
  o.threads = 2;
  return o;
}

std::string shared_key(int i) { return "shared/" + std::to_string(i % kSharedKeys); }

/// Puts its own key and one shared key per round, reading each back.
asio::awaitable<void> worker(Database& db, int id, WorkerLog& log) {
  const std::string own = "own/" + std::to_string(id);
  for (int round = 0; round < kRounds; ++round) {
    const std::int64_t value = id * 1000 + round;
    const Version v = co_await db.async_kv_put("default", own, Value(value));
    log.puts.push_back({own, value, v});
    // Nobody else writes `own`: an acknowledged put is visible at once.
    if (co_await db.async_kv_get("default", own) != Value(value)) ++log.stale_reads;

    const std::string shared = shared_key(id + round);
    const Version sv = co_await db.async_kv_put("default", shared, Value(value));
    log.puts.push_back({shared, value, sv});
    auto seen = co_await db.async_kv_get("default", shared);
    if (!seen || !seen->is_int()) ++log.stale_reads;
  }
}

/// Versions over all puts: unique and exactly 1..n (gap-free, fresh db).
void check_versions_gap_free(const std::vector<PutRecord>& all) {
  std::set<Version> versions;
  for (const auto& p : all) versions.insert(p.version);
  BOOST_TEST(versions.size() == all.size(), "duplicate commit versions");
  BOOST_TEST_REQUIRE(!versions.empty());
  BOOST_TEST(*versions.begin() == 1u);
  BOOST_TEST(*versions.rbegin() == all.size());
}

/// Per key: the retained history is strictly ordered (newest first) and is
/// exactly the acknowledged puts, each with its own value; the current value
/// is the one with the highest version.
void check_key_histories(Database& db, const std::vector<PutRecord>& all) {
  std::map<std::string, std::map<Version, std::int64_t>> by_key;
  for (const auto& p : all) by_key[p.key][p.version] = p.value;
  for (const auto& [key, puts] : by_key) {
    BOOST_TEST_CONTEXT("key " << key) {
      auto history = db.async_kv_history("default", key, asio::use_future).get();
      BOOST_TEST_REQUIRE(history.size() == puts.size());
      auto expected = puts.rbegin();
      for (std::size_t i = 0; i < history.size(); ++i, ++expected) {
        if (i > 0) BOOST_TEST(history[i - 1].version > history[i].version);
        BOOST_TEST(history[i].version == expected->first);
        BOOST_TEST((history[i].value == Value(expected->second)));
      }
      auto current = db.async_kv_get("default", key, asio::use_future).get();
      BOOST_TEST((current == Value(puts.rbegin()->second)));
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(many_coroutines_on_a_two_thread_pool) {
  auto db = Database::open(pool_options());
  std::vector<WorkerLog> logs(kCoroutines);
  std::vector<std::future<void>> done;
  for (int i = 0; i < kCoroutines; ++i)
    done.push_back(asio::co_spawn(db->get_executor(), worker(*db, i, logs[i]), asio::use_future));
  for (auto& f : done) {
    BOOST_TEST_REQUIRE((f.wait_for(60s) == std::future_status::ready), "a coroutine did not finish");
    f.get();
  }

  std::vector<PutRecord> all;
  for (const auto& log : logs) {
    BOOST_TEST(log.stale_reads == 0);
    // Program order within one coroutine is commit order.
    for (std::size_t i = 1; i < log.puts.size(); ++i) BOOST_TEST(log.puts[i - 1].version < log.puts[i].version);
    all.insert(all.end(), log.puts.begin(), log.puts.end());
  }
  BOOST_TEST(all.size() == std::size_t{kCoroutines * kRounds * 2});
  check_versions_gap_free(all);
  check_key_histories(*db, all);
  auto info = db->async_info(asio::use_future).get();
  BOOST_TEST(info.commits == all.size());
  BOOST_TEST(info.visible_version == all.size());
  BOOST_TEST(info.keys["kv"] == std::uint64_t{kCoroutines + kSharedKeys});
}

BOOST_AUTO_TEST_CASE(many_threads_with_futures_on_shared_keys) {
  // Database is safe to call from any thread: OS threads (not pool
  // handlers) initiate concurrently and wait on futures.
  auto db = Database::open(pool_options());
  constexpr int kThreads = 4;
  constexpr int kPuts = 100;
  std::vector<std::vector<PutRecord>> logs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&db, &log = logs[t], t] {
      for (int i = 0; i < kPuts; ++i) {
        const std::string key = shared_key(i);
        const std::int64_t value = t * 1000 + i;
        log.push_back({key, value, db->async_kv_put("default", key, Value(value), asio::use_future).get()});
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<PutRecord> all;
  for (const auto& log : logs) all.insert(all.end(), log.begin(), log.end());
  check_versions_gap_free(all);
  check_key_histories(*db, all);
}
