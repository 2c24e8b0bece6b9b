// ShardStore: the data one shard owns — version chains of run-tagged keys.
//
// Point operations go through a hash index (boost::unordered_flat_map, ~0.4
// µs per lookup at 1M keys on this machine, see docs/design/performance.md); ordered
// operations (prefix listing, run deletion) go through an ordered set of the
// same chains. Inserting into the ordered set costs ~2 µs per key at 1M keys,
// so new keys are only appended to `unindexed_` on the write path and moved
// into the ordered set (sorted, in one batch) by the first ordered query
// (compaction orders them in short bounded steps instead). Every key is
// inserted into the ordered set once, so listing stays O(log n + matches)
// amortized.
//
// Not thread-safe: only the owning ShardActor touches it.
#pragma once

#include "keys/storage_key.hpp"
#include "mvcc/version_chain.hpp"

#include <boost/unordered/unordered_flat_map.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace strata::storage {

/// A storage key with its hash, computed once per operation and used both
/// to pick the shard and to probe its hash index.
struct HashedKey {
  std::string_view key;
  std::size_t hash;
  static HashedKey of(std::string_view k) noexcept { return {k, std::hash<std::string_view>{}(k)}; }
};

class ShardStore {
 public:
  ShardStore() = default;
  ShardStore(const ShardStore&) = delete;
  ShardStore& operator=(const ShardStore&) = delete;

  const mvcc::VersionChain* find(const HashedKey& key) const noexcept;

  /// Appends a version to the key's chain, creating the chain if needed.
  /// A live value with a TTL joins the expiry list.
  void install(const HashedKey& key, Version version, std::int64_t timestamp_us, bool tombstone, Value&& value,
               std::uint64_t ttl_ms = 0);

  /// A value with a TTL, due to expire at `at_us` (what the TTL reaper
  /// turns into a deletion, engine/ttl_reaper.hpp).
  struct Expiry {
    std::int64_t at_us = 0;
    Version version = 0;
    std::string key;
  };
  /// Removes and returns up to `max` expiries due at or before now_us,
  /// soonest first. Some may be stale (the key was written since): the
  /// reaper checks each against the chain.
  std::vector<Expiry> take_expired(std::int64_t now_us, std::size_t max);
  std::size_t pending_expiries() const noexcept { return expiries_.size(); }
  /// TTL values installed by any store of this process (0: the reaper has
  /// nothing to look for).
  static std::uint64_t ttl_writes() noexcept { return ttl_writes_.load(std::memory_order_relaxed); }

  /// Calls visit(chain) for chains with key >= from that start with
  /// `prefix`, in byte order, until visit returns false.
  void scan(std::string_view prefix, std::string_view from,
            const std::function<bool(const mvcc::VersionChain&)>& visit);

  struct Erased {
    std::size_t chains = 0;    // chains removed (call again until this is 0)
    std::size_t entities = 0;  // of them, live user-visible entries (KV, event, state, JSON, vector)
  };
  /// Removes up to `max` chains whose key starts with prefix.
  Erased erase_prefix(std::string_view prefix, std::size_t max);

  /// Moves unindexed keys into the ordered set.
  void index_pending();
  /// Moves up to `max` of the oldest unindexed keys into the ordered set;
  /// returns how many (bounded steps for background work).
  std::size_t index_some(std::size_t max);
  /// scan() over the keys indexed so far only (no indexing step).
  void scan_indexed(std::string_view prefix, std::string_view from,
                    const std::function<bool(const mvcc::VersionChain&)>& visit) const;
  std::size_t pending_count() const noexcept { return unindexed_.size(); }

  std::size_t size() const noexcept { return chains_.size(); }
  /// Keys whose newest version is live, per primitive tag (index = tag).
  std::uint64_t live_keys(keys::Primitive p) const noexcept { return live_[static_cast<std::size_t>(p) & 15]; }

 private:
  struct ByKey {
    using is_transparent = void;
    static std::string_view key(const mvcc::VersionChain* c) { return c->key(); }
    static std::string_view key(std::string_view s) { return s; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return key(a) < key(b);
    }
  };
  // Keys are views into the chain's own key bytes, which live on the heap
  // with the chain, so they stay valid while the flat map moves its slots;
  // the cached hash means a rehash never touches them.
  struct SlotHash {
    using is_avalanching = void;  // std::hash<string_view> is murmur-based
    std::size_t operator()(const HashedKey& k) const noexcept { return k.hash; }
  };
  struct SlotEq {
    bool operator()(const HashedKey& a, const HashedKey& b) const noexcept {
      return a.hash == b.hash && a.key == b.key;
    }
  };
  boost::unordered_flat_map<HashedKey, mvcc::ChainPtr, SlotHash, SlotEq> chains_;
  std::set<const mvcc::VersionChain*, ByKey> ordered_;
  std::deque<const mvcc::VersionChain*> unindexed_;  // oldest first
  std::array<std::uint64_t, 16> live_{};
  struct Later {
    bool operator()(const Expiry& a, const Expiry& b) const noexcept { return a.at_us > b.at_us; }
  };
  std::vector<Expiry> expiries_;  // a min-heap on at_us (Later)
  static inline std::atomic<std::uint64_t> ttl_writes_{0};
  void adjust_live(std::string_view key, bool was_live, bool is_live) noexcept;
};

}  // namespace strata::storage
