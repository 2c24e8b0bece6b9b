// CommitRequest / CommitOutcome — what a transaction (or a single
// auto-committed operation) hands the coordinator, and what it gets back;
// PreparedCommit — a request that owns its inputs, so it can wait in the
// coordinator's queue after its caller returned.
//
// A commit carries three kinds of changes, all applied at one version:
//  * writes: final values or tombstones of storage keys (KV, state cells);
//  * events: appends to the run's event log, whose sequence numbers and hash
//    chain are assigned by the coordinator at commit, so concurrent appenders
//    never conflict and sequences stay dense;
//  * json: path-level edits of JSON documents, re-applied by the coordinator
//    to the newest version of each document, so transactions that edit
//    disjoint paths of one document both commit.
// and three kinds of conditions, checked before anything is written: the
// read set (keys and JSON paths read at the snapshot), the read ranges
// (listings, whose phantoms are conflicts too) and expectations (CAS).
#pragma once

#include "commit/commit_entry.hpp"
#include "json/patch.hpp"
#include "json/path.hpp"
#include "keys/storage_key.hpp"
#include "runs/run_registry.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace strata::commit {

/// One append to the committing run's event log.
struct EventIntent {
  std::string type;
  Value payload;  // an Object (validated before it gets here)
};

/// One edit of a JSON document, as the user asked for it (paths may hold
/// negative indexes; appends and increments are resolved at commit).
using JsonOp = json::Edit;

/// The edits of one document in one commit, in order.
struct JsonIntent {
  std::string key;  // storage key of the document
  std::vector<JsonOp> ops;
};

/// A path of a document a transaction read or edited at its snapshot: the
/// commit conflicts if a later commit changed an overlapping path.
struct JsonRead {
  std::string key;
  json::Path path;
};

/// A range of storage keys a transaction listed at its snapshot: keys in
/// [from, to) (to empty: no upper bound) that start with `prefix`. The
/// commit conflicts if another commit wrote any key of the range after the
/// snapshot — an insert (a phantom) as much as a change.
struct ReadRange {
  std::string prefix;
  std::string from;
  std::string to;
};

/// A condition checked at commit on the newest version of a key (committed
/// or still being published). When one fails nothing is written.
struct Expectation {
  enum class Kind : std::uint8_t {
    Live,       // the key holds a value ("delete if exists")
    Absent,     // the key holds no value ("create if absent", state_init)
    VersionIs,  // the key holds a value written at `version` (state_cas)
    NewestIs,   // the key's newest version, live or not, is `version` (the TTL reaper)
  };
  std::string key;
  Kind kind = Kind::Live;
  Version version = 0;
  /// When set, a failure is this error (e.g. collection_not_found when the
  /// collection a vector write depends on was dropped meanwhile) rather
  /// than a quiet "nothing written".
  errc on_failure = errc::ok;
  std::string failure_detail{};
};

struct CommitRequest {
  const detail::RunState* run = nullptr;
  Version snapshot = 0;
  std::span<const std::string> reads;         // storage keys read at `snapshot`
  std::span<const JsonRead> json_reads;       // document paths read/edited at `snapshot`
  std::span<const ReadRange> ranges;          // listings at `snapshot`
  std::span<const Expectation> expectations;  // all must hold, else no write
  std::span<WriteIntent> writes;              // consumed (moved from) on success
  std::span<EventIntent> events;              // consumed on success
  std::span<JsonIntent> json;                 // consumed on success
};

struct CommitOutcome {
  error_code ec;
  std::string detail;
  Version version = 0;
  bool expectation_failed = false;  // no error, nothing written
  /// Set with expectation_failed: the version of the key's newest value
  /// (0 when absent) — what state_init returns for an existing cell.
  Version existing_version = 0;
  bool nothing_written = false;     // every edit was a no-op (e.g. erasing a missing path)
  std::uint64_t ticket = 0;         // the WAL ticket to wait on (deferred acknowledgement)
  std::uint64_t first_sequence = 0; // sequence of the first event appended
  std::size_t json_erased = 0;      // paths erased by the JSON edits
  Value json_result;                // value of the last JSON increment
};

/// What a transaction read at its snapshot (what an auto-committed
/// operation, which applies to the newest state, does not have).
struct ReadSet {
  Version snapshot = 0;
  std::vector<std::string> reads;
  std::vector<JsonRead> json_reads;
  std::vector<ReadRange> ranges;
};

/// A commit that owns its inputs: an auto-committed operation (its only
/// conditions are expectations) or a finished transaction (with a read
/// set). The one-element containers keep a single put, append or CAS free
/// of heap allocations.
struct PreparedCommit {
  const detail::RunState* run = nullptr;
  /// Set when the commit may outlive the caller's reference to the run
  /// (asynchronous submission); synchronous callers hold the run themselves.
  detail::RunRef keep_alive;
  std::unique_ptr<ReadSet> read_set;  // transactions only
  boost::container::small_vector<Expectation, 1> expectations;
  boost::container::small_vector<WriteIntent, 1> writes;
  boost::container::small_vector<EventIntent, 1> events;
  std::vector<JsonIntent> json;

  CommitRequest request() {
    CommitRequest r;
    r.run = run;
    if (read_set) {
      r.snapshot = read_set->snapshot;
      r.reads = read_set->reads;
      r.json_reads = read_set->json_reads;
      r.ranges = read_set->ranges;
    }
    r.expectations = std::span(expectations.data(), expectations.size());
    r.writes = std::span(writes.data(), writes.size());
    r.events = std::span(events.data(), events.size());
    r.json = json;
    return r;
  }
};

}  // namespace strata::commit
