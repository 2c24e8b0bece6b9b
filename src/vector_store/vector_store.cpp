#include "vector_store/vector_store.hpp"

#include <algorithm>
#include <set>
#include <shared_mutex>

namespace strata::vector_store {

namespace {

constexpr std::size_t kChangesPerStep = 256;  // applied under one exclusive lock
// HNSW inserts under one exclusive lock: each costs ~0.3 ms on 128-d data,
// and searches of the collection wait while the lock is held.
constexpr std::size_t kLinksPerStep = 4;
constexpr std::size_t kErasePerStep = 4096;   // chains freed per shard step

struct Scored {
  float score;
  VectorMatch match;
};

/// Best first; ties by key, so equal scores come back in a stable order.
void sort_and_cut(std::vector<std::pair<float, VectorMatch>>& all, std::size_t k) {
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second.key < b.second.key;
  });
  if (all.size() > k) all.resize(k);
}

}  // namespace

VectorStore::VectorStore(actors::ShardMap& shards, const detail::RunRegistry& runs) : shards_(shards), runs_(runs) {}

VectorStore::~VectorStore() { stop(); }

void VectorStore::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void VectorStore::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  idle_.notify_all();
}

// ---- building at open --------------------------------------------------------------

void VectorStore::load_snapshot_state(Version covered) {
  std::uint64_t stored_keys = 0;
  for (std::size_t i = 0; i < shards_.size(); ++i)
    stored_keys += shards_[i].with_owner([](auto& s) {
      return s.live_keys(keys::Primitive::VectorCollection) + s.live_keys(keys::Primitive::Vector);
    });
  if (stored_keys == 0) return;  // nothing to build (and no ordering of the shards' keys to pay for)
  const actors::ReadView at_cut(shards_, covered);
  // Collection records of every run: the chains with the collection tag; and
  // every collection id the vectors carry. A snapshot written before a
  // dropped collection's vectors were erased still holds them: they are
  // erased again now, and their id is never given to a new collection.
  std::vector<std::string> records;
  std::set<CollectionKey> vector_owners;
  for (std::size_t i = 0; i < shards_.size(); ++i)
    shards_[i].with_owner([&](storage::ShardStore& s) {
      s.scan({}, {}, [&](const mvcc::VersionChain& c) {
        const auto p = keys::primitive_of(c.key());
        if (p == keys::Primitive::VectorCollection) records.emplace_back(c.key());
        if (p == keys::Primitive::Vector) vector_owners.insert({keys::run_of(c.key()), vector::id_of(c.key())});
        return true;
      });
    });
  for (const auto& [run, id] : vector_owners) next_id_.store(std::max(next_id_.load(), id + 1));
  std::set<CollectionKey> live;
  for (const std::string& key : records) {
    auto stored = at_cut.get(key);
    vector::CollectionRecord record;
    if (!stored || !vector::decode_record(*stored, record)) continue;
    next_id_.store(std::max(next_id_.load(), record.id + 1));
    const keys::RunId run = keys::run_of(key);
    live.insert({run, record.id});
    auto index = std::make_shared<vector::CollectionIndex>(record);
    const std::string prefix = vector::vectors_prefix(run, record.id);
    std::vector<float> floats(record.dimension);
    for (const std::string& vkey : at_cut.scan(prefix, prefix, std::numeric_limits<std::size_t>::max())) {
      at_cut.visit(vkey, [&](const mvcc::VersionNode* n) {
        if (!n || n->tombstone || !vector::decode_floats_into(n->value, floats.data(), record.dimension)) return;
        index->apply(n->version, vector::user_key_of(vkey), floats.data(), vector::metadata_of(n->value));
      });
    }
    index->set_indexed_version(covered);
    std::lock_guard lock(mu_);
    collections_[{run, record.id}] = Collection{run, std::move(index), {}};
  }
  std::vector<CollectionKey> orphans;
  for (const CollectionKey& owner : vector_owners)
    if (!live.contains(owner) && !inherited(owner, covered)) orphans.push_back(owner);
  std::lock_guard lock(mu_);
  erase_jobs_.insert(erase_jobs_.end(), orphans.begin(), orphans.end());
}

