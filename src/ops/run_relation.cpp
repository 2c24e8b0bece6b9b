#include "ops/run_relation.hpp"

namespace strata::ops {

std::string in_run(const detail::RunState& run, std::string_view suffix) {
  std::string key = keys::run_prefix(run.id);
  key.append(suffix);
  return key;
}

std::optional<Relation> descends(const detail::RunState& from, const detail::RunState& ancestor) {
  Relation r{&ancestor, {}, 0};
  for (const detail::RunState* run = &from; run->parent; run = run->parent.get()) {
    r.path.push_back(run);
    if (run->parent.get() == &ancestor) {
      r.fork = run->fork_version;
      return r;
    }
  }
  return std::nullopt;
}

void own_keys(detail::Engine& e, const detail::RunState& run, std::optional<Version> after, std::set<Suffix>& out) {
  const std::string prefix = keys::run_prefix(run.id);
  for (std::size_t i = 0; i < e.shards().size(); ++i)
    e.shards()[i].with_owner([&](storage::ShardStore& s) {
      s.scan(prefix, prefix, [&](const mvcc::VersionChain& c) {
        if (!after || c.latest_version() > *after) out.insert(std::string(c.key().substr(4)));
        return true;
      });
    });
}

std::set<Suffix> change_candidates(detail::Engine& e, const Relation& r, Version snapshot) {
  std::set<Suffix> out;
  for (const detail::RunState* run : r.path) own_keys(e, *run, std::nullopt, out);
  const auto& journal = r.ancestor->journal;
  if (journal.started() && journal.covers_from() <= r.fork) {
    for (const std::string& key : journal.keys_between(r.fork, snapshot)) out.insert(key.substr(4));
  } else {
    own_keys(e, *r.ancestor, r.fork, out);  // forked at an older point than the journal covers
  }
  return out;
}

}  // namespace strata::ops
