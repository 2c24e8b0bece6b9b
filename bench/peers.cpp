// Registers the peers that CMake found (STRATA_BENCH_HAVE_ROCKSDB / _LMDB).
#include "peer_util.hpp"
#include "workloads.hpp"

#include <atomic>
#include <system_error>
#include <unistd.h>

namespace strata_bench {

#if STRATA_BENCH_HAVE_ROCKSDB
void add_rocksdb_workloads(std::vector<Workload>& out);
std::string rocksdb_version();
#endif
#if STRATA_BENCH_HAVE_LMDB
void add_lmdb_workloads(std::vector<Workload>& out);
std::string lmdb_version();
#endif

void add_peer_workloads([[maybe_unused]] std::vector<Workload>& out) {
#if STRATA_BENCH_HAVE_ROCKSDB
  add_rocksdb_workloads(out);
#endif
#if STRATA_BENCH_HAVE_LMDB
  add_lmdb_workloads(out);
#endif
}

std::string peer_versions() {
  std::string v;
#if STRATA_BENCH_HAVE_ROCKSDB
  v += "rocksdb " + rocksdb_version();
#endif
#if STRATA_BENCH_HAVE_LMDB
  v += (v.empty() ? "" : ", ") + std::string("lmdb ") + lmdb_version();
#endif
  return v.empty() ? "none (built without RocksDB/LMDB)" : v;
}

ScratchDir::ScratchDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("strata-bench-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;  // best effort: never throw from a destructor
  std::filesystem::remove_all(path_, ec);
}

}  // namespace strata_bench
