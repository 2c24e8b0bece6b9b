// Vector-store operations (docs/guides/vectors.md), one struct each; see
// kv_ops.hpp for how they are run. Writes are ordinary commits of the
// vector keys (vector/layout.hpp), conditioned on the collection record the
// operation read, so a write into a collection dropped or replaced meanwhile
// fails with collection_not_found instead of landing in a stranger.
#pragma once

#include "commit/commit_request.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"
#include "vector/layout.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>
#include <strata/vector.hpp>

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace strata::ops {

/// A collection as read at a snapshot, with the version of its record.
struct FoundCollection {
  vector::CollectionRecord record;
  Version record_version = 0;
};
/// Errors: invalid_collection_name, collection_not_found.
detail::Outcome<FoundCollection> find_collection(const actors::ReadView& view, std::string_view name);

/// -> the commit version. Errors: invalid_collection_name, invalid_dimension,
/// invalid_input (options), collection_exists.
struct VectorCreate {
  using Result = Version;
  const detail::RunRef& run;
  std::string_view name;
  std::size_t dimension;
  Metric metric;
  CollectionOptions options;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};

/// Deletes a collection and (in the background) frees its vectors. -> the
/// commit version. Errors: collection_not_found.
struct VectorDrop {
  using Result = Version;
  const detail::RunRef& run;
  std::string_view name;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};

/// One vector to store, as views of the caller's data.
struct VectorView {
  std::string_view key;
  std::span<const float> vector;
  const std::optional<Value>* metadata;  // never null
};
std::vector<VectorView> views_of(std::span<const VectorRecord> records);

/// Creates or replaces vectors (one, or a batch in one commit). -> the
/// commit version. Errors: collection_not_found, dimension_mismatch,
/// invalid_vector, key and metadata rules.
struct VectorUpsert {
  using Result = Version;
  const detail::RunRef& run;
  std::string_view collection;
  std::span<const VectorView> records;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};

/// One vector upsert that owns its view (what a Command becomes: the view
/// points into the command, which outlives the operation's initiation).
struct VectorUpsertOne {
  using Result = Version;
  const detail::RunRef& run;
  std::string_view collection;
  VectorView record;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e) {
    return VectorUpsert{run, collection, {&record, 1}}.prepare(e);
  }
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};

/// -> whether the vector existed. Errors: collection_not_found.
struct VectorDelete {
  using Result = bool;
  const detail::RunRef& run;
  std::string_view collection;
  std::string_view key;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
  static Result finish(const commit::CommitOutcome& out) { return !out.expectation_failed; }
};

struct VectorGet {
  using Result = std::optional<VectorEntry>;
  const detail::RunRef& run;
  std::string_view collection;
  std::string_view key;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// -> up to k matches, best first (ties by key).
struct VectorSearch {
  using Result = std::vector<VectorMatch>;
  const detail::RunRef& run;
  std::string_view collection;
  std::span<const float> query;
  std::size_t k;
  const VectorSearchOptions& options;  // options.as_of: the version searched
  detail::Outcome<Result> read(detail::Engine& e) const;
};

struct VectorInfo {
  using Result = CollectionInfo;
  const detail::RunRef& run;
  std::string_view collection;
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// -> every collection of the run, by name.
struct VectorList {
  using Result = std::vector<CollectionInfo>;
  const detail::RunRef& run;
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// The entry stored under `storage_key`, decoded (nullopt: absent/deleted).
std::optional<VectorEntry> vector_entry_at(const actors::ReadView& view, std::string_view storage_key);

/// The validation of records to store in a found collection (at least
/// one; each checked before any is written).
error_code check_records(std::span<const VectorView> records, const FoundCollection& c, std::string_view collection,
                         std::string* detail);

}  // namespace strata::ops
