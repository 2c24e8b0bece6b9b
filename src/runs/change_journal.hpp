// ChangeJournal — the storage keys a run wrote after it was first forked,
// each with its commit version. A fork's own changes are its own chains;
// the parent's changes since the fork are what this records, so diff and
// merge between a run and its fork cost O(changes since the fork), not
// O(run size). Only runs with forks keep one (RunState::tracked), and it is
// rebuilt on open: from the snapshot's chains above the first fork point,
// then from the replayed commits.
#pragma once

#include <strata/types.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::detail {

class ChangeJournal {
 public:
  /// Starts recording: every write at a version above `covers_from` will be
  /// added. Idempotent (the first start counts).
  void start(Version covers_from) {
    std::lock_guard lock(mu_);
    if (started_.load(std::memory_order_relaxed)) return;
    covers_from_ = covers_from;
    started_.store(true, std::memory_order_release);
  }
  bool started() const noexcept { return started_.load(std::memory_order_acquire); }
  /// Writes above this version are all recorded. REQUIRES: started().
  Version covers_from() const {
    std::lock_guard lock(mu_);
    return covers_from_;
  }

  void add(Version version, std::string_view storage_key) {
    std::lock_guard lock(mu_);
    if (!entries_.empty() && version < entries_.back().first) sorted_ = false;
    entries_.emplace_back(version, std::string(storage_key));
  }

  /// The distinct keys written at versions in (after, upto], in byte order.
  std::vector<std::string> keys_between(Version after, Version upto) const {
    std::lock_guard lock(mu_);
    if (!sorted_) {
      std::stable_sort(entries_.begin(), entries_.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      sorted_ = true;
    }
    auto by_version = [](const auto& e, Version v) { return e.first < v; };
    auto first = std::lower_bound(entries_.begin(), entries_.end(), after + 1, by_version);
    std::vector<std::string> out;
    for (auto it = first; it != entries_.end() && it->first <= upto; ++it) out.push_back(it->second);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::atomic<bool> started_{false};
  Version covers_from_ = 0;
  mutable std::vector<std::pair<Version, std::string>> entries_;  // appended in commit order
  mutable bool sorted_ = true;
};

}  // namespace strata::detail
