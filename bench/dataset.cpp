#include "dataset.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

namespace strata_bench {

namespace {

/// A permutation of [0, n) fixed by the seed (mt19937_64 is specified
/// exactly by the standard; our own Fisher-Yates avoids std::shuffle's
/// implementation-defined use of the engine).
std::vector<std::uint32_t> permutation(std::size_t n, std::mt19937_64& rng) {
  std::vector<std::uint32_t> p(n);
  std::iota(p.begin(), p.end(), 0u);
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng() % i]);
  return p;
}

}  // namespace

Dataset::Dataset(std::size_t num, std::uint64_t seed) : num_(num) {
  std::mt19937_64 rng(seed);
  const auto order = permutation(num, rng);
  keys_.resize(num * kKeyBytes + 1);  // +1: snprintf's terminating NUL
  for (std::size_t i = 0; i < num; ++i)
    std::snprintf(keys_.data() + i * kKeyBytes, kKeyBytes + 1, "%016u", static_cast<unsigned>(order[i]));
  keys_.resize(num * kKeyBytes);
  const auto reads = permutation(num, rng);
  read_keys_.resize(num * kKeyBytes);
  for (std::size_t i = 0; i < num; ++i) key(reads[i]).copy(read_keys_.data() + i * kKeyBytes, kKeyBytes);
  payload_.resize(kValueBytes);
  for (auto& c : payload_) c = static_cast<char>('!' + rng() % 94);
}

}  // namespace strata_bench
