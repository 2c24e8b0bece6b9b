// The vector store's types (docs/guides/vectors.md): collections of
// fixed-dimension float vectors with optional metadata, searched by
// similarity — exactly for small collections, through an HNSW graph for
// large ones — with metadata filters that never come back short.
#pragma once

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

/// How a collection scores a stored vector v against a query q. Scores are
/// "higher is better" for every metric:
///   Cosine     q·v / (‖q‖‖v‖), in [−1, 1]  (a zero vector scores 0)
///   Euclidean  −‖q − v‖                     (0 for identical vectors)
///   DotProduct q·v
enum class Metric : std::uint8_t { Cosine, Euclidean, DotProduct };
std::string_view metric_name(Metric m) noexcept;
/// "cosine", "euclidean", "dot" (case-insensitive); nullopt if unknown.
std::optional<Metric> parse_metric(std::string_view s) noexcept;

/// How a collection is indexed. Every field has a default.
struct CollectionOptions {
  /// Above this many vectors the collection is searched through an HNSW
  /// graph, at or below it by an exact scan. Default: 10,000
  /// (docs/benchmarks.md, "Choosing the HNSW threshold").
  std::size_t hnsw_threshold = 10'000;
  /// HNSW links per node on the upper layers (2·m on the bottom layer).
  /// Default: 16.
  std::size_t m = 16;
  /// HNSW candidate list while inserting. Default: 200.
  std::size_t ef_construction = 200;
  /// HNSW candidate list while searching, when a search does not choose
  /// (at least k). Default: 64.
  std::size_t ef_search = 64;
  friend bool operator==(const CollectionOptions&, const CollectionOptions&) = default;
};

struct CollectionInfo {
  std::string name;
  std::size_t dimension = 0;
  Metric metric = Metric::Cosine;
  CollectionOptions options;
  std::uint64_t count = 0;      ///< live vectors
  std::string index;            ///< "exact" or "hnsw" (what a search uses now)
  std::uint64_t memory_bytes = 0;  ///< the in-memory index: vectors, graph, keys and metadata
  friend bool operator==(const CollectionInfo&, const CollectionInfo&) = default;
};

/// A stored vector.
struct VectorEntry {
  std::vector<float> vector;
  std::optional<Value> metadata;
  Version version = 0;        ///< the commit that wrote it
  std::int64_t timestamp_us = 0;
  friend bool operator==(const VectorEntry&, const VectorEntry&) = default;
};

/// One retained version of a vector, newest first in vector_history.
/// `tombstone` is true for a deletion (vector empty, metadata unset).
struct VectorVersion {
  std::vector<float> vector;
  std::optional<Value> metadata;
  Version version = 0;
  std::int64_t timestamp_us = 0;
  bool tombstone = false;
  friend bool operator==(const VectorVersion&, const VectorVersion&) = default;
};

/// One vector of vector_upsert_batch.
struct VectorRecord {
  std::string key;
  std::vector<float> vector;
  std::optional<Value> metadata;
  friend bool operator==(const VectorRecord&, const VectorRecord&) = default;
};

/// One search result, best first.
struct VectorMatch {
  std::string key;
  float score = 0;
  std::optional<Value> metadata;
  friend bool operator==(const VectorMatch&, const VectorMatch&) = default;
};

struct VectorSearchOptions {
  /// A metadata filter (docs/guides/vectors.md, "Filters"): matches are
  /// chosen among the vectors that satisfy it, so a search returns k results
  /// whenever k matching vectors exist.
  std::optional<Value> filter{};
  /// Score every vector (no graph) — exact top-k.
  bool exact = false;
  /// HNSW candidate list for this search (default: the collection's
  /// ef_search; at least k).
  std::optional<std::size_t> ef{};
  /// Search the collection as it was then (time travel; unset: now). A
  /// point older than what the index holds is scored exactly from the
  /// stored versions.
  std::optional<AsOf> as_of{};
};

inline constexpr std::size_t kMaxVectorDimension = 65536;
inline constexpr std::size_t kMaxSearchK = 10000;
inline constexpr std::size_t kMaxCollectionNameBytes = 256;

}  // namespace strata
