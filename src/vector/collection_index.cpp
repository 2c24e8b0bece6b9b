#include "vector/collection_index.hpp"

#include "codec/value_codec.hpp"

#include <algorithm>
#include <cmath>
#include <queue>

namespace strata::vector {

namespace {

/// Below this many matching vectors a filtered search scans them exactly
/// instead of walking the graph (the walk would visit mostly refused nodes).
constexpr double kSmallMatchSet = 2000;
constexpr std::size_t kSelectivitySample = 256;

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
    : record_(record), space_{record.metric}, storage_(record.dimension) {}

void CollectionIndex::apply(Version v, std::string_view key, const float* vec, const Value* metadata) {
  std::string k(key);
  if (auto it = newest_.find(k); it != newest_.end()) {
    SlotInfo& old = slots_[it->second];
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
    slots_.push_back({k, v, kNotSuperseded, metadata ? *metadata : Value()});
    newest_.insert_or_assign(std::move(k), s);
    ++live_;
  }
  indexed_ = v;
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
  return slots_.size() >= 1024 && superseded_ * 3 > slots_.size();
}

std::unique_ptr<CollectionIndex> CollectionIndex::rebuilt() const {
  auto fresh = std::make_unique<CollectionIndex>(record_);
  for (Slot s = 0; s < slots_.size(); ++s) {
    const SlotInfo& i = slots_[s];
    if (i.superseded != kNotSuperseded) continue;
    const Slot t = fresh->storage_.add(storage_.at(s));  // already prepared
    fresh->slots_.push_back(i);
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
  std::size_t bytes = sizeof(*this) + storage_.memory_bytes() + slots_.capacity() * sizeof(SlotInfo);
  for (const auto& i : slots_) {
    bytes += i.key.capacity() > 15 ? i.key.capacity() : 0;
    if (!i.metadata.is_null()) bytes += codec::encoded_size(i.metadata);
  }
  bytes += newest_.size() * (sizeof(std::string) + sizeof(Slot) + 1);
  if (graph_) bytes += graph_->memory_bytes();
  return bytes;
}

bool CollectionIndex::admits(Slot s, const Query& q) const {
  if (!visible(s, q.snapshot)) return false;
  const SlotInfo& i = slots_[s];
  if (q.skip && q.skip->contains(i.key)) return false;
  return q.filter->matches(i.metadata.is_null() ? nullptr : &i.metadata);
}

VectorMatch CollectionIndex::match(Slot s, float score) const {
  const SlotInfo& i = slots_[s];
  VectorMatch m{i.key, score, std::nullopt};
  if (!i.metadata.is_null()) m.metadata = i.metadata;
  return m;
}

std::vector<VectorMatch> CollectionIndex::exact_scan(const Query& q) const {
  TopK top(q.k, key_of());
  const std::size_t n = record_.dimension;
  for (Slot s = 0; s < slots_.size(); ++s)
    if (admits(s, q)) top.offer(space_.score_of(q.vector, storage_.at(s), n), s);
  std::vector<VectorMatch> out;
  for (const auto& [score, s] : top.take()) out.push_back(match(s, score));
  return out;
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
  graph_->search(q.vector, ef, [&](Slot s) { return admits(s, q); }, max_visits, found);
  // Slots the graph has not linked yet are scored exactly.
  TopK top(q.k, key_of());
  for (const auto& [d, s] : found) top.offer(space_.score(d), s);
  for (Slot s = graphed_; s < slots_.size(); ++s)
    if (admits(s, q)) top.offer(space_.score_of(q.vector, storage_.at(s), record_.dimension), s);
  auto best = top.take();
  if (best.size() < q.k) return exact_scan(q);  // never come back short
  std::vector<VectorMatch> out;
  out.reserve(best.size());
  for (const auto& [score, s] : best) out.push_back(match(s, score));
  return out;
}

std::vector<VectorMatch> CollectionIndex::search(const Query& q) const {
  if (q.exact || !uses_graph()) return exact_scan(q);
  const double selectivity = estimate_selectivity(q);
  if (!q.filter->empty() && selectivity * static_cast<double>(live_) < kSmallMatchSet) return exact_scan(q);
  return graph_search(q, selectivity);
}

}  // namespace strata::vector
