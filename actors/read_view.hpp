// ReadView — the one read path over the shards: every read of the engine,
// of transactions and of the coordinator's validation goes through a view of
// one run at one snapshot.
//
// A view at snapshot S sees, for each key, the newest version <= S (a
// tombstone reads as absent). kNewest views see the newest version whether
// or not it is published yet — what the coordinator validates against. Each
// call takes the owning shard's ownership for one bounded step and copies
// out what it returns, so no reference into a shard outlives the call.
//
// Forks are layered here (docs/architecture.md, "Forks"): a view of a
// forked run reads the run's own chain first and, when that has no version
// at the snapshot, its parent's chain for the same user key at
// min(snapshot, fork_version), and so on up the ancestry. A tombstone in a
// nearer layer hides the key of every farther one. Time travel is a view at
// an older snapshot; before the fork point a fork reads as its parent did.
//
// The newest-state queries used by OCC validation (latest_version,
// find_newer, first_written_after) look at the run's own chains only: a
// parent's layer is frozen at the fork version, which no snapshot of the
// fork is older than, so only the fork's own writes can conflict.
//
// A KV value with a TTL (kv_put's ttl) reads as a deletion once it has
// expired: at the wall clock for views of the present, at the snapshot's
// commit time for time-travel views (set_time_us), so a past read sees what
// was live then. The TTL reaper later writes the deletion for real.
#pragma once

