#include "commit/commit_clock.hpp"

#include <algorithm>

namespace strata::commit {

void CommitClock::record(Version v, std::int64_t timestamp_us) {
  std::lock_guard lock(mu_);
  if (!commits_.empty() && commits_.back().first >= v) return;  // already known (a snapshot covered it)
  commits_.emplace_back(v, timestamp_us);
}

void CommitClock::note(Version v, std::int64_t timestamp_us) {
  // Recovery installs a commit's keys one after another: skip the repeats
  // cheaply (the rest go at snapshot_loaded).
  if (!commits_.empty() && commits_.back().first == v) return;
  commits_.emplace_back(v, timestamp_us);
}

void CommitClock::snapshot_loaded() {
  std::lock_guard lock(mu_);
  std::sort(commits_.begin(), commits_.end());
  commits_.erase(std::unique(commits_.begin(), commits_.end(),
                             [](const auto& a, const auto& b) { return a.first == b.first; }),
                 commits_.end());
  commits_.shrink_to_fit();
}

Version CommitClock::version_at(std::int64_t timestamp_us) const {
  std::lock_guard lock(mu_);
  // Timestamps never decrease with versions (the coordinator stamps commits
  // in order with a clock it keeps monotonic), so they are sorted too.
  auto it = std::upper_bound(commits_.begin(), commits_.end(), timestamp_us,
                             [](std::int64_t t, const auto& c) { return t < c.second; });
  return it == commits_.begin() ? 0 : std::prev(it)->first;
}

std::optional<std::int64_t> CommitClock::timestamp_of(Version v) const {
  std::lock_guard lock(mu_);
  auto it = std::lower_bound(commits_.begin(), commits_.end(), v, [](const auto& c, Version x) { return c.first < x; });
  if (it == commits_.end() || it->first != v) return std::nullopt;
  return it->second;
}

std::size_t CommitClock::memory_bytes() const {
  std::lock_guard lock(mu_);
  return commits_.capacity() * sizeof(commits_[0]);
}

}  // namespace strata::commit
