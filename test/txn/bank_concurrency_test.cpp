// The bank-transfer invariant (docs/design/reliability.md): transfers between accounts run
// concurrently in transactions while auditors sum every account in
// read-only transactions. Snapshot isolation + OCC must make the total
// constant at EVERY snapshot, never let an account go negative (each
// transfer moves at most the balance it read, and a stale read conflicts),
// and leave the total exact at the end. Runs under TSan too.
#define BOOST_TEST_MODULE txn_bank_concurrency
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::Database;
using strata::Strata;
using strata::Transaction;
using strata::Value;

namespace {

constexpr int kAccounts = 20;
constexpr std::int64_t kInitial = 1000;
constexpr std::int64_t kTotal = kAccounts * kInitial;

std::string account(int i) { return (i < 10 ? "acct/0" : "acct/") + std::to_string(i); }

strata::Options bank_options() {
  // Conflicts are the point of the test; a transfer giving up would only
  // blur the counts, so allow many attempts.
  strata::Options o;
  o.shards = 4;
  o.threads = 2;
  o.max_transaction_attempts = 10000;
  return o;
}

/// Shared tallies; written by many threads, checked by the test thread.
struct Ledger {
  std::atomic<long> transfers{0};
  std::atomic<long> audits{0};
  std::atomic<long> bad_audits{0};  // a snapshot whose total or shape was wrong
  std::atomic<long> errors{0};      // unexpected exceptions / codes
  std::atomic<int> transferers_left{0};
};

void open_accounts(Strata& s) {
  s.transaction([](Transaction& tx) {
    for (int i = 0; i < kAccounts; ++i) tx.kv_put(account(i), Value(kInitial));
  });
}

/// Two distinct random accounts.
std::pair<int, int> pick_pair(std::minstd_rand& rng) {
  const int from = static_cast<int>(rng() % kAccounts);
  int to = static_cast<int>(rng() % (kAccounts - 1));
  if (to >= from) ++to;
  return {from, to};
}

/// Reads both balances and moves a random part of `from`'s balance. Returns
/// false when the snapshot was inconsistent (cannot happen under SI).
bool move_money(Transaction& tx, int from, int to, std::minstd_rand& rng) {
  const auto a = tx.kv_get(account(from));
  const auto b = tx.kv_get(account(to));
  if (!a || !b) return false;
  const std::int64_t amount = a->as_int() == 0 ? 0 : static_cast<std::int64_t>(rng() % (a->as_int() + 1));
  tx.kv_put(account(from), Value(a->as_int() - amount));
  tx.kv_put(account(to), Value(b->as_int() + amount));
  return true;
}

/// Sums every account visible in tx's snapshot; true when the snapshot is a
/// consistent bank (20 accounts, none negative, total exact).
bool audit_snapshot(Transaction& tx) {
  const auto keys = tx.kv_list("acct/").keys;
  if (keys.size() != std::size_t{kAccounts}) return false;
  std::int64_t sum = 0;
  for (const auto& k : keys) {
    const auto v = tx.kv_get(k);
    if (!v || v->as_int() < 0) return false;
    sum += v->as_int();
  }
  return sum == kTotal;
}

/// After the run: exact total, no negative account, and the reports.
void check_final_state(Strata& s, const Ledger& l, long expected_transfers) {
  Transaction tx = s.begin();
  BOOST_TEST(audit_snapshot(tx));
  std::int64_t sum = 0;
  for (int i = 0; i < kAccounts; ++i) sum += s.kv_get(account(i))->as_int();
  BOOST_TEST(sum == kTotal);
  BOOST_TEST(l.errors.load() == 0);
  BOOST_TEST(l.bad_audits.load() == 0);
  BOOST_TEST(l.audits.load() > 0);
  BOOST_TEST(l.transfers.load() == expected_transfers);
  const auto info = s.info();
  // One commit for opening the accounts, one per transfer.
  BOOST_TEST(info.commits == static_cast<std::uint64_t>(expected_transfers + 1));
  BOOST_TEST_MESSAGE("transfers " << l.transfers.load() << ", audits " << l.audits.load() << ", conflicts "
                                  << info.conflicts);
}

// ---- threads + the sync facade -----------------------------------------------------

void transfer_thread(Strata s, Ledger& l, unsigned seed, int transfers) {
  std::minstd_rand rng(seed);
  try {
    for (int i = 0; i < transfers; ++i) {
      const auto [from, to] = pick_pair(rng);
      s.transaction([&](Transaction& tx) {
        if (!move_money(tx, from, to, rng)) ++l.errors;
        std::this_thread::yield();  // widen the window for conflicts
      });
      ++l.transfers;
    }
  } catch (const std::exception&) {
    ++l.errors;
  }
  --l.transferers_left;
}

void audit_thread(Strata s, Ledger& l) {
  try {
    do {
      Transaction tx = s.begin();
      if (!audit_snapshot(tx)) ++l.bad_audits;
      const auto snapshot = tx.snapshot_version();
      // Read-only: never conflicts, returns its snapshot.
      if (tx.commit() != snapshot) ++l.bad_audits;
      ++l.audits;
    } while (l.transferers_left.load() > 0);
  } catch (const std::exception&) {
    ++l.errors;
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(transfers_on_threads_keep_the_total_at_every_snapshot) {
  constexpr int kTransferThreads = 3;
  constexpr int kAuditThreads = 2;
  constexpr int kTransfersEach = 150;
  Strata bank = Strata::open_temp(bank_options());
  open_accounts(bank);
  Ledger l;
  l.transferers_left = kTransferThreads;
  std::vector<std::thread> threads;
  for (int t = 0; t < kTransferThreads; ++t)
    threads.emplace_back(transfer_thread, bank, std::ref(l), 17u + t, kTransfersEach);
  for (int t = 0; t < kAuditThreads; ++t) threads.emplace_back(audit_thread, bank, std::ref(l));
  for (auto& t : threads) t.join();
  check_final_state(bank, l, kTransferThreads * kTransfersEach);
}

// ---- coroutines + async_transaction on the pool ----------------------------------

namespace {

asio::awaitable<void> transfer_coroutine(Database& db, Ledger& l, unsigned seed, int transfers) {
  std::minstd_rand rng(seed);
  try {
    for (int i = 0; i < transfers; ++i) {
      const auto [from, to] = pick_pair(rng);
      co_await db.async_transaction("default", [&](Transaction& tx) -> asio::awaitable<void> {
        if (!move_money(tx, from, to, rng)) ++l.errors;
        // Let other coroutines commit between our reads and our commit.
        co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      });
      ++l.transfers;
    }
  } catch (const std::exception&) {
    ++l.errors;
  }
  --l.transferers_left;
}

asio::awaitable<void> audit_coroutine(Database& db, Ledger& l) {
  try {
    do {
      Transaction tx = db.begin("default");
      if (!audit_snapshot(tx)) ++l.bad_audits;
      const auto snapshot = tx.snapshot_version();
      if (co_await tx.async_commit(asio::use_awaitable) != snapshot) ++l.bad_audits;
      ++l.audits;
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    } while (l.transferers_left.load() > 0);
  } catch (const std::exception&) {
    ++l.errors;
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(async_transfers_on_the_pool_keep_the_total_at_every_snapshot) {
  constexpr int kTransferCoroutines = 16;
  constexpr int kAuditCoroutines = 4;
  constexpr int kTransfersEach = 20;
  Strata bank = Strata::open_temp(bank_options());
  open_accounts(bank);
  Database& db = *bank.database();
  Ledger l;
  l.transferers_left = kTransferCoroutines;
  std::vector<std::future<void>> done;
  for (int c = 0; c < kTransferCoroutines; ++c)
    done.push_back(asio::co_spawn(db.get_executor(), transfer_coroutine(db, l, 101u + c, kTransfersEach),
                                  asio::use_future));
  for (int c = 0; c < kAuditCoroutines; ++c)
    done.push_back(asio::co_spawn(db.get_executor(), audit_coroutine(db, l), asio::use_future));
  for (auto& f : done) {
    BOOST_TEST_REQUIRE((f.wait_for(120s) == std::future_status::ready), "a coroutine did not finish");
    f.get();
  }
  check_final_state(bank, l, kTransferCoroutines * kTransfersEach);
}
