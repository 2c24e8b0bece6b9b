// CommitEntry — one commit in its applied form: ordered (version, timestamp)
// and resolved (event sequences and hashes assigned, JSON edits in redo
// form). The coordinator builds one for every live commit, recovery decodes
// one from every WAL commit record, and apply_commit() (apply_commit.hpp)
// installs both the same way — one apply path, as LevelDB's
// WriteBatch::Iterate + InsertInto serve both live writes and log replay.
#pragma once

#include "events/event_log.hpp"
#include "json/patch.hpp"
#include "keys/storage_key.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace strata::commit {

/// One write of a key: a new value, or a tombstone (delete). A KV value
/// may carry a time to live, counted from its commit's timestamp.
struct WriteIntent {
  std::string key;  // storage key (run-tagged)
  bool tombstone = false;
  Value value;
  std::uint64_t ttl_ms = 0;  // 0: none
};

/// One appended event, sequence and hash assigned (events/event_log.hpp).
using AppendedEvent = events::AppendedEvent;

/// A JSON document's change in one commit. `edits` is the redo form the WAL
/// logs (path-level edits, or one Set/Erase of "$" when the whole document
/// is smaller). `result`, when set, is the document after the edits — the
/// coordinator computed it while staging, so the live path installs it
/// instead of applying the edits a second time; recovery leaves it unset.
struct JsonPatch {
  std::string key;  // storage key of the document
  std::vector<json::ResolvedEdit> edits;
  std::optional<json::Document> result{};
};

/// A view of one commit's changes. The spans belong to whoever built the
/// entry (the coordinator's staging buffers, or a decoded WAL record) and
/// must outlive it. Applying moves the values out; keys, tombstone flags,
/// sequences and types stay readable afterwards (for observers).
struct CommitEntry {
  Version version = 0;
  std::int64_t timestamp_us = 0;
  keys::RunId run = 0;
  std::span<WriteIntent> writes;
  std::span<AppendedEvent> events;
  std::span<JsonPatch> patches;
};

/// A CommitEntry that owns its parts (what the WAL decoder produces).
struct OwnedCommit {
  Version version = 0;
  std::int64_t timestamp_us = 0;
  keys::RunId run = 0;
  std::vector<WriteIntent> writes;
  std::vector<AppendedEvent> events;
  std::vector<JsonPatch> patches;

  CommitEntry entry() { return {version, timestamp_us, run, writes, events, patches}; }
};

}  // namespace strata::commit
