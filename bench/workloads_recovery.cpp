// StrataDB recovery and footprint (docs/design/performance.md):
//  * recovery.open.1m_keys: num keys written in Buffered mode, closed, then
//    the reopen is timed (WAL replay). ops/s = keys recovered per second.
//  * recovery.open_compacted.1m_keys: the same directory after compact(),
//    so the reopen loads a snapshot instead of replaying the WAL.
//  * memory.1m_keys: growth of the process's resident set per record after
//    loading num keys into an InMemory database (raw data: 116 B/record).
// The loaded directory is built once and shared by the repeats (reopening
// does not change what the next reopen has to read).
#include "peer_util.hpp"
#include "workloads.hpp"

#include <strata/strata.hpp>

#include <memory>
#include <stdexcept>

#include <malloc.h>

namespace strata_bench {

namespace {

/// A Buffered database directory holding every key of the dataset.
struct RecoveryFixture {
  std::unique_ptr<ScratchDir> dir;
  bool compacted = false;

  strata::Options options(const Config& cfg) const {
    auto o = strata_options(cfg, strata::Durability::Buffered, dir->path());
    o.auto_compact_wal_bytes = 0;  // keep the WAL-replay case a pure WAL replay
    return o;
  }

  void load(const Config& cfg, const Dataset& ds) {
    dir = std::make_unique<ScratchDir>("strata-recovery");
    compacted = false;
    auto db = strata::Strata::open(dir->path(), options(cfg));
    for (std::size_t i = 0; i < ds.size(); ++i) db.kv_put(ds.key(i), strata::Value(ds.payload()));
    db.close();
  }

  void ensure(const Config& cfg, const Dataset& ds, bool want_compacted) {
    if (!dir || compacted != want_compacted) load(cfg, ds);
    if (want_compacted && !compacted) {
      auto db = strata::Strata::open(dir->path(), options(cfg));
      db.compact();
      db.close();
      compacted = true;
    }
  }
};

RunSample timed_reopen(const Config& cfg, const Dataset& ds, RecoveryFixture& fx, bool compacted) {
  fx.ensure(cfg, ds, compacted);
  RunSample r;
  r.cpu_seconds = process_cpu_seconds();
  r.start = Clock::now();
  auto db = strata::Strata::open(fx.dir->path(), fx.options(cfg));
  const auto end = Clock::now();
  r.cpu_seconds = process_cpu_seconds() - r.cpu_seconds;
  r.seconds = std::chrono::duration<double>(end - r.start).count();
  r.lat_ns = {elapsed_ns(r.start, end)};
  const auto info = db.info();
  db.close();
  const auto keys = info.keys.count("kv") ? info.keys.at("kv") : 0;
  if (keys != ds.size())
    throw std::runtime_error("recovery: reopened " + std::to_string(keys) + " keys, expected " + std::to_string(ds.size()));
  r.ops = keys;
  r.extra.emplace_back("seconds", r.seconds);
  r.extra.emplace_back("recovered_records", static_cast<double>(info.recovered_records));
  return r;
}

RunSample memory(const Config& cfg, const Dataset& ds) {
  ::malloc_trim(0);  // return earlier workloads' freed pages, so growth is ours
  const double rss0 = resident_bytes(), heap0 = heap_in_use();
  auto db = strata::Strata::open_temp(strata_options(cfg));
  auto r = timed_ops(ds.size(), [&](std::size_t i) { db.kv_put(ds.key(i), strata::Value(ds.payload())); });
  ::malloc_trim(0);  // transient garbage of the load is not a per-record cost
  const double n = static_cast<double>(ds.size());
  r.extra.emplace_back("bytes_per_record", (resident_bytes() - rss0) / n);
  r.extra.emplace_back("heap_bytes_per_record", (heap_in_use() - heap0) / n);
  r.extra.emplace_back("raw_bytes_per_record", static_cast<double>(kKeyBytes + kValueBytes));
  db.close();
  return r;
}

}  // namespace

void add_strata_recovery_workloads(std::vector<Workload>& out) {
  auto fx = std::make_shared<RecoveryFixture>();
  out.push_back({"recovery.open.1m_keys", "strata",
                 [fx](const Config& cfg, const Dataset& ds) { return timed_reopen(cfg, ds, *fx, false); }});
  out.push_back({"recovery.open_compacted.1m_keys", "strata",
                 [fx](const Config& cfg, const Dataset& ds) { return timed_reopen(cfg, ds, *fx, true); }});
  out.push_back({"memory.1m_keys", "strata", memory});
}

}  // namespace strata_bench
