// Timing and statistics for strata-bench: one RunSample per repeat, reduced
// to the median repeat (by throughput) as db_bench does.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace strata_bench {

using Clock = std::chrono::steady_clock;

/// Nanoseconds between two clock readings, saturated to 32 bits (a single
/// op slower than 4 s is reported as 4 s; 32-bit slots halve the memory).
inline std::uint32_t elapsed_ns(Clock::time_point from, Clock::time_point to) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
  if (ns < 0) return 0;
  return ns > 0xFFFFFFFFll ? 0xFFFFFFFFu : static_cast<std::uint32_t>(ns);
}

/// What one repeat of one workload measured.
struct RunSample {
  std::uint64_t ops = 0;
  double seconds = 0;                 ///< wall time of the timed phase
  std::vector<std::uint32_t> lat_ns;  ///< one entry per op
  /// Start of the timed phase on steady_clock (CLOCK_MONOTONIC on Linux), so
  /// that `perf record -k CLOCK_MONOTONIC` profiles can be cut to it.
  Clock::time_point start{};
  /// CPU time the whole process used in the timed phase (all threads): on a
  /// shared machine ops per CPU-second is steadier than ops per wall-second.
  double cpu_seconds = 0;
  /// Workload-specific figures ("seconds", "bytes_per_record", ...), printed
  /// after the standard ones and added to the JSON object.
  std::vector<std::pair<std::string, double>> extra;
  double ops_per_sec() const { return seconds > 0 ? static_cast<double>(ops) / seconds : 0; }
};

/// The reported figures of one workload on one system.
struct Summary {
  std::string name;
  std::string system;
  double ops_per_sec = 0;
  double p50_us = 0;
  double p99_us = 0;
  std::vector<double> repeat_ops_per_sec;      ///< every repeat, in run order
  std::vector<double> repeat_ops_per_cpu_sec;  ///< ops per process CPU-second
  /// Timed phase of every repeat, seconds on steady_clock: {start, end}.
  std::vector<std::pair<double, double>> repeat_windows;
  std::vector<std::pair<std::string, double>> extra;  ///< of the median repeat
};

/// CPU time consumed so far by the whole process, in seconds.
double process_cpu_seconds();

/// Runs op(i) for i in [0, num) and records each op's latency. Readings are
/// chained (one steady_clock read, ~20 ns, per op rather than two), so the
/// loop's own bookkeeping is inside the measurement.
template <class Op>
RunSample timed_ops(std::size_t num, Op&& op) {
  RunSample r;
  r.lat_ns.resize(num);
  const double cpu0 = process_cpu_seconds();
  const auto start = Clock::now();
  auto prev = start;
  for (std::size_t i = 0; i < num; ++i) {
    op(i);
    const auto now = Clock::now();
    r.lat_ns[i] = elapsed_ns(prev, now);
    prev = now;
  }
  r.ops = num;
  r.start = start;
  r.seconds = std::chrono::duration<double>(prev - start).count();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  return r;
}

/// Like timed_ops, but stops early once `max_seconds` have passed (durable
/// workloads: a Strict put costs a disk flush, so a fixed op count would take
/// minutes on slow peers). Runs at least one op.
template <class Op>
RunSample timed_ops_for(std::size_t num, double max_seconds, Op&& op) {
  RunSample r;
  r.lat_ns.resize(num);
  const double cpu0 = process_cpu_seconds();
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(max_seconds));
  auto prev = start;
  std::size_t i = 0;
  while (i < num) {
    op(i);
    const auto now = Clock::now();
    r.lat_ns[i++] = elapsed_ns(prev, now);
    prev = now;
    if (now >= deadline) break;
  }
  r.lat_ns.resize(i);
  r.ops = i;
  r.start = start;
  r.seconds = std::chrono::duration<double>(prev - start).count();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  return r;
}

/// Claims op indices for concurrent workers: at most `num` ops, and no new op
/// once `max_seconds` have passed since construction. Every claimed index is
/// executed, so ops() is exact.
class OpClaimer {
 public:
  OpClaimer(std::size_t num, double max_seconds)
      : num_(num),
        deadline_(Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(max_seconds))) {}
  /// The next op index, or false when the run is over.
  bool claim(std::size_t& i) {
    if (Clock::now() >= deadline_) return false;
    i = next_.fetch_add(1, std::memory_order_relaxed);
    return i < num_;
  }
  std::size_t ops() const { return std::min(next_.load(), num_); }

 private:
  std::size_t num_;
  Clock::time_point deadline_;
  std::atomic<std::size_t> next_{0};
};

/// The q-quantile (0..1) of the latencies, in µs. Reorders `lat`.
double percentile_us(std::vector<std::uint32_t>& lat, double q);

/// Picks the repeat with the median throughput and reports its own p50/p99,
/// so that the three figures always come from one coherent run.
Summary summarize(std::string name, std::string system, std::vector<RunSample>& runs);

}  // namespace strata_bench
