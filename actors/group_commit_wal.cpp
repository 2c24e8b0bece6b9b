#include "actors/group_commit_wal.hpp"

#include "wal/record_format.hpp"

#include <cinttypes>
#include <cstdio>
#include <fcntl.h>

namespace strata::actors {

namespace {
std::int64_t micros_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
}
std::size_t bucket_of(std::size_t n) {
  std::size_t b = 0;
  while (n > 1) n >>= 1, ++b;
  return b;
}
}  // namespace

GroupCommitWal::GroupCommitWal(io::FileIo& io, Config config, std::function<void(Version)> publish)
    : io_(io), config_(std::move(config)), publish_(std::move(publish)) {}

GroupCommitWal::~GroupCommitWal() { stop(); }

std::filesystem::path GroupCommitWal::segment_path(const std::filesystem::path& dir, std::uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof name, "wal-%016" PRIu64 ".log", number);
  return dir / name;
}

io::IoStatus GroupCommitWal::start() {
  if (auto st = open_segment(config_.first_segment); !st) return st;
  thread_ = std::thread([this] { run(); });
  return {};
}

void GroupCommitWal::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_io_.notify_one();
  if (thread_.joinable()) thread_.join();
  io::FileIo::close(fd_);
  fd_ = -1;
  // Nothing is written any more: later appends are refused as closed and
  // any waiter left (none, normally: the thread drained the queue) fails.
  std::deque<Waiter> left;
  std::deque<FlushWaiter> left_flushes;
  io::IoStatus closed;
  {
    std::lock_guard lock(mu_);
    if (sticky_) {
      sticky_ = {make_error_code(errc::database_closed), "the database is closed"};
      failed_.store(true, std::memory_order_release);
    }
    closed = sticky_;
    left.swap(waiters_);
    left_flushes.swap(flush_waiters_);
  }
  done_.notify_all();
  for (auto& w : left) w.cb(closed.ec);
  for (auto& f : left_flushes) f.cb(closed);
}

io::IoStatus GroupCommitWal::open_segment(std::uint64_t number) {
  // The new segment records how long its predecessor was (see
  // record_format.hpp); at start() that is the recovered last segment.
  const std::uint64_t link = fd_ >= 0 ? segment_size_ : config_.previous_segment_size;
  if (fd_ >= 0) io::FileIo::close(fd_);
  fd_ = -1;
  segment_ = number;
  segment_path_ = segment_path(config_.dir, number);
  int fd = -1;
  if (auto st = io_.open(segment_path_, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, fd); !st) return st;
  fd_ = fd;
  const std::string header = wal::file_header(wal::kWalMagic, link);
  if (auto st = io_.write_all(fd_, segment_path_, header); !st) return st;
  if (auto st = io_.datasync(fd_, segment_path_); !st) return st;
  segment_size_ = header.size();
  unsynced_ = 0;
  return io_.sync_dir(config_.dir);
}

// ---- appenders ------------------------------------------------------------------

WalWriter::Ticket GroupCommitWal::append(std::string_view framed, Version version) {
  bool wake;
  Ticket t;
  {
    std::lock_guard lock(mu_);
    t = ++appended_;
    if (!sticky_) return t;  // refused; the coordinator checks health() first
    // Buffered: the first record after an idle spell must wake the I/O
    // thread, which otherwise sleeps without a deadline, so that the
    // flush_interval promise holds for a lone write too.
    const bool was_empty = queue_.empty();
    queue_.append(framed);
    ++queue_records_;
    stats_.bytes_since_cut += framed.size();
    if (version > queued_version_) queued_version_ = version;
    wake = config_.mode == Durability::Strict || was_empty || queue_.size() >= config_.flush_bytes;
  }
  if (wake) wake_io_.notify_one();
  return t;
}

io::IoStatus GroupCommitWal::health() const {
  std::lock_guard lock(mu_);
  return sticky_;
}

