// HNSW (Malkov & Yashunin, "Efficient and robust approximate nearest
// neighbor search using Hierarchical Navigable Small World graphs") over the
// slots of one collection's VectorStorage.
//
// Written here rather than taken from hnswlib because the vector store needs
// two things hnswlib 0.6.2 lacks: a search that only *returns* slots an
// `accept` predicate admits (visibility at a snapshot, metadata filters)
// while still walking through the others, and slots whose graph node stays
// as a waypoint after the vector was deleted or replaced (the index is
// rebuilt when such slots pass a fraction; collection_index.hpp). The
// benchmarks measure it against hnswlib on the same data.
//
// Not thread-safe for writers: insert() needs exclusive access; search() may
// run on many threads at once (it only reads the graph).
#pragma once

#include "vector/distance.hpp"
#include "vector/vector_storage.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <random>
#include <utility>
#include <vector>

namespace strata::vector {

/// Smaller is closer. InnerProduct: −q·v (cosine on normalized vectors,
/// and dot product); L2: ‖q − v‖².
enum class Distance : std::uint8_t { InnerProduct, L2 };

inline float distance(Distance d, const float* a, const float* b, std::size_t n) noexcept {
  return d == Distance::L2 ? l2_squared(a, b, n) : -dot(a, b, n);
}

/// The largest m a collection may set (CollectionOptions::m).
inline constexpr std::size_t kMaxHnswM = 128;

class Hnsw {
 public:
  using Candidate = std::pair<float, Slot>;  // distance, slot

  /// `storage` must carry link_words(m) extra words per slot: the bottom
  /// layer's links live there, next to each vector.
  Hnsw(VectorStorage& storage, Distance d, std::size_t m, std::size_t ef_construction, std::uint64_t seed = 42);
  static constexpr std::size_t link_words(std::size_t m) noexcept { return 2 * m + 1; }

  /// Links slot `s` (whose vector is in the storage) into the graph.
  void insert(Slot s);
  bool contains(Slot s) const noexcept { return s < levels_.size() && levels_[s] >= 0; }
  std::size_t size() const noexcept { return count_; }
  std::size_t memory_bytes() const noexcept;

  /// Up to `ef` slots nearest to `q` among those `accept(slot)` admits,
  /// nearest first, into `out`. The walk passes through slots accept()
  /// refuses; it stops after `max_visits` distance computations (0: no
  /// bound) — a caller that gets fewer results than it needs falls back to
  /// an exact scan.
  template <class Accept>
  void search(const float* q, std::size_t ef, Accept&& accept, std::size_t max_visits,
              std::vector<Candidate>& out) const;

 private:
  struct Visited {
    std::vector<std::uint16_t> tags;
    std::uint16_t epoch = 0;
    void reset(std::size_t n) {
      if (tags.size() < n) tags.resize(n, 0);
      if (++epoch == 0) {
        std::fill(tags.begin(), tags.end(), 0);
        epoch = 1;
      }
    }
    bool visit(Slot s) {
      if (tags[s] == epoch) return false;
      tags[s] = epoch;
      return true;
    }
  };
  std::unique_ptr<Visited> take_visited() const;
  void give_back(std::unique_ptr<Visited> v) const;

