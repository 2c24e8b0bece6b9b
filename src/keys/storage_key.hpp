// Run-tagged storage keys (docs/design/primitives.md).
//
// Layout: [run id: 4 bytes big-endian][primitive tag: 1 byte][user key].
// Run ids are fixed-width and never reused, so keys of different runs and
// primitives are disjoint whatever the names are (a run named "a" cannot
// see the keys of a run named "ab"), and all keys of one run (or of one
// primitive in one run) form one contiguous range in byte order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::keys {

using RunId = std::uint32_t;

// EventHead (a run's event-log length and last hash) and EventType (the
// per-type index of events) are internal keys of the event log.
// VectorCollection holds a run's vector collections (name -> dimension,
// metric, options, id); Vector holds their vectors (collection id + key).
// MergeBase records, per source run (its 4-byte id), the point up to which
// merge_run last merged that run into this one (ops/run_merge.hpp).
enum class Primitive : std::uint8_t {
  Kv = 1, Event = 2, State = 3, Json = 4, Vector = 5, EventHead = 6, EventType = 7, VectorCollection = 8,
  MergeBase = 9
};

inline constexpr std::size_t kStorageKeyHeader = 5;

inline void append_run_prefix(std::string& out, RunId run) {
  out.push_back(static_cast<char>(run >> 24));
  out.push_back(static_cast<char>(run >> 16));
  out.push_back(static_cast<char>(run >> 8));
  out.push_back(static_cast<char>(run));
}

/// The prefix shared by every key of `run`.
inline std::string run_prefix(RunId run) {
  std::string out;
  append_run_prefix(out, run);
  return out;
}

/// The prefix shared by every key of `primitive` in `run`, plus `user_prefix`.
inline std::string storage_key(RunId run, Primitive p, std::string_view user_key) {
  std::string out;
  out.reserve(kStorageKeyHeader + user_key.size());
  append_run_prefix(out, run);
  out.push_back(static_cast<char>(p));
  out.append(user_key);
  return out;
}

/// The user key part of a storage key.
inline std::string_view user_key_of(std::string_view storage_key) {
  return storage_key.substr(kStorageKeyHeader);
}

inline RunId run_of(std::string_view storage_key) {
  auto b = [&](int i) { return static_cast<RunId>(static_cast<unsigned char>(storage_key[i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

/// Pagination cursors are opaque to users but tied to the run that made
/// them: "<run id>:<last key returned>". A cursor of another run, or one
/// outside the listed prefix, is refused (invalid_cursor).
inline std::string make_cursor(RunId run, std::string_view last_key) {
  return std::to_string(run) + ":" + std::string(last_key);
}

/// The last key a cursor stands for, or false when it was not made by `run`
/// for `prefix`.
inline bool parse_cursor(std::string_view cursor, RunId run, std::string_view prefix, std::string_view& last_key) {
  const std::string tag = std::to_string(run) + ":";
  if (!cursor.starts_with(tag)) return false;
  last_key = cursor.substr(tag.size());
  return last_key.starts_with(prefix);
}

inline Primitive primitive_of(std::string_view storage_key) {
  return static_cast<Primitive>(static_cast<std::uint8_t>(storage_key[4]));
}

}  // namespace strata::keys