io::IoStatus GroupCommitWal::wait(Ticket ticket) {
  if (acknowledges_inline()) return {};
  std::unique_lock lock(mu_);
  done_.wait(lock, [&] { return acknowledged_ >= ticket || !sticky_; });
  return acknowledged_ >= ticket ? io::IoStatus{} : sticky_;
}

void GroupCommitWal::when_acknowledged(Ticket ticket, std::function<void(error_code)> cb) {
  error_code ec;
  {
    std::lock_guard lock(mu_);
    if (!acknowledges_inline() && acknowledged_ < ticket) {
      if (sticky_) {
        waiters_.push_back({ticket, std::move(cb)});
        return;
      }
      ec = sticky_.ec;
    }
  }
  cb(ec);
}

io::IoStatus GroupCommitWal::flush() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = ++flush_requested_;
  wake_io_.notify_one();
  done_.wait(lock, [&] { return flush_completed_ >= target || !sticky_; });
  return sticky_;
}

void GroupCommitWal::flush_async(std::function<void(io::IoStatus)> cb) {
  io::IoStatus failed;
  {
    std::lock_guard lock(mu_);
    if (sticky_) flush_waiters_.push_back({++flush_requested_, std::move(cb)});
    else failed = sticky_;
  }
  if (!failed) return cb(failed);  // the log is failed or closed: nothing will be written
  wake_io_.notify_one();
}

void GroupCommitWal::request_cut() {
  {
    std::lock_guard lock(mu_);
    cut_offset_ = queue_.size();
    cut_done_ = false;
    stats_.bytes_since_cut = 0;
  }
  wake_io_.notify_one();
}

io::IoStatus GroupCommitWal::wait_cut(std::uint64_t& next_segment) {
  std::unique_lock lock(mu_);
  done_.wait(lock, [&] { return cut_done_ || !sticky_; });
  next_segment = cut_segment_;
  return sticky_;
}

io::IoStatus GroupCommitWal::remove_segments_before(std::uint64_t segment) {
  for (const auto& name : io_.list_dir(config_.dir)) {
    std::uint64_t n = 0;
    if (std::sscanf(name.c_str(), "wal-%" SCNu64 ".log", &n) == 1 && n < segment)
      if (auto st = io_.remove(config_.dir / name); !st) return st;
  }
  return io_.sync_dir(config_.dir);
}

WalStats GroupCommitWal::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

// ---- the I/O thread -----------------------------------------------------------------

void GroupCommitWal::run() {
  Batch b;
  while (take_batch(b)) {
    io::IoStatus st = health();
    if (st) st = write_batch(b);
    finish_batch(b, st);
  }
}

bool GroupCommitWal::take_batch(Batch& b) {
  std::unique_lock lock(mu_);
  const bool strict = config_.mode == Durability::Strict;
  auto due = [&] { return std::chrono::steady_clock::now() >= last_sync_ + config_.flush_interval; };
  auto ready = [&] {
    const bool pending = !queue_.empty() || unsynced_ > 0;
    return stopping_ || cut_offset_ != std::string::npos || flush_requested_ > flush_completed_ ||
           (pending && (strict || queue_.size() >= config_.flush_bytes || due()));
  };
  while (!ready()) {
    if (!queue_.empty() || unsynced_ > 0) wake_io_.wait_until(lock, last_sync_ + config_.flush_interval);
    else wake_io_.wait(lock);
  }
  if (!sticky_) {
    // After a failed write or fdatasync nothing more is written: every
    // waiter was failed; idle until stop() (close) ends the thread.
    wake_io_.wait(lock, [&] { return stopping_; });
    return false;
  }
  if (stopping_ && queue_.empty() && unsynced_ == 0 && cut_offset_ == std::string::npos &&
      flush_requested_ == flush_completed_)
    return false;
  b.bytes.clear();
  b.bytes.swap(queue_);
  b.cut_offset = cut_offset_;
  cut_offset_ = std::string::npos;
  b.last_ticket = appended_;
  b.last_version = queued_version_;
  b.records = queue_records_;
  queue_records_ = 0;
  b.sync = true;  // every batch ends with an fdatasync (Strict: per batch; Buffered: batches are interval-paced)
  b.flush_target = flush_requested_;
  return true;
}

