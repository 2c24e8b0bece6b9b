#include "engine/fork_tracker.hpp"

#include <map>

namespace strata::detail {

void ForkTracker::on_commit(const commit::CommitEntry& entry) {
  if (!runs_.any_forks()) return;
  const auto run = runs_.find_by_id(entry.run);
  if (!run || !run->journal.started()) return;
  // Events are compared by sequence (they only append), so only the keyed
  // primitives are recorded.
  for (const auto& w : entry.writes) run->journal.add(entry.version, w.key);
  for (const auto& p : entry.patches) run->journal.add(entry.version, p.key);
}

void ForkTracker::rebuild(actors::ShardMap& shards) {
  std::map<RunState*, Version> earliest;  // parent -> its earliest fork version
  for (const RunRef& r : runs_.all())
    if (r->parent) {
      auto [it, fresh] = earliest.try_emplace(r->parent.get(), r->fork_version);
      if (!fresh) it->second = std::min(it->second, r->fork_version);
    }
  for (auto& [parent, from] : earliest) {
    parent->journal.start(from);
    const std::string prefix = keys::run_prefix(parent->id);
    for (std::size_t i = 0; i < shards.size(); ++i)
      shards[i].with_owner([&](storage::ShardStore& s) {
        s.scan(prefix, prefix, [&](const mvcc::VersionChain& c) {
          for (auto* n = c.newest(); n && n->version > from; n = n->older.get()) parent->journal.add(n->version, c.key());
          return true;
        });
      });
  }
}

}  // namespace strata::detail
