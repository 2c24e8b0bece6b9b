// JsonChangeLog — which paths of which documents recent commits changed, so
// that path-level OCC (docs/design/transactions.md) can tell a real conflict from an edit of a
// disjoint path of the same document.
//
// The coordinator owns it (touched only as the coordinator's owner). It keeps
// the newest `capacity` entries; a commit older than the oldest entry is
// "unknown" and validation treats it as overlapping, so pruning can only turn
// a would-be merge into a conflict (retried), never miss a conflict.
#pragma once

#include "json/path.hpp"

#include <strata/types.hpp>

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace strata::actors {

class JsonChangeLog {
 public:
  explicit JsonChangeLog(std::size_t capacity = 1u << 16) : capacity_(capacity) {}

  /// Records that the commit at `version` changed `paths` of document `key`.
  /// Versions arrive in increasing order.
  void record(Version version, std::string key, std::vector<json::Path> paths) {
    entries_.push_back({version, std::move(key), std::move(paths)});
    if (entries_.size() > capacity_) entries_.pop_front();
  }

  /// Whether the commit at `version` changed a path of `key` that overlaps
  /// `path` (one a prefix of the other) — true when unknown.
  bool overlaps(Version version, std::string_view key, const json::Path& path) const {
    if (entries_.empty() || version < entries_.front().version) return true;
    auto it = std::lower_bound(entries_.begin(), entries_.end(), version,
                               [](const Entry& e, Version v) { return e.version < v; });
    for (; it != entries_.end() && it->version == version; ++it) {
      if (it->key != key) continue;
      return std::any_of(it->paths.begin(), it->paths.end(),
                         [&](const json::Path& p) { return json::overlaps(p, path); });
    }
    return true;  // the document changed at `version` by other means
  }

 private:
  struct Entry {
    Version version;
    std::string key;
    std::vector<json::Path> paths;
  };
  std::deque<Entry> entries_;  // in version order
  std::size_t capacity_;
};

}  // namespace strata::actors
