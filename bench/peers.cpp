// Registers the peers that CMake found (STRATA_BENCH_HAVE_ROCKSDB / _LMDB /
// _SQLITE), and the scratch directories every on-disk database lives in.
#include "peer_util.hpp"
#include "workloads.hpp"

#include <atomic>
#include <fstream>
#include <system_error>

#include <malloc.h>
#include <linux/magic.h>
#include <sys/vfs.h>
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
#if STRATA_BENCH_HAVE_HNSWLIB
void add_hnswlib_workloads(std::vector<Workload>& out);
std::string hnswlib_version();
#endif
#if STRATA_BENCH_HAVE_SQLITE
void add_sqlite_workloads(std::vector<Workload>& out);
std::string sqlite_version();
#endif

void add_peer_workloads([[maybe_unused]] std::vector<Workload>& out) {
#if STRATA_BENCH_HAVE_ROCKSDB
  add_rocksdb_workloads(out);
#endif
#if STRATA_BENCH_HAVE_LMDB
  add_lmdb_workloads(out);
#endif
#if STRATA_BENCH_HAVE_SQLITE
  add_sqlite_workloads(out);
#endif
#if STRATA_BENCH_HAVE_HNSWLIB
  add_hnswlib_workloads(out);
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
#if STRATA_BENCH_HAVE_SQLITE
  v += (v.empty() ? "" : ", ") + std::string("sqlite ") + sqlite_version();
#endif
#if STRATA_BENCH_HAVE_HNSWLIB
  v += (v.empty() ? "" : ", ") + std::string("hnswlib ") + hnswlib_version();
#endif
  return v.empty() ? "none (built without RocksDB/LMDB/SQLite/hnswlib)" : v;
}

namespace {

std::filesystem::path& base_storage() {
  static std::filesystem::path base;
  return base;
}

bool is_memory_fs(const std::filesystem::path& p) {
  struct statfs fs{};
  if (::statfs(p.c_str(), &fs) != 0) return false;
  return fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC;
}

}  // namespace

void set_scratch_base(const std::filesystem::path& dir, const std::filesystem::path& fallback) {
  auto tmp = std::filesystem::temp_directory_path();
  base_storage() = !dir.empty() ? dir : is_memory_fs(tmp) ? fallback : tmp;
  std::filesystem::create_directories(base_storage());
}

const std::filesystem::path& scratch_base() {
  if (base_storage().empty()) base_storage() = std::filesystem::temp_directory_path();
  return base_storage();
}

std::string describe_filesystem(const std::filesystem::path& p) {
  std::error_code ec;
  const std::string target = std::filesystem::canonical(p, ec).string();
  std::ifstream in("/proc/self/mounts");
  std::string dev, mnt, type, rest, best_dev = "?", best_mnt, best_type = "?";
  while (in >> dev >> mnt >> type && std::getline(in, rest)) {
    const bool inside = target.rfind(mnt, 0) == 0 &&
                        (mnt == "/" || target.size() == mnt.size() || target[mnt.size()] == '/');
    if (inside && mnt.size() >= best_mnt.size()) best_dev = dev, best_mnt = mnt, best_type = type;
  }
  return p.string() + " (" + best_type + " on " + best_dev + ", mounted at " + best_mnt + ")" +
         (is_memory_fs(p) ? "  !!! memory filesystem: fdatasync is free, durable numbers are fiction" : "");
}

ScratchDir::ScratchDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  path_ = scratch_base() /
          ("strata-bench-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;  // best effort: never throw from a destructor
  std::filesystem::remove_all(path_, ec);
}

double resident_bytes() {
  std::ifstream in("/proc/self/statm");
  double size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

double heap_in_use() {
  const auto mi = ::mallinfo2();
  return static_cast<double>(mi.uordblks + mi.hblkhd);
}

}  // namespace strata_bench
