#include "ops/ttl_reaper.hpp"

#include "engine/op_driver.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata::ops {

namespace {

struct Due {
  std::string key;
  Version version = 0;
};

/// Deletes the keys of one run that still hold their expired version; a
/// key written since keeps its new value.
struct TtlExpire {
  using Result = bool;  // false: some key changed meanwhile, nothing written
  const detail::RunRef& run;
  std::span<const Due> due;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e) const {
    detail::Outcome<commit::PreparedCommit> o;
    if ((o.ec = e.usable(*run, o.detail))) return o;
    o.value.run = run.get();
    for (const Due& d : due) {
      o.value.expectations.push_back({d.key, commit::Expectation::Kind::NewestIs, d.version});
      o.value.writes.push_back({d.key, true, Value()});
    }
    return o;
  }
  static Result finish(const commit::CommitOutcome& out) { return !out.expectation_failed; }
};

/// The due entries of every shard that still name their key's newest
/// version, by run.
std::map<keys::RunId, std::vector<Due>> collect(detail::Engine& e, std::int64_t now_us) {
  constexpr std::size_t kStep = 4096;  // entries per shard step
  std::map<keys::RunId, std::vector<Due>> by_run;
  auto& shards = e.shards();
  for (std::size_t i = 0; i < shards.size(); ++i) {
    for (std::size_t taken = kStep; taken == kStep;) {
      shards[i].with_owner([&](storage::ShardStore& s) {
        auto expired = s.take_expired(now_us, kStep);
        taken = expired.size();
        for (auto& x : expired) {
          const auto* chain = s.find(storage::HashedKey::of(x.key));
          if (!chain || chain->latest_version() != x.version) continue;  // written since
          by_run[keys::run_of(x.key)].push_back({std::move(x.key), x.version});
        }
      });
    }
  }
  return by_run;
}

}  // namespace

TtlReaper::TtlReaper(detail::Engine& e, std::chrono::milliseconds interval)
    : e_(e), interval_(interval), thread_([this] { loop(); }) {}

void TtlReaper::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TtlReaper::loop() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    if (storage::ShardStore::ttl_writes() == 0) continue;  // no TTL value was ever written
    lock.unlock();
    reap(e_, actors::wall_clock_us());
    lock.lock();
  }
}

std::size_t TtlReaper::reap(detail::Engine& e, std::int64_t now_us) {
  std::size_t deleted = 0;
  for (auto& [run_id, due] : collect(e, now_us)) {
    const detail::RunRef run = e.runs().find_by_id(run_id);
    if (!run) continue;  // deleted meanwhile: its keys went with it
    auto all = detail::execute(e, TtlExpire{run, due});
    if (all.ec) continue;  // closed, or the log failed: the values still read as expired
    if (all.value) {
      deleted += due.size();
      continue;
    }
    for (const Due& d : due) {  // someone wrote one of them meanwhile: one by one
      auto one = detail::execute(e, TtlExpire{run, std::span(&d, 1)});
      if (!one.ec && one.value) ++deleted;
    }
  }
  return deleted;
}

}  // namespace strata::ops