#include "actors/shard_actor.hpp"
#include "runs/run_registry.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <type_traits>
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::actors {

/// Wall clock, µs since the Unix epoch.
std::int64_t wall_clock_us() noexcept;

class ReadView {
 public:
  /// A snapshot above every version: the newest state, published or not.
  static constexpr Version kNewest = std::numeric_limits<Version>::max();

  ReadView(ShardMap& shards, const detail::RunState& run, Version snapshot) noexcept
      : shards_(&shards), run_(&run), snapshot_(snapshot) {}
  /// A view of storage keys of any run (recovery and commit application,
  /// which work on run-tagged keys of the commit at hand).
  ReadView(ShardMap& shards, Version snapshot) noexcept : shards_(&shards), run_(nullptr), snapshot_(snapshot) {}

  /// REQUIRES: the view was made for a run.
  const detail::RunState& run() const noexcept { return *run_; }
  Version snapshot() const noexcept { return snapshot_; }
  /// Judges TTLs at `time_us` (a time-travel view: its snapshot's commit
  /// time) instead of the wall clock.
  void set_time_us(std::int64_t time_us) noexcept { time_us_ = time_us; }

  /// fn(node) under the owning shard's ownership, with the node visible at
  /// the snapshot (nullptr when the key has none in any layer; tombstones
  /// are passed on). fn must copy out what it keeps.
  template <class Fn>
  auto visit(std::string_view storage_key, Fn&& fn) const {
    using R = decltype(fn(static_cast<const mvcc::VersionNode*>(nullptr)));
    if (!run_ || !run_->parent) {  // one layer: the common case, one shard step
      const auto hk = storage::HashedKey::of(storage_key);
      return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) -> R {
        const auto* chain = s.find(hk);
        return fn(as_read(chain ? chain->at(snapshot_) : nullptr, time_us_));
      });
    }
    // The key, rebased layer by layer: on the stack when it fits (no heap
    // allocation on a fork's read path).
    char local[160];
    std::string heap;
    char* bytes = local;
    if (storage_key.size() <= sizeof local) {
      std::copy(storage_key.begin(), storage_key.end(), local);
    } else {
      heap.assign(storage_key);
      bytes = heap.data();
    }
    const std::string_view key(bytes, storage_key.size());
    Version snapshot = snapshot_;
    for (const detail::RunState* layer = run_;; layer = layer->parent.get()) {
      const bool last = !layer->parent;
      if constexpr (std::is_void_v<R>) {
        if (visit_layer(key, snapshot, [&](const mvcc::VersionNode* n) { fn(as_read(n, time_us_)); }, last)) return;
      } else {
        std::optional<R> out;
        visit_layer(key, snapshot, [&](const mvcc::VersionNode* n) { out.emplace(fn(as_read(n, time_us_))); }, last);
        if (out) return R(std::move(*out));
      }
      snapshot = std::min(snapshot, layer->fork_version);
      rebase(bytes, layer->parent->id);
    }
  }

  /// visit() without waiting: fn(node) runs inline when the key's shard is
  /// free at once, else as a message on its strand (the async point reads).
  /// A fork's parent layer is read by a message to the parent key's shard
  /// (never two shards at a time). fn must own what it uses; the view itself
  /// may be gone when it runs.
  template <class Fn>
  void visit_async(std::string storage_key, Fn fn) const {
    visit_async_from(*shards_, std::move(storage_key), snapshot_, run_ ? run_->parent : nullptr,
                     run_ ? run_->fork_version : 0, time_us_, std::move(fn), false);
  }

  /// The live value at the snapshot, or nullopt.
  std::optional<Value> get(std::string_view storage_key) const;
  /// The live value with the version and timestamp that wrote it.
  std::optional<VersionedValue> get_versioned(std::string_view storage_key) const;
  /// Versions at or below the snapshot and older than `before`, newest
  /// first, tombstones included, at most `limit` of them.
  std::vector<VersionedValue> history(std::string_view storage_key, Version before = kNewest,
                                      std::size_t limit = std::numeric_limits<std::size_t>::max()) const;
  /// Keys starting with `prefix`, at or after `from`, that are live at the
  /// snapshot; merged across shards in byte order, at most `limit`.
  std::vector<std::string> scan(std::string_view prefix, std::string_view from, std::size_t limit) const;
  /// scan() with each key's live value, copied in the same walk (no second
  /// lookup per key).
  std::vector<std::pair<std::string, Value>> scan_entries(std::string_view prefix, std::string_view from,
                                                          std::size_t limit) const;
  /// fn(storage_key, value) for every key under `prefix` live at the
  /// snapshot, in byte order, read `page` entries at a time (a large range
  /// is never copied out at once).
  template <class Fn>
  void each_live(std::string_view prefix, Fn&& fn, std::size_t page = 4096) const {
    std::string from(prefix);
    for (;;) {
      const auto entries = scan_entries(prefix, from, page);
      for (const auto& [key, value] : entries) fn(key, value);
      if (entries.size() < page) return;
      from = entries.back().first;
      from.push_back('\0');  // the next key after the last one listed
    }
  }

  // ---- newest-state queries (the coordinator's validation) ----------------
  /// The newest version of the key, published or not (0: never written).
  Version latest_version(std::string_view storage_key) const;
  struct Latest {
    bool live = false;    // the newest version is a value, not a tombstone
    Version version = 0;  // 0: never written
  };
  Latest latest(std::string_view storage_key) const;
  /// fn(version) for each version newer than `after`, newest first, until
  /// fn returns true; returns that version (0 when none did).
  template <class Fn>
  Version find_newer(std::string_view storage_key, Version after, Fn&& fn) const {
    const auto hk = storage::HashedKey::of(storage_key);
    return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) -> Version {
      const auto* chain = s.find(hk);
      for (auto* n = chain ? chain->newest() : nullptr; n && n->version > after; n = n->older.get())
        if (fn(n->version)) return n->version;
      return 0;
    });
  }
  /// The first key (in shard order) of the range — keys starting with
  /// `prefix`, >= from, and < to unless `to` is empty — that has a version
  /// newer than `after`, or nullopt. Costs one ordered scan of the range.
  std::optional<std::string> first_written_after(std::string_view prefix, std::string_view from, std::string_view to,
                                                 Version after) const;

 private:
  /// fn(node) for the chain of one layer; calls fn(nullptr) only when
  /// `last`. Returns whether fn was called.
  template <class Fn>
  bool visit_layer(std::string_view storage_key, Version snapshot, Fn&& fn, bool last) const {
    const auto hk = storage::HashedKey::of(storage_key);
    return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) {
      const auto* chain = s.find(hk);
      const auto* node = chain ? chain->at(snapshot) : nullptr;
      if (!node && !last) return false;
      fn(node);
      return true;
    });
  }
  /// The node as a read sees it: an expired TTL value is a tombstone at
  /// its version (a stand-in node, valid until the next call on this thread).
  static const mvcc::VersionNode* as_read(const mvcc::VersionNode* n, std::int64_t time_us) noexcept {
    if (!n || !n->has_ttl() || n->tombstone || n->expires_us() > (time_us ? time_us : wall_clock_us())) return n;
    thread_local mvcc::VersionNode expired;
    expired.version = n->version;
    expired.timestamp_us = n->timestamp_us;
    expired.tombstone = true;
    return &expired;
  }
  /// Whether the node is a live value at `time_us` (0: now).
  static bool live_at(const mvcc::VersionNode& n, std::int64_t time_us) noexcept {
    return !as_read(&n, time_us)->tombstone;
  }
  template <class Fn>
  static void visit_async_from(ShardMap& shards, std::string key, Version snapshot, detail::RunRef parent,
                               Version fork_version, std::int64_t time_us, Fn fn, bool queued) {
    const std::size_t hash = storage::HashedKey::of(key).hash;
    auto& shard = shards.for_key({key, hash});
    auto step = [&shards, key = std::move(key), hash, snapshot, parent = std::move(parent), fork_version, time_us,
                 fn = std::move(fn)](storage::ShardStore& s) mutable {
      const auto* chain = s.find({key, hash});
      const auto* node = as_read(chain ? chain->at(snapshot) : nullptr, time_us);
      if (node || !parent) return fn(node);
      rebase(key, parent->id);
      auto grandparent = parent->parent;
      const Version next_fork = parent->fork_version;
      visit_async_from(shards, std::move(key), std::min(snapshot, fork_version), std::move(grandparent), next_fork,
                       time_us, std::move(fn), true);
    };
    if (queued) shard.post(std::move(step));  // inside another shard's step: never take a second one
    else shard.run_or_post(std::move(step));
  }
  /// Rewrites a storage key's run tag (the parent layer's key for the same
  /// primitive and user key).
  static void rebase(char* storage_key, keys::RunId run) {
    for (int i = 0; i < 4; ++i) storage_key[i] = static_cast<char>(run >> (24 - 8 * i));
  }
  static void rebase(std::string& storage_key, keys::RunId run) { rebase(storage_key.data(), run); }

  template <class Out, class Make>
  std::vector<Out> scan_live(std::string_view prefix, std::string_view from, std::size_t limit, Make&& make) const;
  template <class Out, class Make>
  std::vector<Out> scan_layers(std::string_view prefix, std::string_view from, std::size_t limit, Make&& make) const;

  ShardMap* shards_;
  const detail::RunState* run_;
  Version snapshot_;
  std::int64_t time_us_ = 0;  // when TTLs are judged; 0: the wall clock at each read
};

}  // namespace strata::actors