bool VectorStore::inherited(const CollectionKey& owner, Version snapshot) const {
  // A fork's vectors belong to a collection record it reads from an
  // ancestor: the run has no record of its own, yet they are live.
  const auto run = runs_.find_by_id(owner.first);
  if (!run || !run->parent) return false;
  bool found = false;
  const actors::ReadView view(shards_, *run, snapshot);
  view.each_live(keys::storage_key(run->id, keys::Primitive::VectorCollection, {}), [&](const std::string&, const Value& v) {
    vector::CollectionRecord record;
    if (vector::decode_record(v, record) && record.id == owner.second) found = true;
  });
  return found;
}

// ---- the observer ----------------------------------------------------------------------

void VectorStore::on_commit(const commit::CommitEntry& entry) {
  bool queued = false;
  for (const commit::WriteIntent& w : entry.writes) {
    const auto p = keys::primitive_of(w.key);
    if (p == keys::Primitive::VectorCollection) {
      on_collection_change(entry, w);
      queued = true;
    } else if (p == keys::Primitive::Vector) {
      std::lock_guard lock(mu_);
      auto it = collections_.find({entry.run, vector::id_of(w.key)});
      if (it == collections_.end()) continue;  // a collection dropped meanwhile
      it->second.pending.push_back({entry.version, std::string(vector::user_key_of(w.key))});
      queued = true;
    }
  }
  if (queued) wake_.notify_one();
}

void VectorStore::on_collection_change(const commit::CommitEntry& entry, const commit::WriteIntent& w) {
  if (!w.tombstone) {
    auto stored = actors::ReadView(shards_, entry.version).get(w.key);
    vector::CollectionRecord record;
    if (!stored || !vector::decode_record(*stored, record)) return;
    next_id_.store(std::max(next_id_.load(), record.id + 1));
    auto index = std::make_shared<vector::CollectionIndex>(record);
    index->set_indexed_version(entry.version);
    std::lock_guard lock(mu_);
    collections_[{entry.run, record.id}] = Collection{entry.run, std::move(index), {}};
    return;
  }
  // A drop: the record before this commit names the id whose vectors go
  // (in a fork, possibly a record it inherited).
  const auto run = runs_.find_by_id(entry.run);
  auto before = run ? actors::ReadView(shards_, *run, entry.version - 1).get(w.key)
                    : actors::ReadView(shards_, entry.version - 1).get(w.key);
  vector::CollectionRecord record;
  if (!before || !vector::decode_record(*before, record)) return;
  // The vectors of a run with forks stay: they are the forks' base (a
  // fork reads its parent's chains at the fork point). They go with the run.
  const bool shared = run && !runs_.children_of(*run).empty();
  std::lock_guard lock(mu_);
  collections_.erase({entry.run, record.id});
  if (!shared) erase_jobs_.push_back({entry.run, record.id});
}

void VectorStore::drop_run(keys::RunId run) {
  std::lock_guard lock(mu_);
  std::erase_if(collections_, [&](const auto& kv) { return kv.first.first == run; });
}

// ---- the indexer ----------------------------------------------------------------------------

void VectorStore::run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (stopping_) return;
    }
    if (work_once()) continue;
    std::unique_lock lock(mu_);
    busy_ = false;
    idle_.notify_all();
    wake_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

