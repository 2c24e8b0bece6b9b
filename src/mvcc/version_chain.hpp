// MVCC version chains: every key keeps its committed versions, newest first.
//
// A reader at snapshot S sees the newest node with version <= S; nodes with
// a larger version are either newer commits or commits still waiting to be
// published (the coordinator installs a commit's writes before it raises the
// visible-version watermark past it). Deletions are tombstone nodes so that
// older snapshots and history still see the deleted value.
//
// A chain is owned by exactly one shard and only touched by its owner.
#pragma once

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace strata::mvcc {

struct VersionNode {
  Version version = 0;
  std::int64_t timestamp_us = 0;
  bool tombstone = false;
  // A KV value's time to live in ms, 0 for none (kv_put's ttl): 48 bits
  // kept in the padding after `tombstone`, so a node costs nothing more.
  std::uint16_t ttl_ms_high = 0;
  std::uint32_t ttl_ms_low = 0;
  Value value;  // Null for tombstones
  std::unique_ptr<VersionNode> older;

  static constexpr std::uint64_t kMaxTtlMs = (std::uint64_t{1} << 48) - 1;
  std::uint64_t ttl_ms() const noexcept { return std::uint64_t{ttl_ms_high} << 32 | ttl_ms_low; }
  /// REQUIRES: ms <= kMaxTtlMs.
  void set_ttl_ms(std::uint64_t ms) noexcept {
    ttl_ms_high = static_cast<std::uint16_t>(ms >> 32);
    ttl_ms_low = static_cast<std::uint32_t>(ms);
  }
  bool has_ttl() const noexcept { return (ttl_ms_high | ttl_ms_low) != 0; }
  /// When the value stops being live (µs since the epoch); INT64_MAX without a TTL.
  std::int64_t expires_us() const noexcept {
    return has_ttl() ? timestamp_us + static_cast<std::int64_t>(ttl_ms()) * 1000 : INT64_MAX;
  }
};

/// The value a reader sees in `node` (nullopt: no version, or a tombstone).
inline std::optional<Value> live_value(const VersionNode* node) {
  if (!node || node->tombstone) return std::nullopt;
  return node->value;
}
/// The same, with the version and timestamp that wrote it.
inline std::optional<VersionedValue> live_versioned(const VersionNode* node) {
  if (!node || node->tombstone) return std::nullopt;
  return VersionedValue{node->value, node->version, node->timestamp_us, false};
}

class VersionChain;
struct ChainDeleter {
  void operator()(VersionChain* c) const noexcept;
};
using ChainPtr = std::unique_ptr<VersionChain, ChainDeleter>;

class VersionChain {
 public:
  /// One allocation holds the chain and its key bytes (the key is read on
  /// every hash-map hit, so it should share the chain's cache lines).
  static ChainPtr make(std::string_view key, std::size_t hash);
  VersionChain(const VersionChain&) = delete;
  VersionChain& operator=(const VersionChain&) = delete;

  std::string_view key() const noexcept { return {reinterpret_cast<const char*>(this + 1), key_size_}; }
  std::size_t hash() const noexcept { return hash_; }

  /// Newest node with version <= snapshot, or nullptr.
  const VersionNode* at(Version snapshot) const noexcept {
    const VersionNode* n = newest_.get();
    while (n && n->version > snapshot) n = n->older.get();
    return n;
  }
  /// Version of the newest node, published or not (0 when empty).
  Version latest_version() const noexcept { return newest_ ? newest_->version : 0; }
  /// Whether the newest node (published or not) is a live value.
  bool latest_is_live() const noexcept { return newest_ && !newest_->tombstone; }
  const VersionNode* newest() const noexcept { return newest_.get(); }

  /// Pushes a new version. REQUIRES: version > latest_version().
  void push(Version version, std::int64_t timestamp_us, bool tombstone, Value&& value, std::uint64_t ttl_ms = 0);

 private:
  friend struct ChainDeleter;
  VersionChain(std::size_t key_size, std::size_t hash) : hash_(hash), key_size_(key_size) {}
  // Iterative: a key overwritten a million times must not recurse a million
  // frames deep when its chain is freed.
  ~VersionChain();

  std::unique_ptr<VersionNode> newest_;
  std::size_t hash_;
  std::size_t key_size_;
  // key bytes follow the object
};

}  // namespace strata::mvcc
