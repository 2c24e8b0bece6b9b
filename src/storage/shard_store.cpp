#include "storage/shard_store.hpp"

#include <algorithm>
#include <iterator>

namespace strata::storage {

const mvcc::VersionChain* ShardStore::find(const HashedKey& key) const noexcept {
  auto it = chains_.find(key);
  return it == chains_.end() ? nullptr : it->second.get();
}

void ShardStore::install(const HashedKey& key, Version version, std::int64_t timestamp_us, bool tombstone,
                         Value&& value, std::uint64_t ttl_ms) {
  auto it = chains_.find(key);
  if (it == chains_.end()) {
    auto chain = mvcc::VersionChain::make(key.key, key.hash);
    HashedKey stable{chain->key(), key.hash};
    unindexed_.push_back(chain.get());
    it = chains_.emplace(stable, std::move(chain)).first;
  }
  if (tombstone) ttl_ms = 0;  // a deletion does not expire
  bool was_live = it->second->latest_is_live();
  it->second->push(version, timestamp_us, tombstone, std::move(value), ttl_ms);
  adjust_live(key.key, was_live, !tombstone);
  if (ttl_ms != 0) {
    expiries_.push_back({it->second->newest()->expires_us(), version, std::string(key.key)});
    std::push_heap(expiries_.begin(), expiries_.end(), Later{});
    ttl_writes_.fetch_add(1, std::memory_order_relaxed);
  }
}

std::vector<ShardStore::Expiry> ShardStore::take_expired(std::int64_t now_us, std::size_t max) {
  std::vector<Expiry> due;
  while (!expiries_.empty() && expiries_.front().at_us <= now_us && due.size() < max) {
    std::pop_heap(expiries_.begin(), expiries_.end(), Later{});
    due.push_back(std::move(expiries_.back()));
    expiries_.pop_back();
  }
  return due;
}

void ShardStore::adjust_live(std::string_view key, bool was_live, bool is_live) noexcept {
  if (was_live == is_live || key.size() < keys::kStorageKeyHeader) return;
  auto& n = live_[static_cast<std::size_t>(keys::primitive_of(key)) & 15];
  if (is_live) ++n;
  else --n;
}

void ShardStore::index_pending() { index_some(unindexed_.size()); }

std::size_t ShardStore::index_some(std::size_t max) {
  const auto end = unindexed_.begin() + static_cast<std::ptrdiff_t>(std::min(max, unindexed_.size()));
  // Sorted batches go in with a hint, which is cheaper than random inserts.
  std::sort(unindexed_.begin(), end, ByKey{});
  auto hint = ordered_.end();
  for (auto it = unindexed_.begin(); it != end; ++it) hint = std::next(ordered_.insert(hint, *it));
  const auto n = static_cast<std::size_t>(end - unindexed_.begin());
  unindexed_.erase(unindexed_.begin(), end);
  if (unindexed_.empty()) unindexed_.shrink_to_fit();
  return n;
}

void ShardStore::scan(std::string_view prefix, std::string_view from,
                      const std::function<bool(const mvcc::VersionChain&)>& visit) {
  index_pending();
  scan_indexed(prefix, from, visit);
}

void ShardStore::scan_indexed(std::string_view prefix, std::string_view from,
                              const std::function<bool(const mvcc::VersionChain&)>& visit) const {
  std::string_view start = from > prefix ? from : prefix;
  for (auto it = ordered_.lower_bound(start); it != ordered_.end(); ++it) {
    if (!(*it)->key().starts_with(prefix)) break;
    if (!visit(**it)) break;
  }
}

namespace {
/// Primitives whose keys are entries a user sees (not internal indexes).
bool user_visible(keys::Primitive p) {
  using P = keys::Primitive;
  return p == P::Kv || p == P::Event || p == P::State || p == P::Json || p == P::Vector;
}
}  // namespace

ShardStore::Erased ShardStore::erase_prefix(std::string_view prefix, std::size_t max) {
  index_pending();
  Erased removed;
  auto it = ordered_.lower_bound(prefix);
  while (removed.chains < max && it != ordered_.end() && (*it)->key().starts_with(prefix)) {
    const HashedKey key{(*it)->key(), (*it)->hash()};
    const bool live = (*it)->latest_is_live();
    if (live && key.key.size() >= keys::kStorageKeyHeader && user_visible(keys::primitive_of(key.key)))
      ++removed.entities;
    adjust_live(key.key, live, false);
    it = ordered_.erase(it);
    chains_.erase(key);  // frees the chain (and the bytes `key` views)
    ++removed.chains;
  }
  return removed;
}

}  // namespace strata::storage
