// Coordinator — validates and orders commits (SPEC §2, §6).
//
// As the owner of its mailbox it, for each commit in turn:
//  1. checks the run still exists;
//  2. validates the read set: a key read at the snapshot conflicts if any
//     version newer than the snapshot exists (committed or being published);
//     a JSON path read or edited conflicts if a newer version changed an
//     overlapping path of its document (JsonChangeLog);
//  3. checks the expectations (e.g. "key is live", CAS versions);
//  4. applies JSON edits to the newest documents (an edit that no longer
//     applies fails the commit with nothing written);
//  5. assigns the next global version (gap-free: aborted commits consume
//     none) and a monotonic wall-clock timestamp, then event sequences and
//     hashes;
//  6. hands the record to the WalWriter, installs the writes into the shards'
//     version chains (still invisible: their version is above the watermark),
//  7. publishes the visible-version watermark once the WAL acknowledged the
//     commit and every commit before it.
// Readers take the watermark as their snapshot, so a commit becomes visible
// at one version, all of its writes at once, or not at all.
#pragma once

#include "actors/commit_record.hpp"
#include "actors/json_change_log.hpp"
#include "actors/mailbox.hpp"
#include "actors/shard_actor.hpp"
#include "actors/wal_writer.hpp"
#include "wal/log_records.hpp"
#include "wal/record_format.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace strata::actors {

class Coordinator {
 public:
  Coordinator(const boost::asio::any_io_executor& ex, ShardMap& shards, WalWriter& wal);

  /// The newest version whose commit, and every commit before it, is fully
  /// applied and acknowledged. Snapshots are taken here.
  Version visible() const noexcept { return visible_.load(std::memory_order_acquire); }

  /// Commits inline on the calling thread (fast path), then waits for the
  /// WAL's acknowledgement when the mode defers it (Strict) — outside the
  /// coordinator's ownership, so other commits join the same fdatasync.
  CommitOutcome commit(CommitRequest& request);

  /// Runs fn() as the coordinator's owner, inline: no commit runs meanwhile.
  /// Used by run deletion so that no commit lands in a run being deleted.
  template <class Fn>
  decltype(auto) exclusive(Fn&& fn) {
    return mailbox_.with_owner(std::forward<Fn>(fn));
  }
  /// fn() as owner, inline if free at once, else queued on the strand.
  template <class Fn>
  void run_or_post(Fn fn) {
    mailbox_.run_or_post(std::move(fn));
  }

  /// REQUIRES: called as owner (inside exclusive / run_or_post). Does not
  /// wait for the WAL: the caller waits on out.ticket if needed.
  CommitOutcome commit_as_owner(CommitRequest& request);
  /// Logs a run-lifecycle record. REQUIRES: called as owner.
  WalWriter::Ticket log_as_owner(wal::RecordType type, std::string_view payload);
  WalWriter& wal() noexcept { return wal_; }
  /// io after a failed log write (sticky until reopen), with a detail.
  error_code check_writable(std::string& detail) const;

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
  /// A JSON document after this commit's edits, staged before the version
  /// is assigned (so a failing edit consumes none).
  struct StagedDocument {
    std::string key;
    json::Document doc;
    std::vector<json::Path> changed;
  };

  bool read_set_valid(const CommitRequest& request, std::string& detail);
  bool json_reads_valid(const CommitRequest& request, std::string& detail);
  bool expectations_hold(const CommitRequest& request, CommitOutcome& out);
  std::optional<Value> latest_value(const std::string& key);
  error_code stage_json(CommitRequest& request, CommitOutcome& out);
  void stage_events(CommitRequest& request, std::int64_t ts, CommitOutcome& out);
  void encode_record(const CommitRequest& request, Version version, std::int64_t ts, bool staged, std::string& framed);
  /// Installs the staged events (event, type-index and head keys) and JSON
  /// documents, and records the documents' changed paths.
  void install_staged(CommitRequest& request, Version version, std::int64_t ts);
  void install(std::string_view key, Version version, std::int64_t ts, bool tombstone, Value value) {
    const auto hk = storage::HashedKey::of(key);
    shards_.for_key(hk).with_owner(
        [&](storage::ShardStore& s) { s.install(hk, version, ts, tombstone, std::move(value)); });
  }
  std::int64_t next_timestamp();

  Mailbox mailbox_;
  ShardMap& shards_;
  WalWriter& wal_;
  Version next_version_ = 1;
  std::int64_t last_timestamp_us_ = 0;
  std::atomic<Version> visible_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> conflicts_{0};
  std::string scratch_, payload_scratch_;  // reused encode buffers (owner only)
  // Per-commit staging (owner only; cleared by every commit).
  std::vector<StagedDocument> staged_docs_;
  std::vector<wal::LoggedPatch> staged_logs_;  // parallel to staged_docs_: what the WAL logs
  std::vector<events::AppendedEvent> staged_events_;
  events::Head staged_head_;
  JsonChangeLog json_changes_;
};

/// Wall clock, µs since the Unix epoch.
std::int64_t wall_clock_us() noexcept;

}  // namespace strata::actors