  float dist(const float* a, const float* b) const noexcept {
    const float d = kernel_(a, b, dim_);
    return kind_ == Distance::L2 ? d : -d;
  }
  float dist(const float* q, Slot s) const noexcept { return dist(q, storage_.at(s)); }
  /// The neighbours of s at `level` not visited yet, marked visited now,
  /// into `out` (room for kMaxLinks); their vectors' first cache lines are
  /// prefetched, so the distance computations that follow overlap the
  /// memory accesses instead of waiting for each in turn.
  std::size_t unvisited_neighbours(Slot s, int level, Visited& visited, Slot* out) const noexcept {
    const Slot* l = links(s, level);
    for (Slot i = 1; i <= l[0]; ++i) __builtin_prefetch(&visited.tags[l[i]]);
    std::size_t n = 0;
    for (Slot i = 1; i <= l[0]; ++i)
      if (visited.visit(l[i])) {
        out[n++] = l[i];
        __builtin_prefetch(storage_.at(l[i]));  // the first line; prefetch_rest asks for the others
      }
    return n;
  }
  /// The rest of s's vector, while the one before it is being scored.
  void prefetch_rest(Slot s) const noexcept {
    const char* p = reinterpret_cast<const char*>(storage_.at(s));
    for (std::size_t b = 64; b < dim_ * sizeof(float); b += 64) __builtin_prefetch(p + b);
  }
  Slot* links(Slot s, int level) noexcept;
  const Slot* links(Slot s, int level) const noexcept;
  std::size_t capacity(int level) const noexcept { return level == 0 ? m0_ : m_; }
  int random_level();
  Slot greedy(const float* q, Slot start, int level) const;
  /// The beam search of one layer from `start`: up to `ef` slots nearest
  /// to q that accept() admits, nearest first, into `out`; stops after
  /// `max_visits` distance computations (0: no bound). Graph searches run it
  /// on layer 0 with the caller's predicate, inserts on every layer with
  /// all slots admitted.
  template <class Accept>
  void beam(const float* q, Slot start, std::size_t ef, int level, Accept&& accept, std::size_t max_visits,
            std::vector<Candidate>& out) const;
  /// Keeps up to `max` of `candidates` (sorted nearest first) that are not
  /// closer to an already kept one than to the query (the HNSW heuristic).
  void select(std::vector<Candidate>& candidates, std::size_t max) const;
  void connect(Slot from, Slot to, int level);

  /// Links per node are at most 2·m ≤ this (the options are validated).
  static constexpr std::size_t kMaxLinks = 2 * kMaxHnswM;

  VectorStorage& storage_;
  Distance kind_;
  Kernel kernel_;  // l2_squared or dot, per kind_
  std::size_t dim_;
  std::size_t m_, m0_, ef_construction_;
  double level_mult_;
  std::mt19937_64 rng_;
  std::vector<std::int8_t> levels_;          // per slot: its top level, −1 when not in the graph
  // Level 0 links: [count, m0 slots] in each slot's extra words (storage_).
  std::vector<std::vector<Slot>> upper_;     // per slot: levels 1.. as [count, m slots] each
  Slot entry_ = 0;
  int max_level_ = -1;
  std::size_t count_ = 0;
  mutable std::mutex visited_mu_;
  mutable std::vector<std::unique_ptr<Visited>> visited_pool_;
};

template <class Accept>
void Hnsw::search(const float* q, std::size_t ef, Accept&& accept, std::size_t max_visits,
                  std::vector<Candidate>& out) const {
  out.clear();
  if (count_ == 0) return;
  Slot cur = entry_;
  for (int l = max_level_; l > 0; --l) cur = greedy(q, cur, l);
  beam(q, cur, ef, 0, accept, max_visits, out);
}

template <class Accept>
void Hnsw::beam(const float* q, Slot start, std::size_t ef, int level, Accept&& accept, std::size_t max_visits,
                std::vector<Candidate>& out) const {
  auto visited = take_visited();
  visited->reset(levels_.size());
  // candidates: min-heap by distance; results: max-heap of accepted slots.
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> candidates;
  std::priority_queue<Candidate> results;
  const float d0 = dist(q, start);
  candidates.emplace(d0, start);
  visited->visit(start);
  if (accept(start)) results.emplace(d0, start);
  std::size_t visits = 1;
  while (!candidates.empty()) {
    const auto [d, s] = candidates.top();
    if (results.size() >= ef && d > results.top().first) break;
    candidates.pop();
    Slot fresh[kMaxLinks];
    const std::size_t nf = unvisited_neighbours(s, level, *visited, fresh);
    for (std::size_t i = 0; i < nf; ++i) {
      const Slot n = fresh[i];
      if (i + 1 < nf) prefetch_rest(fresh[i + 1]);
      const float dn = dist(q, n);
      ++visits;
      if (results.size() < ef || dn < results.top().first) {
        candidates.emplace(dn, n);
        if (accept(n)) {
          results.emplace(dn, n);
          if (results.size() > ef) results.pop();
        }
      }
    }
    if (max_visits && visits >= max_visits) break;
  }
  give_back(std::move(visited));
  out.resize(results.size());
  for (std::size_t i = results.size(); i-- > 0;) {
    out[i] = results.top();
    results.pop();
  }
}

}  // namespace strata::vector
