// Plain result types returned by the API (docs/design/api.md).
#pragma once

#include <strata/value.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

/// A global commit version. Versions are strictly increasing and gap-free
/// over commits; 0 means "before the first commit".
using Version = std::uint64_t;

/// One retained version of a key, newest first in history results.
/// `tombstone` is true for a deletion (value is then Null).
struct VersionedValue {
  Value value;
  Version version = 0;
  std::int64_t timestamp_us = 0;  ///< wall clock at commit, µs since the Unix epoch
  bool tombstone = false;
  /// In histories: the KV value's time to live in ms (kv_put's ttl), when it had one.
  std::optional<std::uint64_t> ttl_ms{};
  friend bool operator==(const VersionedValue&, const VersionedValue&) = default;
};

/// A point in a database's history for time-travel reads: a commit version,
/// or a wall-clock time in µs since the Unix epoch, which stands for the
/// newest commit at or before it (before the first commit: version 0, the
/// empty state). A point after the newest commit is invalid_input.
struct AsOf {
  enum class Kind : std::uint8_t { Version, TimestampUs };
  Kind kind = Kind::Version;
  std::uint64_t version = 0;      ///< when kind == Version
  std::int64_t timestamp_us = 0;  ///< when kind == TimestampUs
  static AsOf at_version(Version v) { return {Kind::Version, v, 0}; }
  static AsOf at_time_us(std::int64_t t) { return {Kind::TimestampUs, 0, t}; }
  friend bool operator==(const AsOf&, const AsOf&) = default;
};

/// Reads an AsOf as the CLI and the JSON codec accept it: "42" (a version),
/// "1764669600000000us" (µs since the epoch), or a UTC time
/// "2026-12-02T10:00:00Z" / "2026-12-02T10:00:00.250Z" (up to 6 fraction
/// digits). nullopt for anything else, including out-of-range numbers.
std::optional<AsOf> parse_as_of(std::string_view text);
/// "version 42" or "2026-12-02T10:00:00.250000Z" — for messages.
std::string to_string(const AsOf& as_of);

/// run_digest(): a SHA-256 of a run's content (docs/guides/runs.md,
/// "Digests") and the version it describes.
struct RunDigest {
  std::string sha256;   ///< 64 lowercase hex digits
  Version version = 0;  ///< the commit version the digest is of
  friend bool operator==(const RunDigest&, const RunDigest&) = default;
};

/// Pagination request for list calls. The cursor is opaque: pass the
/// `next_cursor` of the previous page (same run and prefix).
struct PageRequest {
  std::optional<std::size_t> limit;  ///< unset = no limit; 0 is invalid_limit
  std::string cursor;                ///< empty = from the start
};

/// Options of kv_put. `ttl`: the value expires — reads as absent — this
/// long after its commit (1 ms to 2^48-1 ms; unset: never); the TTL reaper
/// then deletes it with a commit of its own (docs/guides/kv.md, "TTL").
struct PutOptions {
  std::optional<std::chrono::milliseconds> ttl;
};

/// Which part of a history (kv_history, state_history, json_history,
/// vector_history) to return: the versions older than `before` (unset: from
/// the newest), newest first, at most `limit` (unset: all; 0 is
/// invalid_limit). The next page is before = the last version returned.
struct HistoryRequest {
  std::optional<std::size_t> limit;
  std::optional<Version> before;
};

/// One page of keys in lexicographic byte order.
struct KeyPage {
  std::vector<std::string> keys;
  std::optional<std::string> next_cursor;  ///< set when more keys may follow
};

/// One event of a run's log (docs/design/primitives.md). Events are immutable; `hash` chains
/// each event to the previous one:
///   hash = SHA-256(prev_hash || seq || type || canonical payload || timestamp)
/// (docs/guides/events.md gives the exact byte layout).
struct Event {
  std::uint64_t sequence = 0;     ///< per run, dense, from 1
  std::string type;
  Object payload;
  std::int64_t timestamp_us = 0;  ///< the commit's wall-clock time, µs since the Unix epoch
  std::string hash;               ///< lowercase hex SHA-256 (64 chars)
  friend bool operator==(const Event&, const Event&) = default;
};

/// What event_verify() found after re-walking a run's hash chain.
struct EventVerification {
  bool ok = true;
  std::uint64_t checked = 0;                 ///< events examined
  std::optional<std::uint64_t> first_bad;    ///< the first sequence whose hash does not match
  std::string reason;                        ///< why first_bad failed (empty when ok)
  friend bool operator==(const EventVerification&, const EventVerification&) = default;
};

/// A state cell's value with the version that wrote it (the version is what
/// state_cas expects).
using StateValue = VersionedValue;

enum class RunStatus { Active, Paused, Completed, Failed, Cancelled, Archived };
std::string_view run_status_name(RunStatus s) noexcept;
/// Parses "active", "paused", ... (case-insensitive); nullopt if unknown.
std::optional<RunStatus> parse_run_status(std::string_view s) noexcept;

