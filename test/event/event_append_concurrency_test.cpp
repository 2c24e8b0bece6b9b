// Concurrent appends to one run's event log (docs/design/primitives.md, docs/design/reliability.md): whoever appends
// — coroutines through Database::async_event_append, transactions through
// async_transaction, threads through the sync facade — the log ends up with
// exactly the dense sequences 1..N, no duplicates, each writer's events in
// its own order, one transaction's events adjacent, and a valid hash chain.
// Runs under TSan too. Coroutines hold a plain Database pointer: the last
// shared_ptr must not be dropped on a pool thread (close() joins the pool).
#define BOOST_TEST_MODULE event_append_concurrency
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::Database;
using strata::Event;
using strata::Strata;
using strata::Transaction;
using strata::Value;

namespace {

constexpr int kCoroutines = 64;
constexpr int kAppendsEach = 50;

std::shared_ptr<Database> open_pool() {
  strata::Options o;
  o.shards = 4;
  o.threads = 2;
  o.max_transaction_attempts = 100000;
  return Database::open(o);
}

/// The payload of writer w's i-th event.
Value writer_payload(int w, int i) { return Value::object({{"w", w}, {"i", i}}); }

/// Sequences handed out to the writers, collected under a lock.
struct Handed {
  std::mutex m;
  std::vector<std::uint64_t> seqs;
  void add(std::uint64_t s) {
    std::lock_guard lock(m);
    seqs.push_back(s);
  }
};

void wait_all(std::vector<std::future<void>>& fs) {
  for (auto& f : fs) {
    BOOST_TEST_REQUIRE((f.wait_for(60s) == std::future_status::ready), "a writer did not finish in 60 s");
    f.get();
  }
}

/// The sequences are exactly 1..n.
void check_dense(std::vector<std::uint64_t> seqs, std::uint64_t n) {
  std::sort(seqs.begin(), seqs.end());
  BOOST_TEST_REQUIRE(seqs.size() == n);
  for (std::uint64_t i = 0; i < n; ++i)
    if (seqs[i] != i + 1) BOOST_FAIL("sequence " << i + 1 << " missing or duplicated (found " << seqs[i] << ")");
}

/// The whole log has n events, reads back in sequence order and verifies.
void check_log(Database& db, std::uint64_t n) {
  BOOST_TEST(db.async_event_len("default", asio::use_future).get() == n);
  const auto all = db.async_event_range("default", 1, n + 10, std::nullopt, asio::use_future).get();
  BOOST_TEST_REQUIRE(all.size() == n);
  for (std::uint64_t i = 0; i < n; ++i) BOOST_TEST(all[i].sequence == i + 1);
  for (std::uint64_t i = 1; i < n; ++i) BOOST_TEST(all[i - 1].timestamp_us <= all[i].timestamp_us);
  const auto v = db.async_event_verify("default", asio::use_future).get();
  BOOST_TEST(v.ok);
  BOOST_TEST(v.checked == n);
}

/// Each writer's events (payload {"w": writer, "i": index}) appear in its
/// own order.
void check_per_writer_order(Database& db, const std::string& type, int writers, int each) {
  const auto events = db.async_event_read_by_type("default", type, std::nullopt, asio::use_future).get();
  BOOST_TEST_REQUIRE(events.size() == static_cast<std::size_t>(writers * each));
  std::map<std::int64_t, std::int64_t> next;  // writer -> next expected index
  for (const Event& e : events) {
    const auto w = e.payload.at("w").as_int();
    BOOST_TEST(e.payload.at("i").as_int() == next[w]);
    ++next[w];
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(coroutines_appending_get_dense_sequences) {
  auto db = open_pool();
  Handed handed;
  std::vector<std::future<void>> done;
  for (int w = 0; w < kCoroutines; ++w) {
    auto writer = [db = db.get(), w, &handed]() -> asio::awaitable<void> {
      for (int i = 0; i < kAppendsEach; ++i) {
        Value p = writer_payload(w, i);  // named: GCC 12 miscompiles braced lists inside co_await
        handed.add(co_await db->async_event_append("default", "auto", std::move(p), asio::use_awaitable));
      }
    };
    done.push_back(asio::co_spawn(db->get_executor(), writer, asio::use_future));
  }
  wait_all(done);
  const std::uint64_t n = kCoroutines * kAppendsEach;
  check_dense(handed.seqs, n);
  check_log(*db, n);
  check_per_writer_order(*db, "auto", kCoroutines, kAppendsEach);
}

BOOST_AUTO_TEST_CASE(transactions_appending_concurrently_keep_their_events_adjacent) {
  // 32 coroutines x 10 transactions of 3 events, alongside 32 coroutines of
  // plain appends. Transactions never read the length, so they never
  // conflict; each one's 3 events must get 3 consecutive sequences.
  constexpr int kTxWriters = 32, kTxEach = 10, kPerTx = 3;
  auto db = open_pool();
  Handed handed;
  std::vector<std::future<void>> done;
  for (int w = 0; w < kTxWriters; ++w) {
    auto tx_writer = [db = db.get(), w]() -> asio::awaitable<void> {
      for (int i = 0; i < kTxEach; ++i) {
        co_await db->async_transaction("default", [&](Transaction& tx) -> asio::awaitable<void> {
          for (int j = 0; j < kPerTx; ++j)
            tx.event_append("tx", Value::object({{"w", w}, {"i", i * kPerTx + j}, {"j", j}}));
          co_return;
        });
      }
    };
    auto plain = [db = db.get(), w, &handed]() -> asio::awaitable<void> {
      for (int i = 0; i < kTxEach; ++i) {
        Value p = writer_payload(w, i);
        handed.add(co_await db->async_event_append("default", "plain", std::move(p), asio::use_awaitable));
      }
    };
    done.push_back(asio::co_spawn(db->get_executor(), tx_writer, asio::use_future));
    done.push_back(asio::co_spawn(db->get_executor(), plain, asio::use_future));
  }
  wait_all(done);
  const std::uint64_t n = kTxWriters * kTxEach * (kPerTx + 1);
  check_log(*db, n);
  check_per_writer_order(*db, "tx", kTxWriters, kTxEach * kPerTx);
  check_per_writer_order(*db, "plain", kTxWriters, kTxEach);
  // A transaction's events: j = 0, 1, 2 at consecutive sequences, one timestamp.
  const auto tx_events = db->async_event_read_by_type("default", "tx", std::nullopt, asio::use_future).get();
  for (std::size_t k = 0; k < tx_events.size(); ++k) {
    const Event& e = tx_events[k];
    const auto j = e.payload.at("j").as_int();
    if (j == 0) continue;
    const auto prev = db->async_event_read("default", e.sequence - 1, asio::use_future).get();
    BOOST_TEST_REQUIRE(prev.has_value());
    BOOST_TEST(prev->type == "tx");
    BOOST_TEST(prev->payload.at("j").as_int() == j - 1);
    BOOST_TEST((prev->payload.at("w") == e.payload.at("w")));
    BOOST_TEST(prev->timestamp_us == e.timestamp_us);
  }
  // Plain appends were answered with the sequences they really got.
  for (auto s : handed.seqs) BOOST_TEST(db->async_event_read("default", s, asio::use_future).get()->type == "plain");
}

BOOST_AUTO_TEST_CASE(sync_threads_and_coroutines_share_one_log) {
  constexpr int kThreads = 4, kEachThread = 200;
  auto db = open_pool();
  Handed handed;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([db, t, &handed] {
      Strata s(db);
      for (int i = 0; i < kEachThread; ++i) handed.add(s.event_append("sync", Value::object({{"w", t}, {"i", i}})));
    });
  }
  std::vector<std::future<void>> done;
  for (int w = 0; w < 16; ++w) {
    auto writer = [db = db.get(), w, &handed]() -> asio::awaitable<void> {
      for (int i = 0; i < kAppendsEach; ++i) {
        Value p = writer_payload(w, i);
        handed.add(co_await db->async_event_append("default", "async", std::move(p), asio::use_awaitable));
      }
    };
    done.push_back(asio::co_spawn(db->get_executor(), writer, asio::use_future));
  }
  for (auto& t : threads) t.join();
  wait_all(done);
  const std::uint64_t n = kThreads * kEachThread + 16 * kAppendsEach;
  check_dense(handed.seqs, n);
  check_log(*db, n);
  check_per_writer_order(*db, "sync", kThreads, kEachThread);
  check_per_writer_order(*db, "async", 16, kAppendsEach);
}

BOOST_AUTO_TEST_CASE(length_guarded_appends_serialize) {
  // "Append only if the log has n events": every coroutine reads the length
  // in its transaction and appends with that length; conflicts retry, so
  // the payloads end up equal to sequence - 1 throughout.
  constexpr int kWriters = 16, kEach = 5;
  auto db = open_pool();
  std::vector<std::future<void>> done;
  for (int w = 0; w < kWriters; ++w) {
    auto writer = [db = db.get()]() -> asio::awaitable<void> {
      for (int i = 0; i < kEach; ++i) {
        co_await db->async_transaction("default", [&](Transaction& tx) -> asio::awaitable<void> {
          const auto len = tx.event_len();
          tx.event_append("guarded", Value::object({{"seen", static_cast<std::int64_t>(len)}}));
          co_return;
        });
      }
    };
    done.push_back(asio::co_spawn(db->get_executor(), writer, asio::use_future));
  }
  wait_all(done);
  const std::uint64_t n = kWriters * kEach;
  check_log(*db, n);
  for (const Event& e : db->async_event_range("default", 1, n, std::nullopt, asio::use_future).get())
    BOOST_TEST(e.payload.at("seen").as_int() == static_cast<std::int64_t>(e.sequence - 1));
}
