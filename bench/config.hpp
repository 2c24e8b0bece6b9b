// Command-line configuration of strata-bench.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace strata_bench {

struct Config {
  std::vector<std::string> benchmarks;  ///< empty = all, in registry order
  std::size_t num = 1'000'000;          ///< ops per run (and keys preloaded for reads)
  int repeats = 3;                      ///< the median repeat is reported
  std::size_t threads = 2;              ///< internal pool threads (Options::threads)
  std::size_t shards = 0;               ///< Options::shards (0 = hardware concurrency)
  /// Time cap of one repeat of a durable (buffered./strict./disk.) workload
  /// and of SQLite's per-transaction puts: they stop at num ops or this.
  double seconds = 3.0;
  /// Where on-disk databases are created (empty: the system temp dir, or
  /// the build dir when that is a tmpfs, where fdatasync means nothing).
  std::string db_dir;
  bool json = false;
  bool peers = true;
  bool verbose = false;
};

/// Parses argv. Returns nullopt after printing help (exit 0) or an error
/// (exit 2), in which case *exit_code is set.
std::optional<Config> parse_args(int argc, char** argv, int* exit_code);

}  // namespace strata_bench
