// The vector store's storage layout and input rules. Everything is ordinary
// MVCC keys of the run (so transactions, snapshots, run deletion and
// recovery need no special cases):
//   VectorCollection + name            -> collection record (an Object:
//                                         id, dimension, metric, options)
//   Vector + id (8 bytes BE) + key     -> [Bytes: the floats, little-endian;
//                                         metadata or Null]
// The id is unique in the database and never reused while the database is
// open, so a collection deleted and created again under the same name never
// sees the old vectors (they are freed in the background).
#pragma once

#include "keys/storage_key.hpp"

#include <strata/error.hpp>
#include <strata/value.hpp>
#include <strata/vector.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::vector {

using CollectionId = std::uint64_t;

/// A collection as stored.
struct CollectionRecord {
  CollectionId id = 0;
  std::size_t dimension = 0;
  Metric metric = Metric::Cosine;
  CollectionOptions options;
};

// ---- rules --------------------------------------------------------------------
/// 1-256 bytes of UTF-8, no '/', no NUL, not starting with '_'.
error_code check_collection_name(std::string_view name, std::string* detail);
/// 1-65536.
error_code check_dimension(std::size_t dimension, std::string* detail);
/// Every component finite; `dimension` (when not 0) must match.
error_code check_vector(std::span<const float> v, std::size_t dimension, std::string_view collection,
                        std::string* detail);
/// k in 1-10000.
error_code check_k(std::size_t k, std::string* detail);
/// The options are usable (m 2-128, ef 1-10000).
error_code check_options(const CollectionOptions& o, std::string* detail);

// ---- keys --------------------------------------------------------------------------
std::string collection_key(keys::RunId run, std::string_view name);
/// The prefix of every collection record of `run`.
std::string collections_prefix(keys::RunId run);
std::string vector_key(keys::RunId run, CollectionId id, std::string_view key);
/// The prefix of every vector of collection `id`.
std::string vectors_prefix(keys::RunId run, CollectionId id);
/// The collection id and the user key of a vector's storage key.
CollectionId id_of(std::string_view storage_key);
std::string_view user_key_of(std::string_view storage_key);

// ---- values ------------------------------------------------------------------------
Value encode_record(const CollectionRecord& r);
/// False when `stored` is not a collection record.
bool decode_record(const Value& stored, CollectionRecord& out);
Value encode_entry(std::span<const float> v, const std::optional<Value>& metadata);
/// The floats of a stored vector (empty when `stored` is malformed).
std::vector<float> decode_floats(const Value& stored);
/// Copies the floats into `out` (dimension floats); false when malformed.
bool decode_floats_into(const Value& stored, float* out, std::size_t dimension);
/// The metadata of a stored vector (nullptr when it has none).
const Value* metadata_of(const Value& stored);

}  // namespace strata::vector
