// Compare-and-swap on state cells under contention (docs/design/primitives.md, docs/design/reliability.md): a counter
// advanced only by state_cas(read version -> value + 1). Exactly one of any
// set of racing CAS calls on one version wins, so the final value equals the
// number of successful CAS calls, whether they come from coroutines on the
// async core, from threads on the sync facade, or both. Runs under TSan too.
#define BOOST_TEST_MODULE state_cas_concurrency
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::Database;
using strata::Strata;
using strata::Value;
using strata::Version;

namespace {

constexpr int kCoroutines = 64;
constexpr int kWinsEach = 10;

std::shared_ptr<Database> open_pool() {
  strata::Options o;
  o.shards = 4;
  o.threads = 2;
  return Database::open(o);
}

/// Successful CAS calls and the versions they returned (each must be new).
struct Wins {
  std::atomic<long> count{0};
  std::atomic<long> misses{0};
  std::atomic<long> duplicate_versions{0};
  std::mutex m;
  std::set<Version> versions;
  void won(Version v) {
    ++count;
    std::lock_guard lock(m);
    if (!versions.insert(v).second) ++duplicate_versions;
  }
};

/// Loops read + CAS until it has won `times` times. Takes a plain pointer:
/// the last shared_ptr must not be dropped on a pool thread.
asio::awaitable<void> cas_increments(Database* db, int times, Wins& wins) {
  for (int won = 0; won < times;) {
    auto cur = co_await db->async_state_read("default", "counter", asio::use_awaitable);
    const std::int64_t n = cur ? cur->value.as_int() : 0;
    const std::optional<Version> expected = cur ? std::optional<Version>(cur->version) : std::nullopt;
    auto v = co_await db->async_state_cas("default", "counter", expected, Value(n + 1), asio::use_awaitable);
    if (v) {
      wins.won(*v);
      ++won;
    } else {
      ++wins.misses;
    }
  }
}

void sync_increments(Strata s, int times, Wins& wins) {
  for (int won = 0; won < times;) {
    auto cur = s.state_read("counter");
    const std::optional<Version> expected = cur ? std::optional<Version>(cur->version) : std::nullopt;
    if (auto v = s.state_cas("counter", expected, Value(cur ? cur->value.as_int() + 1 : 1))) {
      wins.won(*v);
      ++won;
    } else {
      ++wins.misses;
    }
  }
}

std::future<void> spawn(const std::shared_ptr<Database>& db, asio::awaitable<void> a) {
  return asio::co_spawn(db->get_executor(), std::move(a), asio::use_future);
}

void wait_all(std::vector<std::future<void>>& fs) {
  for (auto& f : fs) {
    BOOST_TEST_REQUIRE((f.wait_for(60s) == std::future_status::ready), "a worker did not finish in 60 s");
    f.get();
  }
}

/// The counter equals the wins, every win had its own version, and the
/// cell's version is the newest of them.
void check(Database& db, Wins& wins, long expected_wins) {
  BOOST_TEST(wins.count.load() == expected_wins);
  BOOST_TEST(wins.duplicate_versions.load() == 0);
  auto cell = db.async_state_read("default", "counter", asio::use_future).get();
  BOOST_TEST_REQUIRE(cell.has_value());
  BOOST_TEST(cell->value.as_int() == expected_wins);
  BOOST_TEST(cell->version == *wins.versions.rbegin());
  BOOST_TEST_MESSAGE("misses (lost races): " << wins.misses.load());
}

}  // namespace

BOOST_AUTO_TEST_CASE(coroutine_cas_counter_loses_no_increment) {
  auto db = open_pool();
  Wins wins;
  std::vector<std::future<void>> done;
  for (int c = 0; c < kCoroutines; ++c) done.push_back(spawn(db, cas_increments(db.get(), kWinsEach, wins)));
  wait_all(done);
  check(*db, wins, kCoroutines * kWinsEach);
}

BOOST_AUTO_TEST_CASE(threads_and_coroutines_contend_on_one_cell) {
  constexpr int kThreads = 4, kWinsPerThread = 50;
  auto db = open_pool();
  Wins wins;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(sync_increments, Strata(db), kWinsPerThread, std::ref(wins));
  std::vector<std::future<void>> done;
  for (int c = 0; c < kCoroutines / 2; ++c) done.push_back(spawn(db, cas_increments(db.get(), kWinsEach, wins)));
  for (auto& t : threads) t.join();
  wait_all(done);
  check(*db, wins, kThreads * kWinsPerThread + (kCoroutines / 2) * kWinsEach);
}

BOOST_AUTO_TEST_CASE(exactly_one_create_if_absent_wins) {
  auto db = open_pool();
  std::atomic<int> winners{0};
  std::atomic<int> winner_id{-1};
  std::vector<std::future<void>> done;
  for (int c = 0; c < kCoroutines; ++c) {
    auto racer = [db = db.get(), c, &winners, &winner_id]() -> asio::awaitable<void> {
      auto v = co_await db->async_state_cas("default", "owner", std::nullopt, Value(c), asio::use_awaitable);
      if (v) {
        ++winners;
        winner_id = c;
      }
    };
    done.push_back(asio::co_spawn(db->get_executor(), racer, asio::use_future));
  }
  wait_all(done);
  BOOST_TEST(winners.load() == 1);
  auto cell = db->async_state_read("default", "owner", asio::use_future).get();
  BOOST_TEST_REQUIRE(cell.has_value());
  BOOST_TEST(cell->value.as_int() == winner_id.load());
}

BOOST_AUTO_TEST_CASE(racing_inits_all_report_the_one_version_written) {
  auto db = open_pool();
  const Version before = db->async_info(asio::use_future).get().visible_version;
  std::mutex m;
  std::set<Version> seen;
  std::vector<std::future<void>> done;
  for (int c = 0; c < kCoroutines; ++c) {
    auto racer = [db = db.get(), c, &m, &seen]() -> asio::awaitable<void> {
      const Version v = co_await db->async_state_init("default", "once", Value(c), asio::use_awaitable);
      std::lock_guard lock(m);
      seen.insert(v);
    };
    done.push_back(asio::co_spawn(db->get_executor(), racer, asio::use_future));
  }
  wait_all(done);
  BOOST_TEST(seen.size() == 1u);
  BOOST_TEST(db->async_info(asio::use_future).get().visible_version == before + 1);  // one write only
  BOOST_TEST(db->async_state_read("default", "once", asio::use_future).get()->version == *seen.begin());
}
