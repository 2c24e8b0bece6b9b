#include "actors/read_view.hpp"

#include <algorithm>
#include <optional>

namespace strata::actors {

std::optional<Value> ReadView::get(std::string_view storage_key) const {
  return visit(storage_key, &mvcc::live_value);
}

std::optional<VersionedValue> ReadView::get_versioned(std::string_view storage_key) const {
  return visit(storage_key, &mvcc::live_versioned);
}

std::vector<VersionedValue> ReadView::history(std::string_view storage_key, Version before,
                                              std::size_t limit) const {
  // A fork's history is its own versions, then its parent's up to the fork
  // point, and so on: what the run's content was at each of them. A page
  // (`before`, `limit`) is one more bound on the snapshot.
  std::vector<VersionedValue> out;
  if (limit == 0 || before == 0) return out;
  std::string key(storage_key);
  Version snapshot = std::min(snapshot_, before - 1);
  for (const detail::RunState* layer = run_;; layer = layer->parent.get()) {
    visit_layer(key, snapshot, [&](const mvcc::VersionNode* n) {
      for (; n && out.size() < limit; n = n->older.get()) {
        out.push_back(VersionedValue{n->value, n->version, n->timestamp_us, n->tombstone});
        if (n->has_ttl()) out.back().ttl_ms = n->ttl_ms();
      }
    }, true);
    if (!layer || !layer->parent || out.size() >= limit) return out;
    snapshot = std::min(snapshot, layer->fork_version);
    rebase(key, layer->parent->id);
  }
}

namespace {

const std::string& key_of(const std::string& k) { return k; }
const std::string& key_of(const std::pair<std::string, Value>& e) { return e.first; }
std::string& key_of(std::string& k) { return k; }
std::string& key_of(std::pair<std::string, Value>& e) { return e.first; }

}  // namespace

/// Up to `limit` live keys of each shard copied out by make(chain, node),
/// merged in byte order of the keys and cut to `limit`.
template <class Out, class Make>
std::vector<Out> ReadView::scan_live(std::string_view prefix, std::string_view from, std::size_t limit,
                                     Make&& make) const {
  if (run_ && run_->parent) return scan_layers<Out>(prefix, from, limit, make);
  std::vector<Out> merged;
  for (std::size_t i = 0; i < shards_->size(); ++i) {
    std::size_t taken = 0;
    (*shards_)[i].with_owner([&](storage::ShardStore& s) {
      s.scan(prefix, from, [&](const mvcc::VersionChain& c) {
        const auto* node = c.at(snapshot_);
        if (node && !node->tombstone && live_at(*node, time_us_)) {
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

/// scan_live() of a fork: each layer (the run, its parent at the fork
/// version, ...) is scanned in batches that count tombstones too, since a
/// nearer layer's tombstone hides a farther layer's key. Keys up to the
/// smallest last key of any full batch are then known in every layer and
/// resolved by their nearest layer; the next round starts after it.
template <class Out, class Make>
std::vector<Out> ReadView::scan_layers(std::string_view prefix, std::string_view from, std::size_t limit,
                                       Make&& make) const {
  struct Layer {
    keys::RunId run;
    Version snapshot;
  };
  std::vector<Layer> layers;
  Version snapshot = snapshot_;
  for (const detail::RunState* r = run_; r; r = r->parent.get()) {
    layers.push_back({r->id, snapshot});
    snapshot = std::min(snapshot, r->fork_version);
  }
  struct Entry {
    std::string suffix;  // the storage key without its run tag
    std::size_t layer;
    std::optional<Out> live;  // nullopt: a tombstone at the layer's snapshot
  };
  const std::size_t batch = std::clamp<std::size_t>(limit, 64, 4096);
  const std::string_view prefix_rest = prefix.substr(4);
  std::string cursor(from.size() >= 4 ? from.substr(4) : std::string_view{});
  const std::string own = keys::run_prefix(run_->id);
  std::vector<Out> out;
  std::vector<Entry> entries;
  for (;;) {
    entries.clear();
    std::optional<std::string> known_to;  // nullopt: every layer was read to its end
    for (std::size_t li = 0; li < layers.size(); ++li) {
      std::string layer_prefix = keys::run_prefix(layers[li].run);
      std::string layer_from = layer_prefix + cursor;
      layer_prefix.append(prefix_rest);
      for (std::size_t i = 0; i < shards_->size(); ++i) {
        std::size_t taken = 0;
        std::string last;
        (*shards_)[i].with_owner([&](storage::ShardStore& s) {
          s.scan(layer_prefix, layer_from, [&](const mvcc::VersionChain& c) {
            const auto* node = c.at(layers[li].snapshot);
            if (!node) return true;
            Entry e{std::string(c.key().substr(4)), li, std::nullopt};
            if (!node->tombstone && live_at(*node, time_us_)) e.live.emplace(make(c, *node));
            last = e.suffix;
            entries.push_back(std::move(e));
            return ++taken < batch;
          });
        });
        if (taken == batch && (!known_to || last < *known_to)) known_to = std::move(last);
      }
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.suffix != b.suffix ? a.suffix < b.suffix : a.layer < b.layer;
    });
    for (std::size_t i = 0; i < entries.size(); ++i) {
      Entry& e = entries[i];
      if (i > 0 && entries[i - 1].suffix == e.suffix) continue;  // a nearer layer decided this key
      if (known_to && e.suffix > *known_to) break;
      if (!e.live) continue;
      key_of(*e.live).replace(0, 4, own);  // the key as this run names it
      out.push_back(std::move(*e.live));
      if (out.size() == limit) return out;
    }
    if (!known_to) return out;
    cursor = std::move(*known_to);
    cursor.push_back('\0');
  }
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
  if (run_ && run_->parent)  // the newest own version, else the parent's at the fork point
    return visit(storage_key, [](const mvcc::VersionNode* n) {
      return n ? Latest{!n->tombstone, n->version} : Latest{};
    });
  const auto hk = storage::HashedKey::of(storage_key);
  return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) {
    const auto* chain = s.find(hk);
    return chain ? Latest{chain->latest_is_live() && live_at(*chain->newest(), time_us_), chain->latest_version()}
                 : Latest{};
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
