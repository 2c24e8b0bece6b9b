// The event log's storage layout and hash chain (docs/design/primitives.md).
//
// Per run, three kinds of keys hold the log, all ordinary MVCC keys (so a
// snapshot sees a consistent log, run deletion frees it, and snapshots and
// recovery need no special cases):
//   Event     + seq (8 bytes big-endian)       -> [type, payload, hash]
//   EventHead + ""                              -> [length, last hash]
//   EventType + type + '\0' + seq (8 bytes BE)  -> null (the per-type index)
// Big-endian sequences make byte order equal numeric order, so ranges and
// the per-type index are ordered scans.
//
// Sequences and hashes are assigned by the coordinator at commit (one
// committer at a time), so concurrent appenders never conflict and the
// sequence stays dense.
#pragma once

#include "crypto/sha256.hpp"
#include "keys/storage_key.hpp"

#include <strata/error.hpp>
#include <strata/types.hpp>
#include <strata/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::events {

inline constexpr std::size_t kMaxEventTypeBytes = 256;

/// 1-256 bytes of UTF-8 without NUL. Error: invalid_event_type.
error_code check_event_type(std::string_view type, std::string* detail);
/// The payload must be an Object within the value limits.
error_code check_event_payload(const Value& payload, std::string* detail);

/// A read limit: unset = no limit, 0 is invalid_limit.
error_code check_read_limit(std::optional<std::size_t> limit, std::string* detail);
/// A sequence range from..to: from >= 1 and to >= from, else invalid_sequence.
error_code check_range(std::uint64_t from, std::uint64_t to, std::string* detail);
inline constexpr std::size_t kNoLimit = static_cast<std::size_t>(-1);

std::string event_key(keys::RunId run, std::uint64_t seq);
std::string head_key(keys::RunId run);
std::string type_index_key(keys::RunId run, std::string_view type, std::uint64_t seq);
std::string type_index_prefix(keys::RunId run, std::string_view type);
/// The sequence in the last 8 bytes of an event or type-index key.
std::uint64_t sequence_of(std::string_view storage_key) noexcept;

struct Head {
  std::uint64_t length = 0;
  crypto::Digest last_hash{};  // all zero before the first event
};
/// The head stored at head_key (nullptr: an empty log).
Head decode_head(const Value* stored);
Value encode_head(const Head& head);

/// SHA-256(prev_hash || seq || type || canonical payload || timestamp); the
/// byte layout is in docs/guides/events.md.
crypto::Digest chain_hash(const crypto::Digest& prev, std::uint64_t seq, std::string_view type,
                          const Value& payload, std::int64_t timestamp_us);

/// The stored form of one event.
Value encode_event(std::string type, Value payload, const crypto::Digest& hash);
/// Fills `out` from a stored event; false when `stored` is malformed.
bool decode_event(const Value& stored, std::uint64_t seq, std::int64_t timestamp_us, Event& out);
/// The raw hash bytes of a stored event (empty view when malformed).
std::string_view stored_hash(const Value& stored) noexcept;

/// One appended event, as the WAL logs it (the coordinator assigned seq and
/// hash; recovery re-installs it without recomputing the hash, so tampering
/// stays detectable by event_verify).
struct AppendedEvent {
  std::uint64_t sequence = 0;
  std::string type;
  Value payload;
  crypto::Digest hash{};
};

}  // namespace strata::events