bool VectorStore::work_once() {
  CollectionKey erase{};
  bool have_erase = false;
  std::vector<std::pair<CollectionKey, std::shared_ptr<vector::CollectionIndex>>> work;
  {
    std::lock_guard lock(mu_);
    busy_ = true;
    if (!erase_jobs_.empty()) {
      erase = erase_jobs_.front();
      erase_jobs_.pop_front();
      have_erase = true;
    }
    for (auto& [key, c] : collections_) work.emplace_back(key, c.index);
  }
  if (have_erase) {
    erase_vectors(erase.first, erase.second);
    return true;
  }
  bool did = false;
  for (auto& [key, index] : work) {
    Collection snapshot;
    {
      std::lock_guard lock(mu_);
      auto it = collections_.find(key);
      if (it == collections_.end() || it->second.index != index) continue;
      snapshot.run = it->second.run;
      const auto& pending = it->second.pending;
      const std::size_t n = std::min(kChangesPerStep, pending.size());
      snapshot.pending.assign(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
    }
    if (!snapshot.pending.empty()) {
      apply_pending(snapshot, index);
      std::lock_guard lock(mu_);
      auto it = collections_.find(key);
      if (it != collections_.end() && it->second.index == index)
        for (std::size_t i = 0; i < snapshot.pending.size() && !it->second.pending.empty(); ++i) it->second.pending.pop_front();
      did = true;
      continue;
    }
    bool behind = false, rebuild = false;
    {
      std::shared_lock shared(index->mutex());
      behind = index->graph_behind();
      rebuild = index->wants_rebuild();
    }
    if (rebuild) {
      std::unique_ptr<vector::CollectionIndex> fresh;
      {
        std::shared_lock shared(index->mutex());
        fresh = index->rebuilt();
      }
      std::lock_guard lock(mu_);
      auto it = collections_.find(key);
      if (it != collections_.end() && it->second.index == index) it->second.index = std::move(fresh);
      did = true;
    } else if (behind) {
      std::unique_lock exclusive(index->mutex());
      for (std::size_t i = 0; i < kLinksPerStep && index->index_one(); ++i) {
      }
      did = true;
    }
  }
  return did;
}

bool VectorStore::apply_pending(Collection& c, std::shared_ptr<vector::CollectionIndex> index) {
  const vector::CollectionRecord& record = index->record();
  struct Read {
    std::vector<float> floats;  // empty: deleted
    std::optional<Value> metadata;
  };
  std::vector<Read> reads(c.pending.size());
  for (std::size_t i = 0; i < c.pending.size(); ++i) {
    const Change& ch = c.pending[i];
    // The version this change wrote (history keeps it; a newer one may exist).
    actors::ReadView(shards_, ch.version).visit(vector::vector_key(c.run, record.id, ch.key), [&](const mvcc::VersionNode* n) {
      if (!n || n->tombstone || n->version != ch.version) return;
      reads[i].floats.resize(record.dimension);
      if (!vector::decode_floats_into(n->value, reads[i].floats.data(), record.dimension)) reads[i].floats.clear();
      if (const Value* m = vector::metadata_of(n->value)) reads[i].metadata = *m;
    });
  }
  std::unique_lock exclusive(index->mutex());
  for (std::size_t i = 0; i < c.pending.size(); ++i) {
    const Read& r = reads[i];
    index->apply(c.pending[i].version, c.pending[i].key, r.floats.empty() ? nullptr : r.floats.data(),
                 r.metadata ? &*r.metadata : nullptr);
  }
  return true;
}

void VectorStore::erase_vectors(keys::RunId run, vector::CollectionId id) {
  const std::string prefix = vector::vectors_prefix(run, id);
  for (std::size_t i = 0; i < shards_.size(); ++i)
    while (shards_[i].with_owner([&](auto& s) { return s.erase_prefix(prefix, kErasePerStep).chains; }) > 0) {
    }
}

void VectorStore::wait_until_indexed() {
  for (;;) {
    bool done = true;
    {
      std::lock_guard lock(mu_);
      done = erase_jobs_.empty();
      for (auto& [key, c] : collections_) {
        if (!done) break;
        std::shared_lock shared(c.index->mutex());
        done = c.pending.empty() && !c.index->graph_behind() && !c.index->wants_rebuild();
      }
      if (done && !busy_) return;
    }
    wake_.notify_one();
    std::unique_lock lock(mu_);
    idle_.wait_for(lock, std::chrono::milliseconds(10));
    if (stopping_) return;
  }
}

std::uint64_t VectorStore::memory_bytes() {
  std::vector<std::shared_ptr<vector::CollectionIndex>> all;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, c] : collections_) all.push_back(c.index);
  }
  std::uint64_t bytes = 0;
  for (auto& index : all) {
    std::shared_lock shared(index->mutex());
    bytes += index->memory_bytes();
  }
  return bytes;
}

