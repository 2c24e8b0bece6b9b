// WalWriter — the durability actor every commit passes through (docs/architecture.md, docs/guides/durability.md).
//
// The coordinator appends each commit's record (and each run-lifecycle
// record) while it owns the commit order, so the log order is the version
// order. The writer decides when a record is acknowledged:
//   InMemory — nothing is written; acknowledged at once (NullWalWriter);
//   Buffered — acknowledged at append; written and fdatasync'ed by the I/O
//              thread every flush_interval or flush_bytes;
//   Strict   — acknowledged after the fdatasync that covers it; the I/O
//              thread writes every record queued meanwhile with one write()
//              and one fdatasync (group commit).
// In Strict mode the writer also publishes versions (through the callback
// given at construction) after each covering fdatasync, so nothing becomes
// visible before it is durable.
#pragma once

#include "io/file_io.hpp"

#include <strata/error.hpp>
#include <strata/types.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace strata::actors {

struct WalStats {
  std::uint64_t bytes_written = 0;
  std::uint64_t bytes_since_cut = 0;  // grows until the next snapshot cut
  std::uint64_t fsyncs = 0;
  std::int64_t last_fsync_us = -1;
  std::vector<std::uint64_t> batch_histogram;  // bucket i: batches of [2^i, 2^(i+1)) records
};

class WalWriter {
 public:
  using Ticket = std::uint64_t;
  virtual ~WalWriter() = default;

  /// False for the in-memory writer: records need not even be encoded.
  virtual bool persistent() const noexcept { return true; }
  /// True when append() acknowledges the record before returning.
  virtual bool acknowledges_inline() const noexcept = 0;
  /// Appends one framed record; `version` is its commit version (0 for run
  /// records). REQUIRES: called by the coordinator's owner (log order =
  /// version order). Returns the record's ticket.
  virtual Ticket append(std::string_view framed, Version version) = 0;
  /// The sticky error after a failed write or fdatasync (the file's state is
  /// then unknown, so nothing more is written until the database reopens).
  virtual io::IoStatus health() const = 0;
  /// Cheap form of health() for every commit: false after a sticky error.
  virtual bool healthy() const noexcept = 0;
  /// Blocks until `ticket` is acknowledged (or failed).
  virtual io::IoStatus wait(Ticket ticket) = 0;
  /// Calls cb(ec) exactly once when `ticket` is acknowledged or failed —
  /// inline if it already is, else from the I/O thread.
  virtual void when_acknowledged(Ticket ticket, std::function<void(error_code)> cb) = 0;
  /// Writes and fdatasyncs everything appended so far.
  virtual io::IoStatus flush() = 0;
  /// flush() without waiting: cb(status) is called once when it is done —
  /// inline if there is nothing to do, else from the I/O thread.
  virtual void flush_async(std::function<void(io::IoStatus)> cb) = 0;
  /// Snapshot cut, part 1 (by the coordinator's owner): records appended so
  /// far stay in the current segment; later ones go to a new segment.
  virtual void request_cut() = 0;
  /// Part 2 (outside the coordinator): waits until the cut is on disk and
  /// returns the number of the first segment after it.
  virtual io::IoStatus wait_cut(std::uint64_t& next_segment) = 0;
  /// Deletes segments numbered below `segment` (covered by a snapshot).
  virtual io::IoStatus remove_segments_before(std::uint64_t segment) = 0;
  virtual WalStats stats() const = 0;
  /// Writes and syncs what was appended, acknowledges it, then refuses
  /// everything after (health() becomes database_closed, so commits still
  /// queued on the coordinator fail cleanly). Idempotent.
  virtual void stop() = 0;
};

/// InMemory mode: nothing is written; every record is acknowledged at once.
class NullWalWriter final : public WalWriter {
 public:
  bool persistent() const noexcept override { return false; }
  bool acknowledges_inline() const noexcept override { return true; }
  Ticket append(std::string_view, Version) override { return 0; }
  io::IoStatus health() const override {
    if (healthy()) return {};
    return {make_error_code(errc::database_closed), "the database is closed"};
  }
  bool healthy() const noexcept override { return !stopped_.load(std::memory_order_acquire); }
  io::IoStatus wait(Ticket) override { return {}; }
  void when_acknowledged(Ticket, std::function<void(error_code)> cb) override { cb({}); }
  io::IoStatus flush() override { return {}; }
  void flush_async(std::function<void(io::IoStatus)> cb) override { cb({}); }
  void request_cut() override {}
  io::IoStatus wait_cut(std::uint64_t& next_segment) override {
    next_segment = 0;
    return {};
  }
  io::IoStatus remove_segments_before(std::uint64_t) override { return {}; }
  WalStats stats() const override { return {}; }
  void stop() override { stopped_.store(true, std::memory_order_release); }

 private:
  std::atomic<bool> stopped_{false};
};

}  // namespace strata::actors
