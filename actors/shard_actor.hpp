// ShardActor — owns one slice of the run-tagged keys and their MVCC version
// chains (docs/architecture.md). Keys are assigned to shards by hash; the ownership rules
// are those of Ownership. Lock order (deadlock freedom): the Coordinator's
// ownership before any shard's; never two shards at a time.
#pragma once

#include "actors/ownership.hpp"
#include "storage/shard_store.hpp"

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace strata::actors {

class ShardActor {
 public:
  explicit ShardActor(const boost::asio::any_io_executor& ex) : ownership_(ex) {}

  /// fn(store) inline as the owner.
  template <class Fn>
  decltype(auto) with_owner(Fn&& fn) {
    return ownership_.with_owner([&]() -> decltype(auto) { return std::forward<Fn>(fn)(store_); });
  }
  /// fn(store) inline if free at once, else as a message on the strand.
  template <class Fn>
  void run_or_post(Fn fn) {
    ownership_.run_or_post([this, fn = std::move(fn)]() mutable { fn(store_); });
  }
  Ownership::Stats ownership_stats() const noexcept { return ownership_.stats(); }
  /// fn(store) as a message on the strand.
  template <class Fn>
  void post(Fn fn) {
    ownership_.post([this, fn = std::move(fn)]() mutable { fn(store_); });
  }

 private:
  Ownership ownership_;
  storage::ShardStore store_;
};

/// The fixed set of shards; a key's shard is a function of its bytes only.
class ShardMap {
 public:
  ShardMap(const boost::asio::any_io_executor& ex, std::size_t count) {
    shards_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) shards_.push_back(std::make_unique<ShardActor>(ex));
  }
  std::size_t size() const noexcept { return shards_.size(); }
  ShardActor& operator[](std::size_t i) noexcept { return *shards_[i]; }
  /// Middle bits of the hash: the shard's hash index uses the high bits
  /// for positions and the low bits for its metadata bytes.
  std::size_t index_of(const storage::HashedKey& key) const noexcept { return (key.hash >> 24) % shards_.size(); }
  ShardActor& for_key(const storage::HashedKey& key) noexcept { return *shards_[index_of(key)]; }

 private:
  std::vector<std::unique_ptr<ShardActor>> shards_;
};

}  // namespace strata::actors
