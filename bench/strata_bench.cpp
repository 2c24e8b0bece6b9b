// strata-bench: StrataDB's benchmark binary in the manner of db_bench
// (docs/design/performance.md). Runs each selected workload on StrataDB and on the peers built
// in, `repeats` times on a fresh database each, and reports the median run.
#include "config.hpp"
#include "peer_util.hpp"
#include "report.hpp"
#include "workloads.hpp"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#ifndef STRATA_BENCH_BINARY_DIR
#define STRATA_BENCH_BINARY_DIR "."
#endif

namespace sb = strata_bench;

namespace {

/// Every workload name, in the order they run by default.
const std::vector<std::string> kAllBenchmarks = {
    "inmemory.kv_put.sync.1t",     "inmemory.kv_get.sync.1t", "inmemory.kv_put.async.256co",
    "inmemory.kv_get.async.256co", "inmemory.txn_rw.sync.1t", "inmemory.txn_list_put.sync.1t",
    "inmemory.kv_get.async.256co.sync_writer",
    "disk.fdatasync.1t",           "buffered.kv_put.sync.1t", "strict.kv_put.sync.1t",
    "strict.kv_put.64w",           "recovery.open.1m_keys",   "recovery.open_compacted.1m_keys",
    "memory.1m_keys",
    "inmemory.event_append.sync.1t",  "buffered.event_append.sync.1t",
    "inmemory.state_cas.async.64co",  "inmemory.state_cas.async.64co.64cells",
    "inmemory.json_set_path.sync.1t", "inmemory.txn_mixed.sync.1t",
    "inmemory.vector_upsert.sync.1t", "vector.exact_search.10k_384",
    "vector.ann_build.100k_128",      "vector.ann.100k_128", "vector.ann.100k_128.recall99",
    "vector.filtered.100k_128.10pct", "vector.filtered.100k_128.1pct", "vector.filtered.100k_128.0_1pct",
    "vector.reopen.100k_128",
    "fork.1m_keys",                   "inmemory.kv_get.forked.sync.1t", "diff.1k_changes.1m_keys",
    "replay.100k_commits",            "digest.1m_keys", "asof.kv_get.sync.1t",
};

std::vector<sb::Workload> registry(const sb::Config& cfg) {
  std::vector<sb::Workload> all;
  sb::add_strata_sync_workloads(all);
  sb::add_strata_async_workloads(all);
  sb::add_strata_durable_workloads(all);
  sb::add_strata_recovery_workloads(all);
  sb::add_strata_primitive_workloads(all);
  sb::add_strata_vector_workloads(all);
  sb::add_strata_branch_workloads(all);
  if (cfg.peers) sb::add_peer_workloads(all);
  return all;
}

bool known(const std::string& name) {
  for (const auto& n : kAllBenchmarks)
    if (n == name) return true;
  return false;
}

sb::Summary run_workload(const sb::Config& cfg, const sb::Dataset& ds, const sb::Workload& w) {
  std::vector<sb::RunSample> runs;
  for (int i = 0; i < cfg.repeats; ++i) runs.push_back(w.run(cfg, ds));
  return sb::summarize(w.name, w.system, runs);
}

int run(const sb::Config& cfg) {
  const auto& names = cfg.benchmarks.empty() ? kAllBenchmarks : cfg.benchmarks;
  for (const auto& n : names)
    if (!known(n)) {
      std::fprintf(stderr, "strata-bench: unknown benchmark '%s' (see --help)\n", n.c_str());
      return 2;
    }
  std::FILE* human = cfg.json ? stderr : stdout;
  sb::set_scratch_base(cfg.db_dir, STRATA_BENCH_BINARY_DIR);
  sb::print_header(human, cfg);
  const sb::Dataset ds(cfg.num);
  const auto workloads = registry(cfg);
  std::vector<sb::Summary> results;
  for (const auto& name : names)
    for (const auto& w : workloads) {
      if (w.name != name) continue;
      results.push_back(run_workload(cfg, ds, w));
      sb::print_line(human, results.back());  // stderr under --json: stdout stays pure JSON
      if (cfg.verbose) sb::print_repeats(stderr, results.back());
    }
  if (cfg.json) sb::print_json(stdout, results);
  sb::print_targets(human, results);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto cfg = sb::parse_args(argc, argv, &exit_code);
  if (!cfg) return exit_code;
  try {
    return run(*cfg);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strata-bench: %s\n", e.what());
    return 1;
  }
}
