// StrataDB's other primitives (docs/design/primitives.md): event appends (InMemory and
// Buffered), state-cell compare-and-swap from 64 coroutines (one contended
// cell, or one cell each), JSON leaf edits on a ~1 KiB document, and a
// transaction touching all four primitives. Every workload checks afterwards
// that the database holds exactly what the reported ops wrote, and throws
// (strata-bench exits 1) when it does not: a benchmark whose count is not
// backed by the data would be meaningless.
#include "peer_util.hpp"
#include "workloads.hpp"

#include <strata/strata.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include <malloc.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <exception>
#include <future>
#include <stdexcept>
#include <string>

namespace strata_bench {

namespace {

namespace asio = boost::asio;

// ---- Shared helpers -----------------------------------------------------------

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("verification failed: " + what); }

void require_equal(std::uint64_t got, std::uint64_t want, const std::string& what) {
  if (got != want) fail(what + ": got " + std::to_string(got) + ", expected " + std::to_string(want));
}

/// Event types an agent's log typically interleaves; appends rotate over
/// them so the per-type indexes all grow.
constexpr std::array<const char*, 4> kEventTypes = {"tool_call", "tool_result", "llm_request", "llm_response"};

/// {"args": <80 printable bytes>, "tool": "search"}: ~100 bytes encoded.
strata::Value event_payload(const Dataset& ds) {
  return strata::Value::object({{"tool", "search"}, {"args", std::string(ds.payload().substr(0, 80))}});
}

/// Group-commit figures of a durable run (as buffered.kv_put reports them).
void add_fsync_figures(strata::Strata& db, RunSample& r) {
  const auto info = db.info();
  r.extra.emplace_back("fsyncs", static_cast<double>(info.fsyncs));
  r.extra.emplace_back("ops_per_fsync",
                       info.fsyncs ? static_cast<double>(r.ops) / static_cast<double>(info.fsyncs) : 0.0);
}

// ---- Event appends ------------------------------------------------------------

/// One append per op; the payload Value is copied inside the op, as a caller
/// building its event pays for it.
template <class Timer>
RunSample append_events(strata::Strata& db, const Dataset& ds, Timer&& timer) {
  const strata::Value payload = event_payload(ds);
  auto r = timer([&](std::size_t i) { db.event_append(kEventTypes[i % kEventTypes.size()], payload); });
  require_equal(db.event_len(), r.ops, "event_len after event_append");
  return r;
}

RunSample inmemory_event_append(const Config& cfg, const Dataset& ds) {
  auto db = strata::Strata::open_temp(strata_options(cfg));
  auto r = append_events(db, ds, [&](auto op) { return timed_ops(ds.size(), op); });
  db.close();
  return r;
}

/// Buffered: stops after num ops or cfg.seconds, like buffered.kv_put.
RunSample buffered_event_append(const Config& cfg, const Dataset& ds) {
  ScratchDir dir("strata");
  auto db = strata::Strata::open(dir.path(), strata_options(cfg, strata::Durability::Buffered, dir.path()));
  auto r = append_events(db, ds, [&](auto op) { return timed_ops_for(ds.size(), cfg.seconds, op); });
  add_fsync_figures(db, r);
  db.close();
  return r;
}

// ---- State-cell CAS from 64 coroutines ---------------------------------------

constexpr std::size_t kCasCoroutines = 64;  // the "64co" in the names
/// A repeat ends after num successful CAS ops or this many seconds: on one
/// contended cell ~30 attempts buy one success, so num = 1M would take
/// minutes per repeat. Ops claimed before the deadline still complete.
constexpr double kCasMaxSeconds = 10;

struct CasShared {
  strata::Database& db;
  OpClaimer claimer;
  std::uint32_t* lat;
  std::atomic<std::uint64_t> attempts{0};
  std::atomic<std::uint64_t> successes{0};
};

/// Claims op slots; each slot is one *successful* increment of `cell`
/// (read, then CAS on the version read, retried until it wins). The slot's
/// latency spans all its attempts: what a caller waits for one increment.
asio::awaitable<void> cas_worker(CasShared& s, std::string cell) {
  std::size_t slot = 0;
  while (s.claimer.claim(slot)) {
    const auto t0 = Clock::now();
    std::uint64_t attempts = 0;
    for (bool won = false; !won;) {
      ++attempts;
      auto cur = co_await s.db.async_state_read("default", cell);
      if (!cur) fail("state cell " + cell + " vanished");
      auto v = co_await s.db.async_state_cas("default", cell, cur->version, strata::Value(cur->value.as_int() + 1));
      won = v.has_value();
    }
    s.lat[slot] = elapsed_ns(t0, Clock::now());
    s.attempts.fetch_add(attempts, std::memory_order_relaxed);
    s.successes.fetch_add(1, std::memory_order_relaxed);
  }
}

std::string cell_name(std::size_t w, std::size_t cells) { return "counter." + std::to_string(w % cells); }

/// Spawns make(w) for w in [0, n) on the database's pool and waits for all;
/// rethrows the first coroutine's exception.
template <class Make>
void spawn_and_wait(strata::Database& db, std::size_t n, Make make) {
  std::atomic<std::size_t> remaining{n};
  std::promise<void> all_done;
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  for (std::size_t w = 0; w < n; ++w)
    asio::co_spawn(db.get_executor(), make(w), [&](std::exception_ptr e) {
      if (e && !failed.exchange(true)) first_error = e;
      if (remaining.fetch_sub(1) == 1) all_done.set_value();
    });
  all_done.get_future().wait();
  if (first_error) std::rethrow_exception(first_error);
}

/// Every cell was set to 0 before the run and only ever incremented by a
/// winning CAS, so the cells' sum must equal the successes reported.
void verify_cas_cells(strata::Strata& db, std::size_t cells, std::uint64_t ops) {
  std::uint64_t sum = 0;
  for (std::size_t c = 0; c < cells; ++c) {
    auto v = db.state_read(cell_name(c, cells));
    if (!v) fail("state cell " + cell_name(c, cells) + " missing after the run");
    sum += static_cast<std::uint64_t>(v->value.as_int());
  }
  require_equal(sum, ops, "sum of the state cells after state_cas");
}

RunSample state_cas(const Config& cfg, const Dataset& ds, std::size_t cells) {
  auto db = strata::Database::open(strata_options(cfg));
  strata::Strata facade(db);
  for (std::size_t c = 0; c < cells; ++c) facade.state_set(cell_name(c, cells), strata::Value(0));
  RunSample r;
  r.lat_ns.resize(ds.size());
  CasShared s{*db, OpClaimer(ds.size(), kCasMaxSeconds), r.lat_ns.data()};
  const double cpu0 = process_cpu_seconds();
  r.start = Clock::now();
  spawn_and_wait(*db, kCasCoroutines, [&](std::size_t w) { return cas_worker(s, cell_name(w, cells)); });
  r.seconds = std::chrono::duration<double>(Clock::now() - r.start).count();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  r.ops = s.claimer.ops();
  r.lat_ns.resize(r.ops);
  require_equal(s.successes.load(), r.ops, "successful CAS ops vs claimed slots");
  verify_cas_cells(facade, cells, r.ops);
  const double attempts = static_cast<double>(s.attempts.load());
  r.extra.emplace_back("cas_attempts_per_success", r.ops ? attempts / static_cast<double>(r.ops) : 0.0);
  r.extra.emplace_back("cas_failures", attempts - static_cast<double>(r.ops));
  r.extra.emplace_back("ops", static_cast<double>(r.ops));
  db->close();
  return r;
}

RunSample state_cas_one_cell(const Config& cfg, const Dataset& ds) { return state_cas(cfg, ds, 1); }
RunSample state_cas_own_cells(const Config& cfg, const Dataset& ds) { return state_cas(cfg, ds, kCasCoroutines); }

// ---- JSON leaf edits on one ~1 KiB document ------------------------------------

constexpr std::size_t kDocFields = 16;
/// Every committed version keeps the whole document in memory (MVCC, no
/// version GC yet), so this workload runs at most this many ops.
constexpr std::size_t kJsonSetMaxOps = 200'000;

/// {"fields": {"f00": {"desc": <36 bytes>, "value": 0}, ... "f15": ...}}.
strata::Value json_document(const Dataset& ds) {
  strata::Object fields;
  for (std::size_t f = 0; f < kDocFields; ++f) {
    char name[8];
    std::snprintf(name, sizeof name, "f%02zu", f);
    fields.emplace(name, strata::Value::object({{"desc", std::string(ds.payload().substr(f, 36))}, {"value", 0}}));
  }
  return strata::Value::object({{"fields", strata::Value(std::move(fields))}});
}

std::string leaf_path(std::size_t f) {
  char path[32];
  std::snprintf(path, sizeof path, "$.fields.f%02zu.value", f);
  return path;
}

/// Each leaf must hold the index of the last op that wrote it (0 if none did).
void verify_leaves(strata::Strata& db, std::size_t ops) {
  for (std::size_t f = 0; f < kDocFields; ++f) {
    const std::size_t want = f < ops ? f + (ops - 1 - f) / kDocFields * kDocFields : 0;
    auto v = db.json_get("doc", leaf_path(f));
    if (!v || !v->is_int()) fail("json leaf " + leaf_path(f) + " missing after json_set");
    require_equal(static_cast<std::uint64_t>(v->as_int()), want, "json leaf " + leaf_path(f));
  }
}

void note_json_cap(const Config& cfg, std::size_t ops) {
  static bool noted = false;  // once per process, before the first repeat
  if (noted) return;
  noted = true;
  std::fprintf(cfg.json ? stderr : stdout,
               "note: inmemory.json_set_path.sync.1t runs min(num, %zu) = %zu ops per repeat (every version keeps "
               "the whole ~1 KiB document in memory)\n",
               kJsonSetMaxOps, ops);
}

RunSample json_set_path(const Config& cfg, const Dataset& ds) {
  const std::size_t n = std::min(ds.size(), kJsonSetMaxOps);
  note_json_cap(cfg, n);
  auto db = strata::Strata::open_temp(strata_options(cfg));
  db.json_set("doc", "$", json_document(ds));
  const auto doc_bytes = db.json_get("doc", "$").value().to_json_string().size();
  if (doc_bytes < 768 || doc_bytes > 1280) fail("json document is " + std::to_string(doc_bytes) + " bytes, not ~1 KiB");
  std::vector<std::string> paths;
  for (std::size_t f = 0; f < kDocFields; ++f) paths.push_back(leaf_path(f));
  ::malloc_trim(0);
  const double rss0 = resident_bytes();
  auto r = timed_ops(n, [&](std::size_t i) { db.json_set("doc", paths[i % kDocFields], strata::Value(i)); });
  ::malloc_trim(0);
  // What a one-leaf edit costs in memory: every version is kept (today a
  // whole copy of the document; issue #10's path deltas are to shrink it).
  const double bytes_per_edit = (resident_bytes() - rss0) / static_cast<double>(n);
  verify_leaves(db, n);
  r.extra.emplace_back("doc_bytes", static_cast<double>(doc_bytes));
  r.extra.emplace_back("bytes_per_edit", bytes_per_edit);
  r.extra.emplace_back("ops", static_cast<double>(r.ops));
  db.close();
  return r;
}

// ---- One transaction over all four primitives ------------------------------------

constexpr std::array<const char*, 4> kTxnDocPaths = {"$.usage.calls", "$.usage.tokens", "$.step", "$.retries"};

/// What every op's transaction wrote, checked after the run.
void verify_txn_mixed(strata::Strata& db, const Dataset& ds, std::size_t ops) {
  require_equal(db.event_len(), ops, "event_len after txn_mixed");
  const auto keys = db.info().keys;
  const auto kv = keys.find("kv");
  require_equal(kv == keys.end() ? 0 : kv->second, ops, "live kv keys after txn_mixed");
  if (ops == 0) return;
  if (!db.kv_get(ds.key(ops - 1))) fail("kv key of the last transaction missing");
  auto cell = db.state_read("step");
  if (!cell || !cell->value.is_int()) fail("state cell 'step' missing after txn_mixed");
  require_equal(static_cast<std::uint64_t>(cell->value.as_int()), ops - 1, "state cell 'step'");
  auto leaf = db.json_get("agent", kTxnDocPaths[(ops - 1) % kTxnDocPaths.size()]);
  if (!leaf || !leaf->is_int()) fail("json leaf of the last transaction missing");
  require_equal(static_cast<std::uint64_t>(leaf->as_int()), ops - 1, "json leaf of the last transaction");
}

RunSample txn_mixed(const Config& cfg, const Dataset& ds) {
  auto db = strata::Strata::open_temp(strata_options(cfg));
  db.json_set("agent", "$", strata::Value::parse_json(R"({"usage":{"calls":0,"tokens":0},"step":0,"retries":0})"));
  const strata::Value payload = event_payload(ds);
  auto r = timed_ops(ds.size(), [&](std::size_t i) {
    auto tx = db.begin();
    tx.kv_put(ds.key(i), strata::Value(ds.payload()));
    tx.event_append(kEventTypes[i % kEventTypes.size()], payload);
    tx.state_set("step", strata::Value(i));
    tx.json_set("agent", kTxnDocPaths[i % kTxnDocPaths.size()], strata::Value(i));
    tx.commit();
  });
  verify_txn_mixed(db, ds, r.ops);
  db.close();
  return r;
}

}  // namespace

void add_strata_primitive_workloads(std::vector<Workload>& out) {
  out.push_back({"inmemory.event_append.sync.1t", "strata", inmemory_event_append});
  out.push_back({"buffered.event_append.sync.1t", "strata", buffered_event_append});
  out.push_back({"inmemory.state_cas.async.64co", "strata", state_cas_one_cell});
  out.push_back({"inmemory.state_cas.async.64co.64cells", "strata", state_cas_own_cells});
  out.push_back({"inmemory.json_set_path.sync.1t", "strata", json_set_path});
  out.push_back({"inmemory.txn_mixed.sync.1t", "strata", txn_mixed});
}

}  // namespace strata_bench
