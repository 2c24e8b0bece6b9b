// GroupCommitWal — the WalWriter of Buffered and Strict databases.
//
// Appenders (the coordinator's owner) only copy the framed record into
// `queue_` under a mutex. One dedicated I/O thread owns the segment file: it
// takes the whole queue at once, writes it with one write(), fdatasyncs when
// the mode asks for it, then acknowledges every record of the batch (Strict)
// and publishes the batch's highest version. Blocking disk calls therefore
// never run on a shard or coordinator strand, and N concurrent Strict
// commits share one fdatasync (Boost.Redis' request queue in miniature).
#pragma once

#include "actors/wal_writer.hpp"
#include "io/file_io.hpp"

#include <strata/options.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

namespace strata::actors {

class GroupCommitWal final : public WalWriter {
 public:
  struct Config {
    std::filesystem::path dir;      // <db>/wal
    Durability mode = Durability::Buffered;
    std::chrono::milliseconds flush_interval{100};
    std::size_t flush_bytes = 1u << 20;
    std::size_t segment_bytes = 64u << 20;
    std::uint64_t first_segment = 1;  // number of the segment to create
    std::uint64_t previous_segment_size = 0;  // link for the first segment's header
  };
  /// `publish(v)`: called from the I/O thread after the fdatasync covering
  /// every record up to version v (Strict only).
  GroupCommitWal(io::FileIo& io, Config config, std::function<void(Version)> publish);
  ~GroupCommitWal() override;

  /// Creates the first segment and starts the I/O thread.
  io::IoStatus start();
  /// Flushes what is queued and stops the I/O thread. Idempotent.
  void stop() override;

  bool acknowledges_inline() const noexcept override { return config_.mode != Durability::Strict; }
  Ticket append(std::string_view framed, Version version) override;
  io::IoStatus health() const override;
  bool healthy() const noexcept override { return !failed_.load(std::memory_order_acquire); }
  io::IoStatus wait(Ticket ticket) override;
  void when_acknowledged(Ticket ticket, std::function<void(error_code)> cb) override;
  io::IoStatus flush() override;
  void flush_async(std::function<void(io::IoStatus)> cb) override;
  void request_cut() override;
  io::IoStatus wait_cut(std::uint64_t& next_segment) override;
  io::IoStatus remove_segments_before(std::uint64_t segment) override;
  WalStats stats() const override;

  static std::filesystem::path segment_path(const std::filesystem::path& dir, std::uint64_t number);

 private:
  struct Waiter {
    Ticket ticket;
    std::function<void(error_code)> cb;
  };
  struct Batch {
    std::string bytes;
    std::size_t cut_offset = std::string::npos;  // bytes before it go to the old segment
    Ticket last_ticket = 0;
    Version last_version = 0;
    std::size_t records = 0;
    bool sync = false;
    std::uint64_t flush_target = 0;
  };

  void run();
  bool take_batch(Batch& b);
  io::IoStatus write_batch(const Batch& b);
  io::IoStatus open_segment(std::uint64_t number);
  io::IoStatus sync_segment();
  void finish_batch(const Batch& b, const io::IoStatus& st);

  io::FileIo& io_;
  Config config_;
  std::function<void(Version)> publish_;

  mutable std::mutex mu_;
  std::condition_variable wake_io_;   // the I/O thread waits here
  std::condition_variable done_;      // wait()/flush()/wait_cut() wait here
  std::string queue_;
  std::size_t queue_records_ = 0;
  Ticket appended_ = 0;
  Ticket acknowledged_ = 0;
  Version queued_version_ = 0;
  std::size_t cut_offset_ = std::string::npos;
  bool cut_done_ = false;
  std::uint64_t cut_segment_ = 0;
  std::uint64_t flush_requested_ = 0, flush_completed_ = 0;
  bool stopping_ = false;
  io::IoStatus sticky_;
  std::atomic<bool> failed_{false};  // mirrors !sticky_ without the mutex
  std::deque<Waiter> waiters_;
  struct FlushWaiter {
    std::uint64_t target;
    std::function<void(io::IoStatus)> cb;
  };
  std::deque<FlushWaiter> flush_waiters_;
  WalStats stats_;

  // Owned by the I/O thread.
  int fd_ = -1;
  std::uint64_t segment_ = 0;
  /// The segment the last cut opened: the first one a snapshot at that cut
  /// must keep. Not segment_ once the batch is written — the records after
  /// the cut may fill that segment and rotate to the next one.
  std::uint64_t opened_at_cut_ = 0;
  std::filesystem::path segment_path_;
  std::size_t segment_size_ = 0;
  std::size_t unsynced_ = 0;
  std::chrono::steady_clock::time_point last_sync_ = std::chrono::steady_clock::now();
  std::thread thread_;
};

}  // namespace strata::actors