io::IoStatus GroupCommitWal::sync_segment() {
  if (unsynced_ == 0) return {};
  const auto t0 = std::chrono::steady_clock::now();
  if (auto st = io_.datasync(fd_, segment_path_); !st) return st;
  unsynced_ = 0;
  std::lock_guard lock(mu_);
  stats_.last_fsync_us = micros_since(t0);
  ++stats_.fsyncs;
  return {};
}

io::IoStatus GroupCommitWal::write_batch(const Batch& b) {
  std::string_view bytes = b.bytes;
  if (b.cut_offset != std::string::npos) {
    if (auto st = io_.write_all(fd_, segment_path_, bytes.substr(0, b.cut_offset)); !st) return st;
    unsynced_ += b.cut_offset;
    segment_size_ += b.cut_offset;
    if (auto st = sync_segment(); !st) return st;
    if (auto st = open_segment(segment_ + 1); !st) return st;
    opened_at_cut_ = segment_;
    bytes.remove_prefix(b.cut_offset);
  }
  if (!bytes.empty()) {
    if (auto st = io_.write_all(fd_, segment_path_, bytes); !st) return st;
    segment_size_ += bytes.size();
    unsynced_ += bytes.size();
  }
  if (auto st = sync_segment(); !st) return st;
  last_sync_ = std::chrono::steady_clock::now();
  if (segment_size_ >= config_.segment_bytes) return open_segment(segment_ + 1);
  return {};
}

void GroupCommitWal::finish_batch(const Batch& b, const io::IoStatus& st) {
  std::vector<std::pair<std::function<void(error_code)>, error_code>> ready;
  std::vector<std::pair<std::function<void(io::IoStatus)>, io::IoStatus>> flushed;
  {
    std::lock_guard lock(mu_);
    if (!st && sticky_) {
      sticky_ = st;
      failed_.store(true, std::memory_order_release);
      unsynced_ = 0;  // never written now; not a reason to wake again
      flush_completed_ = std::max(flush_completed_, b.flush_target);
    }
    if (sticky_) {
      // Publish before acknowledging: a writer that sees its commit
      // acknowledged must also be able to read it.
      if (config_.mode == Durability::Strict && b.last_version > 0 && publish_) publish_(b.last_version);
      acknowledged_ = b.last_ticket;
      flush_completed_ = std::max(flush_completed_, b.flush_target);
      if (b.cut_offset != std::string::npos) {
        cut_done_ = true;
        cut_segment_ = opened_at_cut_;
      }
      stats_.bytes_written += b.bytes.size();
      if (b.records > 0) {
        auto bucket = bucket_of(b.records);
        if (stats_.batch_histogram.size() <= bucket) stats_.batch_histogram.resize(bucket + 1);
        ++stats_.batch_histogram[bucket];
      }
    }
    while (!waiters_.empty() && (!sticky_ || waiters_.front().ticket <= acknowledged_)) {
      Waiter& w = waiters_.front();
      ready.emplace_back(std::move(w.cb), w.ticket <= acknowledged_ ? error_code{} : sticky_.ec);
      waiters_.pop_front();
    }
    while (!flush_waiters_.empty() && (!sticky_ || flush_waiters_.front().target <= flush_completed_)) {
      flushed.emplace_back(std::move(flush_waiters_.front().cb), sticky_);
      flush_waiters_.pop_front();
    }
  }
  done_.notify_all();
  for (auto& [cb, ec] : ready) cb(ec);
  for (auto& [cb, st] : flushed) cb(st);
}

}  // namespace strata::actors
