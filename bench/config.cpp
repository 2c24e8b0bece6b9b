#include "config.hpp"

#include <charconv>
#include <cstdio>
#include <string_view>

namespace strata_bench {

namespace {

constexpr const char* kHelp = R"(strata-bench: StrataDB micro-benchmarks in the manner of db_bench.

Usage: strata-bench [flags]
  --benchmarks=a,b,c  workloads to run (default: all). Names:
                        inmemory.kv_put.sync.1t      inmemory.kv_get.sync.1t
                        inmemory.kv_put.async.256co  inmemory.kv_get.async.256co
                        inmemory.txn_rw.sync.1t      inmemory.txn_list_put.sync.1t
                        inmemory.kv_get.async.256co.sync_writer
                        buffered.kv_put.sync.1t      strict.kv_put.sync.1t
                        strict.kv_put.64w            disk.fdatasync.1t
                        recovery.open.1m_keys        recovery.open_compacted.1m_keys
                        memory.1m_keys
                        inmemory.event_append.sync.1t
                        buffered.event_append.sync.1t
                        inmemory.state_cas.async.64co
                        inmemory.state_cas.async.64co.64cells
                        inmemory.json_set_path.sync.1t
                        inmemory.txn_mixed.sync.1t
                        inmemory.vector_upsert.sync.1t (up to 100K upserts)
                        vector.exact_search.10k_384  vector.ann_build.100k_128
                        vector.ann.100k_128          vector.ann.100k_128.recall99
                        vector.filtered.100k_128.10pct
                        vector.filtered.100k_128.1pct
                        vector.filtered.100k_128.0_1pct
                        vector.reopen.100k_128
                        fork.1m_keys                 inmemory.kv_get.forked.sync.1t
                        diff.1k_changes.1m_keys      replay.100k_commits
                        digest.1m_keys               asof.kv_get.sync.1t
                      (the vector rows use their own fixed-size data,
                      docs/benchmarks.md "Vector data")
  --num=N             ops per run; reads first preload N keys (default 1000000)
  --repeats=R         runs per workload, database reopened fresh each; the
                      median run (by ops/s) is reported (default 3)
  --threads=T         threads of the database's internal pool (default 2)
  --shards=S          shard actors (default 0 = hardware concurrency)
  --seconds=S         time cap of one repeat of buffered./strict./disk.
                      workloads (and SQLite puts): each stops after num ops or
                      S seconds, whichever comes first (default 3)
  --db_dir=DIR        parent of the scratch database directories (default: the
                      system temp dir, or the build dir if that is a tmpfs)
  --no-peers          skip RocksDB / LMDB / SQLite / hnswlib comparisons
  --json              print only a JSON array on stdout (header, lines and
                      targets go to stderr)
  --verbose           print every repeat's ops/s and timed window (steady_clock
                      seconds, for `perf record -k CLOCK_MONOTONIC` + `perf report --time`)
  --help              this text

Keys are 16 bytes, values 100 bytes. Output: one line per workload and system
  name (system) : p50 X µs/op, p99 Y µs/op, Z ops/s [extra figures]
then the docs/design/performance.md targets, each marked met / MISSED.
Name prefixes: inmemory. (no disk), buffered. (WAL, background sync),
strict. (acknowledged after fdatasync), recovery. (reopen after a Buffered
load of num keys; ops/s = keys recovered per second), memory. (heap growth per
record after an InMemory load of num keys), disk. (the raw device).
)";

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    auto item = s.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size();
}

/// Applies one "--flag[=value]" to c; false when unknown or malformed.
bool apply_flag(std::string_view arg, Config& c) {
  auto eq = arg.find('=');
  auto flag = arg.substr(0, eq);
  auto value = eq == std::string_view::npos ? std::string_view{} : arg.substr(eq + 1);
  if (flag == "--json" || flag == "--no-peers" || flag == "--verbose") {
    if (flag == "--json") c.json = true;
    if (flag == "--no-peers") c.peers = false;
    if (flag == "--verbose") c.verbose = true;
    return eq == std::string_view::npos;
  }
  if (flag == "--benchmarks") {
    c.benchmarks = split_commas(value);
    return !c.benchmarks.empty();
  }
  if (flag == "--num") return parse_number(value, c.num) && c.num > 0;
  if (flag == "--repeats") return parse_number(value, c.repeats) && c.repeats > 0;
  if (flag == "--threads") return parse_number(value, c.threads) && c.threads > 0;
  if (flag == "--shards") return parse_number(value, c.shards);
  if (flag == "--seconds") return parse_number(value, c.seconds) && c.seconds > 0;
  if (flag == "--db_dir") {
    c.db_dir = value;
    return !c.db_dir.empty();
  }
  return false;
}

}  // namespace

std::optional<Config> parse_args(int argc, char** argv, int* exit_code) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kHelp, stdout);
      *exit_code = 0;
      return std::nullopt;
    }
    if (!apply_flag(arg, c)) {
      std::fprintf(stderr, "strata-bench: bad flag '%s' (see --help)\n", argv[i]);
      *exit_code = 2;
      return std::nullopt;
    }
  }
  return c;
}

}  // namespace strata_bench