struct RunInfo {
  std::string name;
  RunStatus status = RunStatus::Active;
  Object metadata;
  std::int64_t created_us = 0;
  std::optional<std::string> parent;   ///< set for forked runs
  std::optional<Version> fork_version; ///< set for forked runs
  friend bool operator==(const RunInfo&, const RunInfo&) = default;
};

/// One entry that differs between two runs (diff_runs,
/// docs/guides/branches.md "Diff"): added in b when `a` is unset, removed in
/// b when `b` is unset, changed when both are set.
struct EntryChange {
  std::string key;                 ///< KV key, state cell, JSON document key, vector key or collection name
  std::string collection;          ///< vectors: the collection's name (else empty)
  std::optional<Value> a;          ///< the value in run a (unset: absent there)
  std::optional<Value> b;          ///< the value in run b (unset: absent there)
  std::vector<std::string> paths;  ///< JSON documents in both runs: the changed paths ("$.a.b", "$.list[2]")
  friend bool operator==(const EntryChange&, const EntryChange&) = default;
};

/// What differs between runs a and b at one point, per primitive, each list
/// in key order (vectors: by collection, then key).
struct RunDiff {
  std::string a, b;
  Version version = 0;                  ///< the commit version both were compared at
  std::optional<Version> fork_version;  ///< set when one run descends from the other: the fork point
  std::vector<EntryChange> kv, state, json;
  std::vector<EntryChange> collections;  ///< values: {"dimension": N, "metric": "cosine", ...}
  std::vector<EntryChange> vectors;      ///< values: {"vector": [...], "metadata": ...}
  std::uint64_t common_events = 0;       ///< leading events both logs share (same sequences and hashes)
  std::vector<Event> events_a, events_b; ///< the events after those, in each run
  friend bool operator==(const RunDiff&, const RunDiff&) = default;
};

/// How merge_run settles an entry both runs changed since their common base.
enum class MergeStrategy { FailOnConflict, SourceWins, TargetWins };
/// "fail_on_conflict", "source_wins", "target_wins".
std::string_view merge_strategy_name(MergeStrategy s) noexcept;
/// Also accepts the CLI's spellings "fail", "source-wins", "target-wins".
std::optional<MergeStrategy> parse_merge_strategy(std::string_view s) noexcept;

/// What merge_run applied to the target (docs/guides/branches.md, "Merge").
struct MergeResult {
  Version version = 0;               ///< the merge's commit on the target (0: nothing to apply)
  Version base_version = 0;          ///< the common base: the fork point
  std::uint64_t entries = 0;         ///< KV keys, state cells, documents, collections and vectors written
  std::uint64_t events = 0;          ///< source events appended to the target
  std::vector<std::string> resolved; ///< conflicts settled by the strategy ("kv \"k\"", "json \"d\" at $.a")
  friend bool operator==(const MergeResult&, const MergeResult&) = default;
};

/// What replay_run did (docs/guides/replay.md).
struct ReplayResult {
  std::uint64_t commits = 0;  ///< commits applied to the new run (one per source commit)
  Version up_to = 0;          ///< the source point replayed
  Version version = 0;        ///< the new run's last commit (0: nothing to replay)
  friend bool operator==(const ReplayResult&, const ReplayResult&) = default;
};

struct DatabaseInfo {
  std::string version;          ///< library version, e.g. "0.1.0"
  std::string durability;       ///< "inmemory" | "buffered" | "strict"
  std::string path;             ///< empty in memory
  std::int64_t uptime_us = 0;
  std::size_t shards = 0;
  std::size_t threads = 0;      ///< 0 when running on the embedder's executor
  std::size_t runs = 0;
  std::map<std::string, std::uint64_t> keys;  ///< live keys per primitive ("kv", ...)
  Version visible_version = 0;
  std::uint64_t commits = 0;    ///< committed write transactions (incl. auto-commit ops)
  std::uint64_t conflicts = 0;  ///< commits aborted by OCC validation
  std::uint64_t wal_bytes = 0;
  std::int64_t last_fsync_us = -1;  ///< -1 when no fsync happened
  std::uint64_t fsyncs = 0;
  /// Group-commit batch sizes: bucket i counts batches of size in
  /// [2^i, 2^(i+1)).
  std::vector<std::uint64_t> batch_histogram;
  /// What the last open recovered: WAL records replayed after the snapshot,
  /// and bytes of a torn WAL tail that were dropped.
  std::uint64_t recovered_records = 0;
  std::uint64_t truncated_bytes = 0;
  std::uint64_t compactions = 0;
  /// Longest time one compaction step held a shard (µs): the pause writers
  /// to that shard could see.
  std::int64_t compaction_max_pause_us = 0;
  /// Messages the actors ran from their strands, and how many of them found
  /// an inline owner (a synchronous caller's bounded step) and waited for
  /// it, for how long in total (docs/architecture.md, "Actors and ownership").
  std::uint64_t actor_messages = 0;
  std::uint64_t actor_message_waits = 0;
  std::uint64_t actor_message_wait_us = 0;
  /// Memory of the in-memory vector indexes (vectors, graphs, keys, metadata).
  std::uint64_t vector_index_bytes = 0;
};

}  // namespace strata
