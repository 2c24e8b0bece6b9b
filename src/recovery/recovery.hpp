// Recovery on open (docs/guides/durability.md): load the newest snapshot, replay the WAL
// segments after its cut in order, truncate a torn tail of the last
// segment (reporting the bytes dropped), and refuse to open — errc::
// corruption naming the file and offset — when anything else fails its
// checks. Deterministic and idempotent: replaying the same files gives the
// same state, and a truncated tail is gone for good.
#pragma once

#include "commit/apply_commit.hpp"
#include "io/file_io.hpp"
#include "keys/storage_key.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace strata::recovery {

/// Where recovered state goes (the engine's shards and run registry).
/// Commits reach it through commit::apply_commit, exactly as live commits
/// reach the shards; run-lifecycle records through the run methods.
class RecoverySink : public commit::ApplyTarget {
 public:
  /// `parent_id` != 0: a fork of that run. False when the parent is not
  /// known (recovery then reports corruption).
  virtual bool restore_run(keys::RunId id, RunInfo info, keys::RunId parent_id) = 0;
  virtual void update_run(keys::RunId id, RunStatus status, Object metadata) = 0;
  virtual void drop_run(keys::RunId id) = 0;
  /// Told about every replayed commit (derived indexes), as live commits are.
  virtual std::span<commit::CommitObserver* const> observers() { return {}; }
  /// Called once the snapshot (if any) is loaded and before the WAL is
  /// replayed: derived indexes build their state at `covered` (0: no
  /// snapshot), then follow the replayed commits.
  virtual void snapshot_loaded(Version covered) { (void)covered; }
};

struct RecoveredState {
  bool fresh = true;               // no snapshot and no WAL: a new database
  Version last_version = 0;
  std::int64_t last_timestamp_us = 0;
  keys::RunId next_run_id = 2;     // 1 is "default"
  std::uint64_t next_segment = 1;  // the segment the WAL writer creates next
  std::uint64_t last_segment_size = 0;  // final size of the last segment kept (its successor's link)
  std::uint64_t records_replayed = 0;
  std::uint64_t truncated_bytes = 0;
  std::string snapshot_file;
};

/// `dir` is the database directory (holding wal/ and snapshot files).
io::IoStatus recover(io::FileIo& io, const std::filesystem::path& dir, RecoverySink& sink, RecoveredState& out);

}  // namespace strata::recovery
