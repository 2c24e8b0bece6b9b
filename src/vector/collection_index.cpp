#include "vector/collection_index.hpp"

#include "codec/value_codec.hpp"
#include "vector/parallel_scan.hpp"

#include <algorithm>
#include <cmath>
#include <queue>

namespace strata::vector {

namespace {

/// Below this many matching vectors a filtered search scans them exactly
/// instead of walking the graph (the walk would visit mostly refused nodes).
constexpr double kSmallMatchSet = 2000;
constexpr std::size_t kSelectivitySample = 256;
/// Slots scored per kernel call of an exact scan.
constexpr std::size_t kScoreBatch = 64;
/// Exact scans over at least this many floats (e.g. 10K × 384) are split
/// between the searching thread and the scan helper: measured on the
/// 2-core machine, a 10K × 128 scan (1.3M floats, ~0.1 ms) gains little
/// over the hand-off cost, 10K × 384 roughly halves.
constexpr std::size_t kParallelScanFloats = 2'000'000;

/// Keeps the k best of what it is offered: higher score first, equal scores
/// by key, so a result does not depend on the order vectors were indexed.
template <class KeyOf>
class TopK {
 public:
  TopK(std::size_t k, KeyOf key_of) : k_(k), better_{key_of}, heap_(better_) {}
  void offer(float score, Slot s) {
    if (heap_.size() < k_) {
      heap_.emplace(score, s);
    } else if (better_({score, s}, heap_.top())) {
      heap_.pop();
      heap_.emplace(score, s);
    }
  }
  /// Best first.
  std::vector<std::pair<float, Slot>> take() {
    std::vector<std::pair<float, Slot>> out;
    out.reserve(heap_.size());
    while (!heap_.empty()) {
      out.push_back(heap_.top());
      heap_.pop();
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  struct Better {
    KeyOf key_of;
    bool operator()(const std::pair<float, Slot>& a, const std::pair<float, Slot>& b) const {
      return a.first != b.first ? a.first > b.first : key_of(a.second) < key_of(b.second);
    }
  };
  std::size_t k_;
  Better better_;
  // Better as the heap's "less": its top is the worst entry kept.
  std::priority_queue<std::pair<float, Slot>, std::vector<std::pair<float, Slot>>, Better> heap_;
};

/// At most this many listed candidates are scored one by one; more go the
/// graph's or the scan's way.
constexpr std::size_t kMaxIndexedCandidates = 20'000;

bool indexable(const Value& v) noexcept { return v.is_int() || v.is_string() || v.is_bool(); }

std::string term(std::string_view field, const Value& v) {
  std::string t;
  codec::put_varint(t, field.size());  // a length, so no field/value split is ambiguous
  t.append(field);
  codec::encode_value(v, t);
  return t;
}

}  // namespace

float MetricSpace::score(float d) const noexcept {
  if (metric == Metric::Euclidean) return -std::sqrt(std::max(d, 0.0f));
  return -d;
}

float MetricSpace::score_of(const float* q, const float* v, std::size_t n) const noexcept {
  if (metric == Metric::Euclidean) return -std::sqrt(std::max(l2_squared(q, v, n), 0.0f));
  return dot(q, v, n);
}

CollectionIndex::CollectionIndex(CollectionRecord record)
    : record_(record), space_{record.metric}, storage_(record.dimension, Hnsw::link_words(record.options.m)) {}

void CollectionIndex::apply(Version v, std::string_view key, const float* vec, const Value* metadata) {
  std::string k(key);
  if (auto it = newest_.find(k); it != newest_.end()) {
    Life& old = life_[it->second];
    if (old.superseded == kNotSuperseded) {
      old.superseded = v;
      --live_;
      ++superseded_;
    }
  }
  if (vec) {
    std::vector<float> prepared(vec, vec + record_.dimension);
    if (space_.normalizes()) normalize(prepared.data(), prepared.size());
    const Slot s = storage_.add(prepared.data());
    slots_.push_back({k, metadata ? *metadata : Value()});
    life_.push_back({v, kNotSuperseded});
    index_metadata(s);
    newest_.insert_or_assign(std::move(k), s);
    ++live_;
  }
  indexed_ = v;
}

void CollectionIndex::index_metadata(Slot s) {
  if (const Object* o = slots_[s].metadata.if_object())
    for (const auto& [field, value] : *o)
      if (indexable(value)) by_term_[term(field, value)].push_back(s);
}

bool CollectionIndex::graph_behind() const noexcept {
  if (graph_) return graphed_ < storage_.size();
  return live_ > record_.options.hnsw_threshold;
}

bool CollectionIndex::index_one() {
  if (!graph_) {
    if (live_ <= record_.options.hnsw_threshold) return false;
    graph_ = std::make_unique<Hnsw>(storage_, space_.distance(), record_.options.m, record_.options.ef_construction,
                                    record_.id);
    graphed_ = 0;
  }
  if (graphed_ >= storage_.size()) return false;
  graph_->insert(graphed_++);
  return true;
}

bool CollectionIndex::wants_rebuild() const noexcept {
  // Past a third superseded (and enough slots to be worth a rebuild); or
  // nothing live at all, where the rebuild is free and gives the memory of
  // an empty collection back whatever the count.
  if (superseded_ == 0) return false;
  return live_ == 0 || (slots_.size() >= 1024 && superseded_ * 3 > slots_.size());
}

std::unique_ptr<CollectionIndex> CollectionIndex::rebuilt() const {
  auto fresh = std::make_unique<CollectionIndex>(record_);
  for (Slot s = 0; s < slots_.size(); ++s) {
    if (life_[s].superseded != kNotSuperseded) continue;
    const SlotInfo& i = slots_[s];
    const Slot t = fresh->storage_.add(storage_.at(s));  // already prepared
    fresh->slots_.push_back(i);
    fresh->life_.push_back(life_[s]);
    fresh->index_metadata(t);
    fresh->newest_.insert_or_assign(i.key, t);
    ++fresh->live_;
  }
  fresh->indexed_ = indexed_;
  fresh->base_ = indexed_;  // snapshots older than this needed the dropped slots
  while (fresh->index_one()) {
  }
  return fresh;
}

std::size_t CollectionIndex::memory_bytes() const noexcept {
  std::size_t bytes = sizeof(*this) + storage_.memory_bytes() + slots_.capacity() * sizeof(SlotInfo) +
                      life_.capacity() * sizeof(Life);
  for (const auto& i : slots_) {
    bytes += i.key.capacity() > 15 ? i.key.capacity() : 0;
    if (!i.metadata.is_null()) bytes += codec::encoded_size(i.metadata);
  }
  bytes += newest_.size() * (sizeof(std::string) + sizeof(Slot) + 1);
  if (graph_) bytes += graph_->memory_bytes();
  for (const auto& [t, slots] : by_term_) bytes += t.capacity() + sizeof(t) + sizeof(slots) + slots.capacity() * sizeof(Slot);
  return bytes;
}

bool CollectionIndex::admits(Slot s, const Query& q) const {
  if (!visible(s, q.snapshot)) return false;
  if (!q.skip && q.filter->empty()) return true;  // the common case touches no SlotInfo
  const SlotInfo& i = slots_[s];
  if (q.skip && q.skip->contains(i.key)) return false;
  return q.filter->matches(i.metadata.is_null() ? nullptr : &i.metadata);
}

std::vector<VectorMatch> CollectionIndex::matches(const std::vector<std::pair<float, Slot>>& best) const {
  // The results' SlotInfos are scattered and cold: ask for all of them
  // before reading any, so the cache misses overlap instead of queueing.
  for (const auto& [score, s] : best) {
    const char* p = reinterpret_cast<const char*>(&slots_[s]);
    __builtin_prefetch(p);
    __builtin_prefetch(p + sizeof(SlotInfo) - 1);
  }
  std::vector<VectorMatch> out;
  out.reserve(best.size());
  for (const auto& [score, s] : best) {
    const SlotInfo& i = slots_[s];
    out.push_back({i.key, score, std::nullopt});
    if (!i.metadata.is_null()) out.back().metadata = i.metadata;
  }
  return out;
}

template <class Top>
void CollectionIndex::scan_range(const Query& q, Slot from, Slot to, Top& top) const {
  const std::size_t n = record_.dimension;
  if (q.skip || !q.filter->empty()) {
    // Filtered: most slots are refused, so test before scoring.
    for (Slot s = from; s < to; ++s)
      if (admits(s, q)) top.offer(space_.score_of(q.vector, storage_.at(s), n), s);
    return;
  }
  float scores[kScoreBatch];
  for (Slot s = from; s < to;) {
    // Score a run of slots that are contiguous in the storage with one
    // kernel call, then offer the admitted ones.
    const std::size_t run = std::min<std::size_t>({kScoreBatch, to - s, storage_.contiguous_from(s)});
    if (space_.metric == Metric::Euclidean) {
      l2_squared_many(q.vector, storage_.at(s), run, n, storage_.stride(), scores);
      for (std::size_t j = 0; j < run; ++j) scores[j] = -std::sqrt(std::max(scores[j], 0.0f));
    } else {
      dot_many(q.vector, storage_.at(s), run, n, storage_.stride(), scores);
    }
    for (std::size_t j = 0; j < run; ++j)
      if (visible(static_cast<Slot>(s + j), q.snapshot)) top.offer(scores[j], static_cast<Slot>(s + j));
    s += static_cast<Slot>(run);
  }
}

std::vector<VectorMatch> CollectionIndex::exact_scan(const Query& q) const {
  TopK top(q.k, key_of());
  const auto total = static_cast<Slot>(slots_.size());
  // A large scan is split with the scan helper thread when it is idle
  // (parallel_scan.hpp); the halves are merged in one TopK, so the result is
  // the same as a single pass.
  if (static_cast<std::size_t>(total) * record_.dimension >= kParallelScanFloats) {
    const Slot mid = total / 2;
    TopK other(q.k, key_of());
    if (scan_helper().run_with_helper([&] { scan_range(q, mid, total, other); }, [&] { scan_range(q, 0, mid, top); })) {
      for (const auto& [score, s] : other.take()) top.offer(score, s);
    } else {
      scan_range(q, 0, total, top);  // the helper is busy: scan it all here
    }
  } else {
    scan_range(q, 0, total, top);
  }
  return matches(top.take());
}

std::optional<std::vector<Slot>> CollectionIndex::candidates(const Query& q) const {
  // Of the filter's required equalities the index can answer, the one
  // listing the fewest slots.
  std::optional<std::vector<const std::vector<Slot>*>> best;
  std::size_t best_total = kMaxIndexedCandidates + 1;
  for (const auto& terms : q.filter->equality_terms()) {
    if (!std::all_of(terms.values.begin(), terms.values.end(), indexable)) continue;
    std::vector<const std::vector<Slot>*> found;
    std::size_t total = 0;
    for (const auto& v : terms.values)
      if (const auto it = by_term_.find(term(terms.field, v)); it != by_term_.end()) {
        found.push_back(&it->second);
        total += it->second.size();
      }
    if (total < best_total) {
      best_total = total;
      best = std::move(found);
    }
  }
  if (!best) return std::nullopt;
  std::vector<Slot> out;
  out.reserve(best_total);
  for (const auto* l : *best) out.insert(out.end(), l->begin(), l->end());
  if (best->size() > 1) {  // $in [1, 1] lists a slot twice
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

std::vector<VectorMatch> CollectionIndex::scan_slots(const Query& q, const std::vector<Slot>& slots) const {
  TopK top(q.k, key_of());
  for (Slot s : slots)
    if (admits(s, q)) top.offer(space_.score_of(q.vector, storage_.at(s), record_.dimension), s);
  return matches(top.take());
}

double CollectionIndex::estimate_selectivity(const Query& q) const {
  if (q.filter->empty() || slots_.empty()) return 1.0;
  std::size_t seen = 0, matched = 0;
  const std::size_t step = std::max<std::size_t>(1, slots_.size() / kSelectivitySample);
  for (std::size_t s = 0; s < slots_.size(); s += step) {
    if (!visible(static_cast<Slot>(s), q.snapshot)) continue;
    ++seen;
    if (admits(static_cast<Slot>(s), q)) ++matched;
  }
  return seen ? static_cast<double>(matched) / static_cast<double>(seen) : 0.0;
}

std::vector<VectorMatch> CollectionIndex::graph_search(const Query& q, double selectivity) const {
  const std::size_t ef = std::max(q.ef, q.k);
  // A selective filter refuses most of the nodes the walk meets; let it walk
  // proportionally further before it gives up (and the exact scan answers).
  std::size_t max_visits = 0;
  if (!q.filter->empty()) {
    const double s = std::max(selectivity, 1e-4);
    max_visits = std::min(slots_.size(), static_cast<std::size_t>(static_cast<double>(ef) * 16.0 / s) + 1024);
  }
  std::vector<Hnsw::Candidate> found;
  // With no filter, nothing superseded and every slot older than the
  // snapshot, every node is a result: skip the per-node visibility test.
  if (q.filter->empty() && !q.skip && superseded_ == 0 && q.snapshot >= indexed_)
    graph_->search(q.vector, ef, [](Slot) { return true; }, max_visits, found);
  else
    graph_->search(q.vector, ef, [&](Slot s) { return admits(s, q); }, max_visits, found);
  // Slots the graph has not linked yet are scored exactly.
  TopK top(q.k, key_of());
  for (const auto& [d, s] : found) top.offer(space_.score(d), s);
  for (Slot s = graphed_; s < slots_.size(); ++s)
    if (admits(s, q)) top.offer(space_.score_of(q.vector, storage_.at(s), record_.dimension), s);
  auto best = top.take();
  if (best.size() < q.k) return exact_scan(q);  // never come back short
  return matches(best);
}

std::vector<VectorMatch> CollectionIndex::search(const Query& q) const {
  // An equality or $in the metadata index answers: every match is among
  // the listed slots, so scoring them is exact (and cheap when they are few).
  if (!q.filter->empty())
    if (auto listed = candidates(q)) return scan_slots(q, *listed);
  if (q.exact || !uses_graph()) return exact_scan(q);
  const double selectivity = estimate_selectivity(q);
  if (!q.filter->empty() && selectivity * static_cast<double>(live_) < kSmallMatchSet) return exact_scan(q);
  return graph_search(q, selectivity);
}

}  // namespace strata::vector