// ---- search -------------------------------------------------------------------------

void VectorStore::score_stored(const SearchRequest& r, const std::string& user_key, const Value& stored,
                               std::vector<std::pair<float, VectorMatch>>& out) {
  std::vector<float> v(r.record.dimension);
  if (!vector::decode_floats_into(stored, v.data(), v.size())) return;
  const Value* meta = vector::metadata_of(stored);
  if (!r.filter->matches(meta)) return;
  const vector::MetricSpace space{r.record.metric};
  if (space.normalizes()) vector::normalize(v.data(), v.size());
  const float score = space.score_of(r.query.data(), v.data(), v.size());
  out.emplace_back(score, VectorMatch{user_key, score, meta ? std::optional<Value>(*meta) : std::nullopt});
}

std::vector<VectorMatch> VectorStore::scan_mvcc(const SearchRequest& r) {
  const actors::ReadView view(shards_, *r.run, r.snapshot);
  const std::string prefix = vector::vectors_prefix(r.run->id, r.record.id);
  std::vector<std::pair<float, VectorMatch>> all;
  view.each_live(prefix, [&](const std::string& key, const Value& stored) {
    score_stored(r, std::string(vector::user_key_of(key)), stored, all);
  });
  sort_and_cut(all, r.k);
  std::vector<VectorMatch> out;
  for (auto& [s, m] : all) out.push_back(std::move(m));
  return out;
}

std::vector<VectorMatch> VectorStore::search(const SearchRequest& r) {
  std::shared_ptr<vector::CollectionIndex> index;
  // Keys with a change up to the snapshot still queued: scored from the
  // MVCC data at the snapshot, and skipped in the index. A queued change may
  // already be applied (the indexer pops it after applying it) or be part
  // of a version the index applied partly (a large batch spans steps): for
  // either, the stored data at the snapshot is still the right answer.
  boost::unordered_flat_map<std::string, char> skip;
  {
    std::lock_guard lock(mu_);
    auto it = collections_.find({r.run->id, r.record.id});
    if (it != collections_.end()) {
      index = it->second.index;
      for (const Change& c : it->second.pending)
        if (c.version <= r.snapshot) skip.emplace(c.key, 1);
    }
  }
  if (!index) return scan_mvcc(r);  // the collection went away meanwhile
  std::shared_lock shared(index->mutex());
  if (r.snapshot < index->base_version()) {
    shared.unlock();
    return scan_mvcc(r);
  }
  vector::CollectionIndex::Query q{r.query.data(), r.k, r.filter, r.snapshot, r.exact, r.ef, skip.empty() ? nullptr : &skip};
  std::vector<VectorMatch> found = index->search(q);
  shared.unlock();
  if (skip.empty()) return found;
  std::vector<std::pair<float, VectorMatch>> all;
  for (auto& m : found) all.emplace_back(m.score, std::move(m));
  const actors::ReadView view(shards_, *r.run, r.snapshot);
  for (const auto& [key, unused] : skip)
    if (auto stored = view.get(vector::vector_key(r.run->id, r.record.id, key))) score_stored(r, key, *stored, all);
  sort_and_cut(all, r.k);
  std::vector<VectorMatch> out;
  for (auto& [s, m] : all) out.push_back(std::move(m));
  return out;
}

VectorStore::Stats VectorStore::stats(const detail::RunState& run, const vector::CollectionRecord& record,
                                      Version snapshot) {
  Stats st;
  const actors::ReadView view(shards_, run, snapshot);
  const std::string prefix = vector::vectors_prefix(run.id, record.id);
  st.count = view.scan(prefix, prefix, std::numeric_limits<std::size_t>::max()).size();
  std::shared_ptr<vector::CollectionIndex> index;
  {
    std::lock_guard lock(mu_);
    if (auto it = collections_.find({run.id, record.id}); it != collections_.end()) index = it->second.index;
  }
  if (index) {
    std::shared_lock shared(index->mutex());
    st.graph = index->uses_graph();
    st.memory_bytes = index->memory_bytes();
  }
  return st;
}

}  // namespace strata::vector_store
