// ShardApplyTarget — commit::ApplyTarget over the shards: how applied
// commits (live ones from the coordinator, replayed ones from recovery)
// reach the version chains. Each call takes the key's shard for one step.
// latest() reads through a fork's layers (the event-log head and a JSON
// document a fork has not written yet are its parent's at the fork point),
// so it looks the key's run up in the registry.
#pragma once

#include "actors/read_view.hpp"
#include "actors/shard_actor.hpp"
#include "commit/apply_commit.hpp"

namespace strata::actors {

class ShardApplyTarget final : public commit::ApplyTarget {
 public:
  ShardApplyTarget(ShardMap& shards, const detail::RunRegistry& runs) : shards_(shards), runs_(runs) {}

  void install(std::string_view key, Version version, std::int64_t ts, bool tombstone, Value&& value,
               std::uint64_t ttl_ms) override {
    const auto hk = storage::HashedKey::of(key);
    shards_.for_key(hk).with_owner(
        [&](storage::ShardStore& s) { s.install(hk, version, ts, tombstone, std::move(value), ttl_ms); });
  }

  std::optional<Value> latest(std::string_view key) override {
    // The registry lookup (a shared lock) only once forks exist: this runs
    // for every commit that appends events.
    if (runs_.any_forks())
      if (const auto run = runs_.find_by_id(keys::run_of(key)); run && run->parent)
        return ReadView(shards_, *run, ReadView::kNewest).get(key);
    return ReadView(shards_, ReadView::kNewest).get(key);
  }

 private:
  ShardMap& shards_;
  const detail::RunRegistry& runs_;
};

}  // namespace strata::actors
