// The deterministic data every workload and every peer uses: num distinct
// 16-byte keys (zero-padded decimal numbers) in a shuffled insert order, one
// 100-byte value payload, and a shuffled sequence of existing keys to read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata_bench {

inline constexpr std::size_t kKeyBytes = 16;
inline constexpr std::size_t kValueBytes = 100;

class Dataset {
 public:
  /// Same num and seed give the same keys, order and payload on every run.
  explicit Dataset(std::size_t num, std::uint64_t seed = 0x5eed5eedULL);

  std::size_t size() const noexcept { return num_; }
  /// The i-th key in insert order (distinct for every i < size()).
  std::string_view key(std::size_t i) const noexcept { return {keys_.data() + i * kKeyBytes, kKeyBytes}; }
  /// The key the i-th read touches: every existing key once, in an order
  /// unrelated to the insert order. Stored in read order, so the caller's key
  /// is cache-hot (as a real caller's freshly built key is) and cache misses
  /// are the database's own.
  std::string_view read_key(std::size_t i) const noexcept {
    return {read_keys_.data() + i * kKeyBytes, kKeyBytes};
  }
  /// 100 printable bytes (incompressible enough for peers that compress).
  std::string_view payload() const noexcept { return payload_; }

 private:
  std::size_t num_;
  std::string keys_;
  std::string read_keys_;
  std::string payload_;
};

}  // namespace strata_bench
