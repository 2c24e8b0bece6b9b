#include "report.hpp"

#include "dataset.hpp"
#include "peer_util.hpp"
#include "workloads.hpp"

#include <boost/json.hpp>

#include <ctime>
#include <fstream>
#include <string>
#include <thread>

#ifndef STRATA_BENCH_BUILD_TYPE
#define STRATA_BENCH_BUILD_TYPE "unknown"
#endif
#ifndef STRATA_BENCH_VERSION
#define STRATA_BENCH_VERSION "unknown"
#endif

namespace strata_bench {

namespace {

#ifdef __OPTIMIZE__
constexpr bool kOptimized = true;
#else
constexpr bool kOptimized = false;
#endif
#ifdef NDEBUG
constexpr bool kAssertions = false;
#else
constexpr bool kAssertions = true;
#endif

/// "AMD EPYC ... (2 logical CPUs)" from /proc/cpuinfo.
std::string cpu_description() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  int count = 0;
  while (std::getline(in, line)) {
    if (line.rfind("processor", 0) == 0) ++count;
    if (line.rfind("model name", 0) == 0 && model == "unknown CPU") {
      auto colon = line.find(':');
      if (colon != std::string::npos) model = line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  if (count == 0) count = static_cast<int>(std::thread::hardware_concurrency());
  return model + " (" + std::to_string(count) + " logical CPUs)";
}

/// The 1-minute load average, or -1 when /proc/loadavg is unreadable.
double load_average() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  in >> load;
  return in ? load : -1;
}

std::string compiler_description() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("g++ ") + __VERSION__;
#else
  return "unknown compiler";
#endif
}

std::string now_text() {
  std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
  return buf;
}

void print_warnings(std::FILE* out) {
  const char* bar = "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!";
  if (!kOptimized)
    std::fprintf(out, "%s\n!!! WARNING: built WITHOUT optimization (no __OPTIMIZE__): numbers are MEANINGLESS.\n"
                      "!!! Rebuild with -DCMAKE_BUILD_TYPE=Release.\n%s\n", bar, bar);
  if (kAssertions)
    std::fprintf(out, "%s\n!!! WARNING: assertions are ENABLED (NDEBUG not defined): numbers are pessimistic.\n"
                      "!!! Rebuild with -DCMAKE_BUILD_TYPE=Release.\n%s\n", bar, bar);
}

}  // namespace

void print_header(std::FILE* out, const Config& cfg) {
  print_warnings(out);
  std::fprintf(out, "strata-bench   StrataDB %s, %s\n", STRATA_BENCH_VERSION, now_text().c_str());
  std::fprintf(out, "Build:         %s (%s, assertions %s)\n", STRATA_BENCH_BUILD_TYPE,
               kOptimized ? "optimized" : "NOT optimized", kAssertions ? "ENABLED" : "off");
  std::fprintf(out, "Compiler:      %s\n", compiler_description().c_str());
  std::fprintf(out, "CPU:           %s\n", cpu_description().c_str());
  const double load = load_average();
  std::fprintf(out, "Load average:  %.2f (1 min)\n", load);
  if (load >= 1.0)
    std::fprintf(out, "!!! WARNING: the machine is busy (load %.2f on %u CPUs): ops/s will be low and noisy;\n"
                      "!!! p50 is the more robust figure, --verbose adds ops per CPU-second.\n",
                 load, std::thread::hardware_concurrency());
  std::fprintf(out, "Durability:    by name prefix: inmemory.* and memory.* InMemory; buffered.* and recovery.* Buffered\n"
                    "               (flush_interval 100 ms); strict.* Strict (ack after the covering fdatasync)\n");
  std::fprintf(out, "Database dir:  %s\n", describe_filesystem(scratch_base()).c_str());
  std::fprintf(out, "Durable runs:  stop at num ops or %.1f s per repeat; strict.kv_put.64w: %zu writers\n"
                    "               (coroutines on the DB's pool for strata, threads for peers)\n",
               cfg.seconds, kDurableWriters);
  std::fprintf(out, "Keys:          %zu bytes each (zero-padded numbers, shuffled order)\n", kKeyBytes);
  std::fprintf(out, "Values:        %zu bytes each (String)\n", kValueBytes);
  std::fprintf(out, "Num:           %zu ops per run, %d repeats (median run reported)\n", cfg.num, cfg.repeats);
  std::fprintf(out, "Database:      threads=%zu shards=%zu%s\n", cfg.threads, cfg.shards,
               cfg.shards ? "" : " (= hardware concurrency)");
  std::fprintf(out, "Peers:         %s\n", cfg.peers ? peer_versions().c_str() : "disabled (--no-peers)");
  std::fprintf(out, "------------------------------------------------\n");
  std::fflush(out);
}

void print_line(std::FILE* out, const Summary& s) {
  std::string label = s.name + " (" + s.system + ")";
  std::fprintf(out, "%-48s : p50 %8.3f µs/op, p99 %8.3f µs/op, %11.0f ops/s", label.c_str(), s.p50_us,
               s.p99_us, s.ops_per_sec);
  for (const auto& [key, value] : s.extra) std::fprintf(out, ", %s %.6g", key.c_str(), value);
  std::fprintf(out, "\n");
  std::fflush(out);
}

void print_repeats(std::FILE* out, const Summary& s) {
  std::fprintf(out, "  %s (%s) repeats:", s.name.c_str(), s.system.c_str());
  for (double r : s.repeat_ops_per_sec) std::fprintf(out, " %.0f", r);
  std::fprintf(out, " ops/s;");
  for (double r : s.repeat_ops_per_cpu_sec) std::fprintf(out, " %.0f", r);
  std::fprintf(out, " ops/CPU-s; timed windows (monotonic s):");
  for (auto [t0, t1] : s.repeat_windows) std::fprintf(out, " %.6f,%.6f", t0, t1);
  std::fprintf(out, "\n");
}

void print_json(std::FILE* out, const std::vector<Summary>& results) {
  boost::json::array arr;
  for (const auto& s : results) {
    boost::json::object o{{"name", s.name},
                          {"system", s.system},
                          {"ops_per_sec", s.ops_per_sec},
                          {"p50_us", s.p50_us},
                          {"p99_us", s.p99_us}};
    for (const auto& [key, value] : s.extra) o[key] = value;
    arr.push_back(std::move(o));
  }
  std::fprintf(out, "%s\n", boost::json::serialize(arr).c_str());
}

}  // namespace strata_bench
