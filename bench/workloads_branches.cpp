// StrataDB runs as branches (docs/guides/branches.md):
//  * fork.1m_keys: forking a run of cfg.num keys (1M by default). Each op is
//    one fork_run of the same parent; `bytes` is the resident-set growth per
//    fork (a fork copies nothing, so it is the run's registry entry and its
//    log record).
//  * inmemory.kv_get.forked.sync.1t: inmemory.kv_get.sync.1t on a fork of
//    the preloaded run, so every read misses the fork's own (empty) layer
//    and is answered by the parent's chain at the fork version — the worst
//    case of layered lookup. Compare with inmemory.kv_get.sync.1t.
//  * diff.1k_changes.1m_keys: diff_runs between a run of cfg.num keys and
//    its fork after 500 overwrites on each side (1K changes): each op is
//    one whole diff; `changes` is what it found (must be 1000). One untimed
//    diff first: the shards order a bulk load's keys for range scans lazily.
//  * replay.100k_commits: replay_run of a run of min(cfg.num, 100K) commits
//    (one put each); ops/s is commits replayed per second of the replay.
//  * digest.1m_keys: run_digest of a run of cfg.num keys; `seconds` per
//    digest.
//  * asof.kv_get.sync.1t: inmemory.kv_get.sync.1t at a version 1,000
//    commits back (1,000 overwrites of preloaded keys after the point); every
//    read must return the value of then. Compare with inmemory.kv_get.sync.1t.
#include "peer_util.hpp"
#include "workloads.hpp"

#include <strata/strata.hpp>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace strata_bench {

namespace {

constexpr std::size_t kForks = 200;

void preload(strata::Strata& db, const Dataset& ds) {
  for (std::size_t i = 0; i < ds.size(); ++i) db.kv_put(ds.key(i), strata::Value(ds.payload()));
}

RunSample fork_run(const Config& cfg, const Dataset& ds) {
  auto db = strata::Strata::open_temp(strata_options(cfg));
  preload(db, ds);
  ::malloc_trim(0);
  const double rss0 = resident_bytes();
  auto r = timed_ops(kForks, [&](std::size_t i) { db.fork_run("fork-" + std::to_string(i)); });
  ::malloc_trim(0);
  r.extra.emplace_back("bytes", (resident_bytes() - rss0) / static_cast<double>(kForks));
  r.extra.emplace_back("keys", static_cast<double>(ds.size()));
  db.set_run("fork-" + std::to_string(kForks - 1));
  if (!db.kv_get(ds.key(ds.size() / 2))) throw std::runtime_error("fork.1m_keys: the fork misses a parent key");
  db.close();
  return r;
}

RunSample kv_get_forked(const Config& cfg, const Dataset& ds) {
  auto db = strata::Strata::open_temp(strata_options(cfg));
  preload(db, ds);
  db.fork_run("fork");
  db.set_run("fork");
  std::uint64_t misses = 0;
  auto r = timed_ops(ds.size(), [&](std::size_t i) {
    if (!db.kv_get(ds.read_key(i))) ++misses;
  });
  db.close();
  require_no_misses(misses, "inmemory.kv_get.forked.sync.1t");
  return r;
}

RunSample diff_changes(const Config& cfg, const Dataset& ds) {
  auto db = strata::Strata::open_temp(strata_options(cfg));
  preload(db, ds);
  db.fork_run("fork");
  strata::Strata fork = db;
  fork.set_run("fork");
  constexpr std::size_t kPerSide = 500;
  const std::size_t stride = ds.size() / (2 * kPerSide);
  for (std::size_t i = 0; i < kPerSide; ++i) {
    fork.kv_put(ds.key(2 * i * stride), strata::Value("fork"));
    db.kv_put(ds.key((2 * i + 1) * stride), strata::Value("parent"));
  }
  // Untimed: the shards order keys for range scans lazily, and the first
  // scan after a bulk load pays for ordering all of them (any kv_list would).
  std::size_t found = db.diff_runs("default", "fork").kv.size();
  auto r = timed_ops(20, [&](std::size_t) { found = db.diff_runs("default", "fork").kv.size(); });
  db.close();
  if (found != 2 * kPerSide)
    throw std::runtime_error("diff.1k_changes.1m_keys: found " + std::to_string(found) + " changes, expected 1000");
  r.extra.emplace_back("changes", static_cast<double>(found));
  return r;
}

RunSample replay_commits(const Config& cfg, const Dataset& ds) {
  auto db = strata::Strata::open_temp(strata_options(cfg));
  const std::size_t n = std::min<std::size_t>(ds.size(), 100'000);
  for (std::size_t i = 0; i < n; ++i) db.kv_put(ds.key(i), strata::Value(ds.payload()));
  RunSample r;
  r.start = Clock::now();
  const double cpu0 = process_cpu_seconds();
  const auto result = db.replay_run("default", "replay");
  const auto end = Clock::now();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  r.seconds = std::chrono::duration<double>(end - r.start).count();
  r.ops = result.commits;
  r.lat_ns = {elapsed_ns(r.start, end)};
  if (result.commits != n) throw std::runtime_error("replay.100k_commits: replayed " + std::to_string(result.commits));
  if (db.run_digest("replay").sha256 != db.run_digest("default").sha256)
    throw std::runtime_error("replay.100k_commits: the replay's digest differs");
  r.extra.emplace_back("seconds", r.seconds);
  db.close();
  return r;
}

RunSample digest_keys(const Config& cfg, const Dataset& ds) {
  auto db = strata::Strata::open_temp(strata_options(cfg));
  preload(db, ds);
  (void)db.run_digest("default");  // untimed: orders the bulk load's keys for scans once
  auto r = timed_ops(3, [&](std::size_t) { (void)db.run_digest("default"); });
  r.extra.emplace_back("seconds", r.seconds / 3);  // wall time per digest (µs latencies cap at 4.29 s)
  db.close();
  return r;
}

RunSample kv_get_as_of(const Config& cfg, const Dataset& ds) {
  auto db = strata::Strata::open_temp(strata_options(cfg));
  preload(db, ds);
  const strata::AsOf then = strata::AsOf::at_version(db.info().visible_version);
  constexpr std::size_t kLater = 1000;
  for (std::size_t i = 0; i < kLater; ++i) db.kv_put(ds.key((i * 7919) % ds.size()), strata::Value("later"));
  const strata::Value original(ds.payload());
  std::uint64_t wrong = 0;
  auto r = timed_ops(ds.size(), [&](std::size_t i) {
    const auto v = db.kv_get(ds.read_key(i), then);
    if (!v || *v != original) ++wrong;
  });
  db.close();
  require_no_misses(wrong, "asof.kv_get.sync.1t");
  return r;
}

}  // namespace

void add_strata_branch_workloads(std::vector<Workload>& out) {
  out.push_back({"fork.1m_keys", "strata", fork_run});
  out.push_back({"inmemory.kv_get.forked.sync.1t", "strata", kv_get_forked});
  out.push_back({"diff.1k_changes.1m_keys", "strata", diff_changes});
  out.push_back({"replay.100k_commits", "strata", replay_commits});
  out.push_back({"digest.1m_keys", "strata", digest_keys});
  out.push_back({"asof.kv_get.sync.1t", "strata", kv_get_as_of});
}

}  // namespace strata_bench
