// StrataDB, synchronous facade, one thread, each op timed (timed_ops). The
// value is built inside the timed op: constructing a strata::Value is part of
// what a caller pays per put.
#include "workloads.hpp"

#include <strata/strata.hpp>

#include <stdexcept>
#include <string>

namespace strata_bench {

namespace {

strata::Strata open_db(const Config& cfg) {
  return strata::Strata::open_temp(strata_options(cfg));
}

strata::Value make_value(const Dataset& ds) { return strata::Value(ds.payload()); }

/// Untimed: inserts every key of the dataset.
void preload(strata::Strata& db, const Dataset& ds) {
  for (std::size_t i = 0; i < ds.size(); ++i) db.kv_put(ds.key(i), make_value(ds));
}

RunSample kv_put(const Config& cfg, const Dataset& ds) {
  auto db = open_db(cfg);
  auto r = timed_ops(ds.size(), [&](std::size_t i) { db.kv_put(ds.key(i), make_value(ds)); });
  db.close();
  return r;
}

RunSample kv_get(const Config& cfg, const Dataset& ds) {
  auto db = open_db(cfg);
  preload(db, ds);
  std::uint64_t misses = 0;
  auto r = timed_ops(ds.size(), [&](std::size_t i) {
    if (!db.kv_get(ds.read_key(i))) ++misses;
  });
  db.close();
  require_no_misses(misses, "inmemory.kv_get.sync.1t");
  return r;
}

/// One transaction per op: read one existing key, overwrite another.
RunSample txn_rw(const Config& cfg, const Dataset& ds) {
  auto db = open_db(cfg);
  preload(db, ds);
  const std::size_t n = ds.size();
  std::uint64_t misses = 0;
  auto r = timed_ops(n, [&](std::size_t i) {
    auto tx = db.begin();
    if (!tx.kv_get(ds.read_key(i))) ++misses;
    tx.kv_put(ds.read_key((i + n / 2) % n), make_value(ds));
    tx.commit();
  });
  db.close();
  require_no_misses(misses, "inmemory.txn_rw.sync.1t");
  return r;
}

/// One transaction per op, as a task queue does it: list up to 10 keys of a
/// prefix (one page), then write one key under that prefix. The listing is a
/// read range, validated at commit against phantoms (docs/design/
/// transactions.md): this row measures what that validation costs.
RunSample txn_list_put(const Config& cfg, const Dataset& ds) {
  auto db = open_db(cfg);
  preload(db, ds);
  const std::size_t n = ds.size();
  std::uint64_t empty_pages = 0;
  auto r = timed_ops(n, [&](std::size_t i) {
    auto tx = db.begin();
    const std::string_view key = ds.read_key(i);
    if (tx.kv_list(key.substr(0, 14), strata::PageRequest{10, {}}).keys.empty()) ++empty_pages;
    tx.kv_put(key, make_value(ds));
    tx.commit();
  });
  const auto info = db.info();
  db.close();
  if (empty_pages) throw std::runtime_error("inmemory.txn_list_put.sync.1t: a listed prefix was empty");
  r.extra.emplace_back("conflicts", static_cast<double>(info.conflicts));
  return r;
}

}  // namespace

void require_no_misses(std::uint64_t misses, const char* what) {
  if (misses) throw std::runtime_error(std::string(what) + ": " + std::to_string(misses) + " preloaded keys not found");
}

void add_strata_sync_workloads(std::vector<Workload>& out) {
  out.push_back({"inmemory.kv_put.sync.1t", "strata", kv_put});
  out.push_back({"inmemory.kv_get.sync.1t", "strata", kv_get});
  out.push_back({"inmemory.txn_rw.sync.1t", "strata", txn_rw});
  out.push_back({"inmemory.txn_list_put.sync.1t", "strata", txn_list_put});
}

}  // namespace strata_bench
