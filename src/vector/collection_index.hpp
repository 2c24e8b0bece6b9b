// CollectionIndex — the searchable in-memory form of one vector collection:
// every version of every vector since the index was built, as slots, plus an
// HNSW graph over them once the collection is large enough.
//
// The index is multi-version: a slot records the commit version that wrote
// it (`created`) and the one that replaced or deleted it (`superseded`), so a
// search at snapshot S sees exactly the vectors live at S — created ≤ S <
// superseded — even while newer changes are being indexed ("no ghosts").
// Superseded slots stay in the graph as waypoints until the index is rebuilt
// (wants_rebuild: more than a third of the slots superseded, or none live), so memory is
// bounded by churn since the last rebuild, not by total churn.
//
// Thread safety: the indexer (one thread) mutates under an exclusive lock of
// mutex(); searches hold it shared.
#pragma once

#include "vector/filter.hpp"
#include "vector/hnsw.hpp"
#include "vector/layout.hpp"
#include "vector/vector_storage.hpp"

#include <strata/types.hpp>
#include <strata/vector.hpp>

#include <boost/unordered/unordered_flat_map.hpp>

#include <limits>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace strata::vector {

inline constexpr Version kNotSuperseded = std::numeric_limits<Version>::max();

/// The query-side view of a metric: how queries and stored vectors are
/// prepared, and how a graph distance becomes a score.
struct MetricSpace {
  Metric metric;
  Distance distance() const noexcept { return metric == Metric::Euclidean ? Distance::L2 : Distance::InnerProduct; }
  /// Cosine compares directions: stored and query vectors are normalized.
  bool normalizes() const noexcept { return metric == Metric::Cosine; }
  float score(float d) const noexcept;
  /// The score of a stored vector against a prepared query (exact path).
  float score_of(const float* prepared_query, const float* prepared_vector, std::size_t n) const noexcept;
};

class CollectionIndex {
 public:
  explicit CollectionIndex(CollectionRecord record);

  const CollectionRecord& record() const noexcept { return record_; }
  std::shared_mutex& mutex() const noexcept { return mu_; }

  // ---- the indexer (exclusive lock) ----------------------------------------
  /// Records the change committed at `v` to `key`: a new vector (and its
  /// metadata) or, with `vec` null, a deletion. Versions arrive in order.
  void apply(Version v, std::string_view key, const float* vec, const Value* metadata);
  /// Every change up to `v` is applied.
  void set_indexed_version(Version v) noexcept { indexed_ = v; }
  /// The oldest snapshot this index can answer (what a rebuild dropped).
  void set_base_version(Version v) noexcept { base_ = v; }
  /// Slots not yet in the graph, in order (the graph catches up with them).
  bool graph_behind() const noexcept;
  /// Links the next slot missing from the graph; builds the graph when the
  /// collection just crossed its threshold. Returns false when done.
  bool index_one();
  bool wants_rebuild() const noexcept;
  /// A fresh index holding only the live vectors, at the same versions.
  std::unique_ptr<CollectionIndex> rebuilt() const;

  // ---- readers (shared lock) -------------------------------------------------
  Version indexed_version() const noexcept { return indexed_; }
  Version base_version() const noexcept { return base_; }
  std::size_t live() const noexcept { return live_; }
  /// Searches walk the graph (slots not linked yet are scanned exactly).
  bool uses_graph() const noexcept { return graph_ != nullptr; }
  std::size_t memory_bytes() const noexcept;

  struct Query {
    const float* vector;       // prepared (normalized for cosine)
    std::size_t k;
    const Filter* filter;      // never null (an empty filter matches all)
    Version snapshot;
    bool exact;
    std::size_t ef;
    /// Keys whose state at the snapshot the caller scores itself (changes
    /// not indexed yet): their slots are skipped.
    const boost::unordered_flat_map<std::string, char>* skip = nullptr;
  };
  /// Up to k best matches visible at the snapshot, best first.
  std::vector<VectorMatch> search(const Query& q) const;

 private:
  struct SlotInfo {
    std::string key;
    Value metadata;  // Null: none
  };
  /// When a slot's vector was live: [created, superseded). Kept apart from
  /// SlotInfo so the visibility test of a search touches 16 bytes per slot,
  /// not a key and a Value.
  struct Life {
    Version created = 0;
    Version superseded = kNotSuperseded;
  };
  bool visible(Slot s, Version snapshot) const noexcept {
    const Life& l = life_[s];
    return l.created <= snapshot && snapshot < l.superseded;
  }
  bool admits(Slot s, const Query& q) const;
  std::vector<VectorMatch> exact_scan(const Query& q) const;
  /// The slots the metadata index lists for the filter's equality terms, if
  /// it has some and they are few enough to score one by one.
  std::optional<std::vector<Slot>> candidates(const Query& q) const;
  std::vector<VectorMatch> scan_slots(const Query& q, const std::vector<Slot>& slots) const;
  void index_metadata(Slot s);
  /// Offers the admitted slots of [from, to) to `top`.
  template <class Top>
  void scan_range(const Query& q, Slot from, Slot to, Top& top) const;
  std::vector<VectorMatch> graph_search(const Query& q, double selectivity) const;
  double estimate_selectivity(const Query& q) const;
  /// The scored slots as results, in the same order.
  std::vector<VectorMatch> matches(const std::vector<std::pair<float, Slot>>& best) const;
  /// What ranks equal scores (see TopK).
  auto key_of() const noexcept {
    return [this](Slot s) -> const std::string& { return slots_[s].key; };
  }

  CollectionRecord record_;
  MetricSpace space_;
  mutable std::shared_mutex mu_;
  VectorStorage storage_;
  std::vector<SlotInfo> slots_;
  std::vector<Life> life_;  // parallel to slots_
  // The metadata index: a term (a top-level member name and an Int, String
  // or Bool value) -> every slot whose metadata has it, superseded slots
  // included until the next rebuild. Floats are left out: -0.0 equals 0.0
  // but encodes differently.
  boost::unordered_flat_map<std::string, std::vector<Slot>> by_term_;
  boost::unordered_flat_map<std::string, Slot> newest_;  // key -> its newest slot (live or superseded)
  std::unique_ptr<Hnsw> graph_;
  Slot graphed_ = 0;  // slots [0, graphed_) are in the graph
  std::size_t live_ = 0;
  std::size_t superseded_ = 0;
  Version indexed_ = 0;
  Version base_ = 0;
};

}  // namespace strata::vector
