#include "harness.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>

#include <time.h>

namespace strata_bench {

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double percentile_us(std::vector<std::uint32_t>& lat, double q) {
  if (lat.empty()) return 0;
  auto idx = static_cast<std::size_t>(q * static_cast<double>(lat.size() - 1) + 0.5);
  idx = std::min(idx, lat.size() - 1);
  std::nth_element(lat.begin(), lat.begin() + static_cast<std::ptrdiff_t>(idx), lat.end());
  return static_cast<double>(lat[idx]) / 1000.0;
}

Summary summarize(std::string name, std::string system, std::vector<RunSample>& runs) {
  Summary s;
  s.name = std::move(name);
  s.system = std::move(system);
  if (runs.empty()) return s;
  std::vector<std::size_t> order(runs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return runs[a].ops_per_sec() < runs[b].ops_per_sec(); });
  RunSample& median = runs[order[order.size() / 2]];
  s.ops_per_sec = median.ops_per_sec();
  s.p50_us = percentile_us(median.lat_ns, 0.50);
  s.p99_us = percentile_us(median.lat_ns, 0.99);
  s.extra = median.extra;
  for (const auto& r : runs) {
    s.repeat_ops_per_sec.push_back(r.ops_per_sec());
    s.repeat_ops_per_cpu_sec.push_back(r.cpu_seconds > 0 ? static_cast<double>(r.ops) / r.cpu_seconds : 0);
    const double t0 = std::chrono::duration<double>(r.start.time_since_epoch()).count();
    s.repeat_windows.emplace_back(t0, t0 + r.seconds);
  }
  return s;
}

}  // namespace strata_bench
