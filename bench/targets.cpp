// The performance targets (docs/design/performance.md), checked against the results of this run: each line
// says what was required, what was measured, and whether it was met. Ratios
// against peers or the disk use figures from this same run only.
#include "report.hpp"

#include <string>

namespace strata_bench {

namespace {

const Summary* find(const std::vector<Summary>& results, const std::string& name, const std::string& system) {
  for (const auto& s : results)
    if (s.name == name && s.system == system) return &s;
  return nullptr;
}

double extra(const Summary& s, const std::string& key, double fallback) {
  for (const auto& [k, v] : s.extra)
    if (k == key) return v;
  return fallback;
}

void line(std::FILE* out, bool met, const std::string& what, const std::string& measured) {
  std::fprintf(out, "  %-6s %-58s %s\n", met ? "met" : "MISSED", what.c_str(), measured.c_str());
}

std::string fmt(const char* f, double a, double b = 0) {
  char buf[96];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

/// p50 and throughput floor of one StrataDB workload.
void latency_and_rate(std::FILE* out, const std::vector<Summary>& r, const std::string& name, double p50_us,
                      double ops) {
  const Summary* s = find(r, name, "strata");
  if (!s) return;
  line(out, s->p50_us <= p50_us, name + fmt(": p50 <= %.1f us", p50_us), fmt("p50 %.3f us", s->p50_us));
  if (ops > 0) line(out, s->ops_per_sec >= ops, name + fmt(": >= %.0fK ops/s", ops / 1e3), fmt("%.0f ops/s", s->ops_per_sec));
}

/// StrataDB at least `factor` times `base` (another system or workload).
void ratio(std::FILE* out, const Summary* s, const Summary* base, double factor, const std::string& what) {
  if (!s || !base || base->ops_per_sec <= 0) return;
  const double x = s->ops_per_sec / base->ops_per_sec;
  line(out, x >= factor, what, fmt("%.2fx (%.0f", x, s->ops_per_sec) + fmt(" vs %.0f ops/s)", base->ops_per_sec));
}

/// The vector rows (issue #9 / SPEC §14).
void print_vector_targets(std::FILE* out, const std::vector<Summary>& r) {
  if (const Summary* s = find(r, "vector.exact_search.10k_384", "strata"))
    line(out, s->p50_us <= 300.0, "vector.exact_search.10k_384: p50 <= 0.3 ms", fmt("p50 %.3f ms", s->p50_us / 1e3));
  for (const char* n : {"vector.ann.100k_128", "vector.ann.100k_128.recall99"}) {
    const Summary* s = find(r, n, "strata");
    const Summary* h = find(r, n, "hnswlib");
    if (!s || !h) continue;
    const double rs = extra(*s, "recall_at_10", 0), rh = extra(*h, "recall_at_10", 1);
    line(out, s->ops_per_sec >= h->ops_per_sec && rs >= rh - 0.005,
         std::string(n) + ": >= hnswlib q/s at equal recall (+-0.005)",
         fmt("%.0f vs %.0f q/s", s->ops_per_sec, h->ops_per_sec) + fmt(", recall %.4f vs %.4f", rs, rh));
  }
  for (const char* n : {"vector.filtered.100k_128.10pct", "vector.filtered.100k_128.1pct", "vector.filtered.100k_128.0_1pct"})
    if (const Summary* s = find(r, n, "strata")) {
      const double f = extra(*s, "full_k_fraction", 0);
      line(out, f >= 1.0, std::string(n) + ": every search returns k", fmt("full_k_fraction %.4f", f));
    }
  if (const Summary* s = find(r, "vector.reopen.100k_128", "strata")) {
    const double sec = extra(*s, "seconds", 1e9);
    line(out, sec <= 1.0, "vector.reopen.100k_128: correct search <= 1 s after open", fmt("%.3f s", sec));
  }
}

}  // namespace

void print_targets(std::FILE* out, const std::vector<Summary>& r) {
  std::fprintf(out, "------------------------------------------------\nPerformance targets (docs/design/performance.md), this run:\n");
  latency_and_rate(out, r, "inmemory.kv_put.sync.1t", 1.0, 1e6);
  latency_and_rate(out, r, "inmemory.kv_get.sync.1t", 0.5, 2e6);
  for (const char* n : {"inmemory.kv_put.async.256co", "inmemory.kv_get.async.256co"})
    if (const Summary* s = find(r, n, "strata"))
      line(out, s->ops_per_sec >= 1e6, std::string(n) + ": >= 1M ops/s", fmt("%.0f ops/s", s->ops_per_sec));
  latency_and_rate(out, r, "buffered.kv_put.sync.1t", 2.0, 5e5);
  ratio(out, find(r, "buffered.kv_put.sync.1t", "strata"), find(r, "buffered.kv_put.sync.1t", "rocksdb"), 2.0,
        "buffered.kv_put.sync.1t: >= 2x RocksDB (WAL, sync=false)");
  ratio(out, find(r, "strict.kv_put.sync.1t", "strata"), find(r, "disk.fdatasync.1t", "disk"), 0.9,
        "strict.kv_put.sync.1t: >= 90% of raw append+fdatasync rate");
  ratio(out, find(r, "strict.kv_put.64w", "strata"), find(r, "strict.kv_put.sync.1t", "strata"), 30.0,
        "strict.kv_put.64w: >= 30x StrataDB's 1-writer rate");
  ratio(out, find(r, "strict.kv_put.64w", "strata"), find(r, "strict.kv_put.64w", "rocksdb"), 1.0,
        "strict.kv_put.64w: >= RocksDB sync=true, 64 threads");
  for (const char* n : {"recovery.open.1m_keys", "recovery.open_compacted.1m_keys"})
    if (const Summary* s = find(r, n, "strata")) {
      const double sec = extra(*s, "seconds", 1e9);
      line(out, sec <= 1.0, std::string(n) + ": reopen <= 1 s", fmt("%.3f s", sec));
    }
  if (const Summary* s = find(r, "memory.1m_keys", "strata")) {
    const double b = extra(*s, "bytes_per_record", 1e9);
    line(out, b <= 232.0, "memory.1m_keys: <= 2x raw bytes (232 B/record)", fmt("%.1f B/record", b));
  }
  if (const Summary* s = find(r, "fork.1m_keys", "strata")) {
    const double ms = s->p50_us / 1000.0, bytes = extra(*s, "bytes", 1e12);
    line(out, ms <= 10.0 && bytes <= 1048576.0, "fork.1m_keys: <= 10 ms and <= 1 MiB per fork",
         fmt("p50 %.3f ms, ", ms) + fmt("%.0f bytes", bytes));
  }
  if (const Summary* f = find(r, "inmemory.kv_get.forked.sync.1t", "strata"))
    if (const Summary* g = find(r, "inmemory.kv_get.sync.1t", "strata"))
      line(out, f->p50_us <= 1.3 * g->p50_us, "inmemory.kv_get.forked.sync.1t: p50 <= 1.3x unforked",
           fmt("%.3f", f->p50_us) + fmt(" vs %.3f us", g->p50_us));
  print_vector_targets(out, r);
  std::fflush(out);
}

}  // namespace strata_bench
