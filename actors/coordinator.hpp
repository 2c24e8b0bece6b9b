// Coordinator — validates and orders commits (docs/design/transactions.md).
//
// As its own owner (actors/ownership.hpp) it, for each commit in turn:
//  1. checks the run still exists and the log is writable;
//  2. validates the read set: a key read at the snapshot conflicts if any
//     version newer than the snapshot exists (committed or being published);
//     a JSON path read or edited conflicts if a newer version changed an
//     overlapping path of its document (JsonChangeLog); a listed range
//     conflicts if any key in it was written after the snapshot (phantoms);
//  3. checks the expectations (e.g. "key is live", CAS versions);
//  4. stages JSON edits on the newest documents (an edit that no longer
//     applies fails the commit with nothing written);
//  5. assigns the next global version (gap-free: aborted commits consume
//     none) and a monotonic wall-clock timestamp, then event sequences and
//     hashes;
//  6. encodes the commit's WAL record, applies the commit to the shards'
//     version chains through commit::apply_commit (still invisible: its
//     version is above the watermark) and tells the commit observers, then
//     hands the record to the WalWriter;
//  7. publishes the visible-version watermark once the WAL acknowledged the
//     commit and every commit before it (at once in InMemory and Buffered
//     mode, from the WAL's I/O thread after the covering fdatasync in
//     Strict mode).
// Readers take the watermark as their snapshot, so a commit becomes visible
// at one version, all of its writes at once, or not at all.
//
// The coordinator never waits for the WAL: commit_as_owner returns the WAL
// ticket and the caller's driver waits (engine/commit_driver.hpp), outside
// the coordinator's ownership, so concurrent commits share one fdatasync.
#pragma once

#include "actors/json_change_log.hpp"
#include "actors/ownership.hpp"
#include "actors/shard_actor.hpp"
#include "actors/shard_apply_target.hpp"
#include "actors/wal_writer.hpp"
#include "commit/apply_commit.hpp"
#include "commit/commit_request.hpp"
#include "wal/record_format.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

namespace strata::actors {

using commit::CommitOutcome;
using commit::CommitRequest;
using commit::EventIntent;
using commit::Expectation;
using commit::JsonIntent;
using commit::JsonRead;
using commit::ReadRange;

class Coordinator {
 public:
  Coordinator(const boost::asio::any_io_executor& ex, ShardMap& shards, const detail::RunRegistry& runs, WalWriter& wal);

  /// The newest version whose commit, and every commit before it, is fully
  /// applied and acknowledged. Snapshots are taken here.
  Version visible() const noexcept { return visible_.load(std::memory_order_acquire); }

  /// Runs fn() as the coordinator's owner, inline: no commit runs meanwhile.
  template <class Fn>
  decltype(auto) exclusive(Fn&& fn) {
    return ownership_.with_owner(std::forward<Fn>(fn));
  }
  /// fn() as owner, inline if free at once, else queued on the strand.
  template <class Fn>
  void run_or_post(Fn fn) {
    ownership_.run_or_post(std::move(fn));
  }
  /// fn() as owner, queued on the strand (never inline).
  template <class Fn>
  void post(Fn fn) {
    ownership_.post(std::move(fn));
  }

  Ownership::Stats ownership_stats() const noexcept { return ownership_.stats(); }

  /// Validates, orders and applies one commit. REQUIRES: called as owner
  /// (inside exclusive / run_or_post). Does not wait for the WAL: the caller
  /// waits on out.ticket when the mode defers acknowledgement.
  CommitOutcome commit_as_owner(CommitRequest& request);
  /// Logs a run-lifecycle record. REQUIRES: called as owner.
  WalWriter::Ticket log_as_owner(wal::RecordType type, std::string_view payload);
  WalWriter& wal() noexcept { return wal_; }
  /// io after a failed log write (sticky until reopen), with a detail.
  error_code check_writable(std::string& detail) const;

  /// Registers an observer of applied commits (derived indexes). REQUIRES:
  /// called before the first commit (at open); the observer outlives the
  /// coordinator's use of it.
  void add_observer(commit::CommitObserver* o) { observers_.push_back(o); }
  std::span<commit::CommitObserver* const> observers() const noexcept { return observers_; }

  /// Raises the watermark (the WAL calls it after a covering fdatasync).
  void publish(Version v) noexcept;
  /// After recovery: continue after `last`.
  void restore(Version last, std::int64_t last_timestamp_us) noexcept;
  /// The newest assigned version. REQUIRES: called as owner.
  Version last_assigned() const noexcept { return next_version_ - 1; }
  std::int64_t last_timestamp() const noexcept { return last_timestamp_us_; }

  std::uint64_t commits() const noexcept { return commits_.load(std::memory_order_relaxed); }
  std::uint64_t conflicts() const noexcept { return conflicts_.load(std::memory_order_relaxed); }

 private:
  // Validation (coordinator_validation.cpp).
  bool conditions_hold(const CommitRequest& request, CommitOutcome& out);
  bool read_before_fork(const CommitRequest& request, std::string& detail);
  bool read_set_valid(const CommitRequest& request, std::string& detail);
  bool json_reads_valid(const CommitRequest& request, std::string& detail);
  bool ranges_valid(const CommitRequest& request, std::string& detail);
  bool expectations_hold(const CommitRequest& request, CommitOutcome& out);
  // Staging (commit_staging.cpp).
  error_code stage_json(CommitRequest& request, CommitOutcome& out);
  void stage_events(CommitRequest& request, std::int64_t ts, CommitOutcome& out);
  std::int64_t next_timestamp();

  Ownership ownership_;
  ShardMap& shards_;
  ShardApplyTarget target_;
  WalWriter& wal_;
  std::vector<commit::CommitObserver*> observers_;
  Version next_version_ = 1;
  std::int64_t last_timestamp_us_ = 0;
  std::atomic<Version> visible_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> conflicts_{0};
  std::string scratch_, payload_scratch_;  // reused encode buffers (owner only)
  // Per-commit staging (owner only; cleared by every staged commit).
  std::vector<commit::JsonPatch> staged_patches_;
  std::vector<std::vector<json::Path>> staged_changed_;  // parallel to staged_patches_: paths for JsonChangeLog
  std::vector<commit::AppendedEvent> staged_events_;
  JsonChangeLog json_changes_;
};

}  // namespace strata::actors
