// StrataDB, async core: kCoroutines (256) coroutines co_spawned on the
// database's own pool, each co_awaiting async_kv_put / async_kv_get with the
// default (deferred) token in a loop. Throughput is total ops over wall time;
// latency is timed per op inside the coroutines, so it includes queueing
// behind the other coroutines (what a caller of a busy database sees).
#include "workloads.hpp"

#include <strata/strata.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include <atomic>
#include <exception>
#include <future>
#include <memory>
#include <string>
#include <thread>

namespace strata_bench {

namespace {

namespace asio = boost::asio;
using DbPtr = std::shared_ptr<strata::Database>;

constexpr std::size_t kCoroutines = 256;  // the "256co" in the names

/// State shared by the coroutines of one run.
struct Shared {
  const Dataset& ds;
  strata::Database& db;
  std::uint32_t* lat;
  std::atomic<std::uint64_t> misses{0};
};

/// Coroutine `w` of `stride` handles ops w, w + stride, w + 2*stride, ...
asio::awaitable<void> putter(Shared& s, std::size_t w, std::size_t stride) {
  for (std::size_t i = w; i < s.ds.size(); i += stride) {
    const auto t0 = Clock::now();
    co_await s.db.async_kv_put("default", std::string(s.ds.key(i)), strata::Value(s.ds.payload()));
    s.lat[i] = elapsed_ns(t0, Clock::now());
  }
}

asio::awaitable<void> getter(Shared& s, std::size_t w, std::size_t stride) {
  for (std::size_t i = w; i < s.ds.size(); i += stride) {
    const auto t0 = Clock::now();
    auto v = co_await s.db.async_kv_get("default", std::string(s.ds.read_key(i)));
    s.lat[i] = elapsed_ns(t0, Clock::now());
    if (!v) s.misses.fetch_add(1, std::memory_order_relaxed);
  }
}

DbPtr open_db(const Config& cfg) {
  return strata::Database::open(strata_options(cfg));
}

/// Spawns the coroutines made by `make(shared, w, stride)` and waits for all.
template <class Make>
RunSample run_coroutines(const Dataset& ds, strata::Database& db, Make make,
                         std::uint64_t* misses) {
  RunSample r;
  r.lat_ns.resize(ds.size());
  Shared shared{ds, db, r.lat_ns.data()};
  const std::size_t workers = std::min(kCoroutines, ds.size());
  std::atomic<std::size_t> remaining{workers};
  std::promise<void> all_done;
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  const double cpu0 = process_cpu_seconds();
  const auto start = Clock::now();
  for (std::size_t w = 0; w < workers; ++w) {
    asio::co_spawn(db.get_executor(), make(shared, w, workers), [&](std::exception_ptr e) {
      if (e && !failed.exchange(true)) first_error = e;
      if (remaining.fetch_sub(1) == 1) all_done.set_value();
    });
  }
  all_done.get_future().wait();
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.ops = ds.size();
  r.start = start;
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  if (first_error) std::rethrow_exception(first_error);
  *misses = shared.misses.load();
  return r;
}

/// The actors' ownership counters (docs/architecture.md, "Actors and
/// ownership"): how often a queued message found an inline owner and waited.
void add_ownership_figures(const DbPtr& db, RunSample& r) {
  const auto info = strata::Strata(db).info();
  r.extra.emplace_back("actor_messages", static_cast<double>(info.actor_messages));
  r.extra.emplace_back("actor_waits", static_cast<double>(info.actor_message_waits));
  r.extra.emplace_back("actor_wait_us", static_cast<double>(info.actor_message_wait_us));
}

RunSample kv_put(const Config& cfg, const Dataset& ds) {
  auto db = open_db(cfg);
  std::uint64_t misses = 0;
  auto r = run_coroutines(ds, *db, putter, &misses);
  add_ownership_figures(db, r);
  db->close();
  return r;
}

/// The async gets of kv_get while one thread keeps writing through the sync
/// facade (inline owners): what the hybrid ownership costs the async path.
RunSample kv_get_with_sync_writer(const Config& cfg, const Dataset& ds) {
  auto db = open_db(cfg);
  strata::Strata facade(db);
  for (std::size_t i = 0; i < ds.size(); ++i) facade.kv_put(ds.key(i), strata::Value(ds.payload()));
  std::atomic<bool> stop{false};
  std::uint64_t writes = 0;
  std::thread writer([&] {
    strata::Strata w(db);
    for (std::size_t i = 0; !stop.load(std::memory_order_relaxed); i = (i + 1) % ds.size(), ++writes)
      w.kv_put(ds.key(i), strata::Value(ds.payload()));
  });
  std::uint64_t misses = 0;
  auto r = run_coroutines(ds, *db, getter, &misses);
  stop = true;
  writer.join();
  add_ownership_figures(db, r);
  r.extra.emplace_back("sync_writes", static_cast<double>(writes));
  db->close();
  require_no_misses(misses, "inmemory.kv_get.async.256co.sync_writer");
  return r;
}

RunSample kv_get(const Config& cfg, const Dataset& ds) {
  auto db = open_db(cfg);
  strata::Strata facade(db);
  for (std::size_t i = 0; i < ds.size(); ++i) facade.kv_put(ds.key(i), strata::Value(ds.payload()));
  std::uint64_t misses = 0;
  auto r = run_coroutines(ds, *db, getter, &misses);
  add_ownership_figures(db, r);
  db->close();
  require_no_misses(misses, "inmemory.kv_get.async");
  return r;
}

}  // namespace

void add_strata_async_workloads(std::vector<Workload>& out) {
  out.push_back({"inmemory.kv_put.async.256co", "strata", kv_put});
  out.push_back({"inmemory.kv_get.async.256co", "strata", kv_get});
  out.push_back({"inmemory.kv_get.async.256co.sync_writer", "strata", kv_get_with_sync_writer});
}

}  // namespace strata_bench
