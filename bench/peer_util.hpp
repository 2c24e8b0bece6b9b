// Scratch directories for the on-disk databases (StrataDB's durable modes and
// the peers), and a fixed-time multi-threaded runner for the peers.
#pragma once

#include "harness.hpp"

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace strata_bench {

/// Chooses where ScratchDirs go: `dir` when non-empty, else the system temp
/// dir unless that is a tmpfs/ramfs (fdatasync there costs nothing, so
/// durable numbers would be fiction), in which case `fallback` (the build dir).
void set_scratch_base(const std::filesystem::path& dir, const std::filesystem::path& fallback);
const std::filesystem::path& scratch_base();
/// "/tmp (ext4 on /dev/vda, mounted at /)" from /proc/self/mounts.
std::string describe_filesystem(const std::filesystem::path& p);

/// Resident set size now, bytes (/proc/self/statm counts every mapping:
/// heap, mmap'd arenas, thread stacks).
double resident_bytes();
/// Bytes malloc has handed out and not taken back (glibc).
double heap_in_use();

/// A fresh empty directory under scratch_base(), removed on scope exit.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// Runs op(i) on `threads` threads for at most num ops / max_seconds (see
/// OpClaimer), each op timed on its own (latency includes waiting for the
/// shared group commit, as a caller sees it).
template <class Op>
RunSample timed_threads(std::size_t threads, std::size_t num, double max_seconds, Op&& op) {
  RunSample r;
  r.lat_ns.resize(num);
  const double cpu0 = process_cpu_seconds();
  const auto start = Clock::now();
  OpClaimer claimer(num, max_seconds);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      std::size_t i = 0;
      while (claimer.claim(i)) {
        const auto t0 = Clock::now();
        op(i);
        r.lat_ns[i] = elapsed_ns(t0, Clock::now());
      }
    });
  for (auto& th : pool) th.join();
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.ops = claimer.ops();
  r.lat_ns.resize(r.ops);
  r.start = start;
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  return r;
}

}  // namespace strata_bench
