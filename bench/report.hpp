// What strata-bench prints: the environment header, one line per result,
// and the --json array.
#pragma once

#include "config.hpp"
#include "harness.hpp"

#include <cstdio>
#include <vector>

namespace strata_bench {

/// Build type, compiler, CPU, durability, data sizes; loud warnings when the
/// binary was built without optimization or with assertions enabled.
void print_header(std::FILE* out, const Config& cfg);

/// `name (system) : p50 X µs/op, p99 Y µs/op, Z ops/s [key=value ...]`
void print_line(std::FILE* out, const Summary& s);

/// Every repeat's throughput (for --verbose).
void print_repeats(std::FILE* out, const Summary& s);

/// `[{"name":..,"system":..,"ops_per_sec":..,"p50_us":..,"p99_us":..}, ...]`,
/// plus each workload's extra figures (e.g. "seconds", "bytes_per_record").
void print_json(std::FILE* out, const std::vector<Summary>& results);

/// Each docs/design/performance.md target with the figure measured in this run (targets.cpp).
void print_targets(std::FILE* out, const std::vector<Summary>& results);

}  // namespace strata_bench
