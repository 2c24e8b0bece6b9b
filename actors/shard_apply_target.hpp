// ShardApplyTarget — commit::ApplyTarget over the shards: how applied
// commits (live ones from the coordinator, replayed ones from recovery)
// reach the version chains. Each call takes the key's shard for one step.
#pragma once

#include "actors/read_view.hpp"
#include "actors/shard_actor.hpp"
#include "commit/apply_commit.hpp"

namespace strata::actors {

class ShardApplyTarget final : public commit::ApplyTarget {
 public:
  explicit ShardApplyTarget(ShardMap& shards) : shards_(shards) {}

  void install(std::string_view key, Version version, std::int64_t ts, bool tombstone, Value&& value) override {
    const auto hk = storage::HashedKey::of(key);
    shards_.for_key(hk).with_owner(
        [&](storage::ShardStore& s) { s.install(hk, version, ts, tombstone, std::move(value)); });
  }

  std::optional<Value> latest(std::string_view key) override { return ReadView(shards_, ReadView::kNewest).get(key); }

 private:
  ShardMap& shards_;
};

}  // namespace strata::actors
