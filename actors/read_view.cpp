#include "actors/read_view.hpp"

#include <algorithm>

namespace strata::actors {

std::optional<Value> ReadView::get(std::string_view storage_key) const {
  return visit(storage_key, &mvcc::live_value);
}

std::optional<VersionedValue> ReadView::get_versioned(std::string_view storage_key) const {
  return visit(storage_key, &mvcc::live_versioned);
}

std::vector<VersionedValue> ReadView::history(std::string_view storage_key) const {
  return visit(storage_key, [](const mvcc::VersionNode* n) {
    std::vector<VersionedValue> out;
    for (; n; n = n->older.get()) out.push_back(VersionedValue{n->value, n->version, n->timestamp_us, n->tombstone});
    return out;
  });
}

namespace {

const std::string& key_of(const std::string& k) { return k; }
const std::string& key_of(const std::pair<std::string, Value>& e) { return e.first; }

}  // namespace

/// Up to `limit` live keys of each shard copied out by make(chain, node),
/// merged in byte order of the keys and cut to `limit`.
template <class Out, class Make>
std::vector<Out> ReadView::scan_live(std::string_view prefix, std::string_view from, std::size_t limit,
                                     Make&& make) const {
  std::vector<Out> merged;
  for (std::size_t i = 0; i < shards_->size(); ++i) {
    std::size_t taken = 0;
    (*shards_)[i].with_owner([&](storage::ShardStore& s) {
      s.scan(prefix, from, [&](const mvcc::VersionChain& c) {
        const auto* node = c.at(snapshot_);
        if (node && !node->tombstone) {
          merged.push_back(make(c, *node));
          ++taken;
        }
        return taken < limit;
      });
    });
  }
  std::sort(merged.begin(), merged.end(), [](const Out& a, const Out& b) { return key_of(a) < key_of(b); });
  if (merged.size() > limit) merged.resize(limit);
  return merged;
}

std::vector<std::string> ReadView::scan(std::string_view prefix, std::string_view from, std::size_t limit) const {
  return scan_live<std::string>(prefix, from, limit,
                                [](const mvcc::VersionChain& c, const mvcc::VersionNode&) { return std::string(c.key()); });
}

std::vector<std::pair<std::string, Value>> ReadView::scan_entries(std::string_view prefix, std::string_view from,
                                                                  std::size_t limit) const {
  return scan_live<std::pair<std::string, Value>>(
      prefix, from, limit, [](const mvcc::VersionChain& c, const mvcc::VersionNode& n) {
        return std::pair<std::string, Value>(c.key(), n.value);
      });
}

Version ReadView::latest_version(std::string_view storage_key) const {
  const auto hk = storage::HashedKey::of(storage_key);
  return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) {
    const auto* chain = s.find(hk);
    return chain ? chain->latest_version() : Version{0};
  });
}

ReadView::Latest ReadView::latest(std::string_view storage_key) const {
  const auto hk = storage::HashedKey::of(storage_key);
  return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) {
    const auto* chain = s.find(hk);
    return chain ? Latest{chain->latest_is_live(), chain->latest_version()} : Latest{};
  });
}

std::optional<std::string> ReadView::first_written_after(std::string_view prefix, std::string_view from,
                                                         std::string_view to, Version after) const {
  std::optional<std::string> found;
  for (std::size_t i = 0; i < shards_->size() && !found; ++i) {
    (*shards_)[i].with_owner([&](storage::ShardStore& s) {
      s.scan(prefix, from, [&](const mvcc::VersionChain& c) {
        if (!to.empty() && c.key() >= to) return false;
        if (c.latest_version() <= after) return true;
        found.emplace(c.key());
        return false;
      });
    });
  }
  return found;
}

}  // namespace strata::actors
