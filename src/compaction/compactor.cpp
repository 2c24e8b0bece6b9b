#include "compaction/compactor.hpp"

#include "snapshot/snapshot_format.hpp"
#include "wal/log_records.hpp"
#include "wal/record_format.hpp"

#include <algorithm>
#include <chrono>
#include <fcntl.h>

namespace strata::compaction {

namespace {

/// Streams records into a file in large writes.
class SnapshotOutput {
 public:
  SnapshotOutput(io::FileIo& io, std::filesystem::path path, int fd) : io_(io), path_(std::move(path)), fd_(fd) {
    buf_ = wal::file_header(wal::kSnapshotMagic);
  }
  io::IoStatus add(wal::RecordType type, std::string_view payload) {
    wal::append_record(buf_, type, payload);
    return maybe_drain();
  }
  io::IoStatus add_framed(std::string_view framed) {
    buf_.append(framed);
    return maybe_drain();
  }
  io::IoStatus drain() {
    auto st = io_.write_all(fd_, path_, buf_);
    buf_.clear();
    return st;
  }

 private:
  io::IoStatus maybe_drain() { return buf_.size() >= (4u << 20) ? drain() : io::IoStatus{}; }
  io::FileIo& io_;
  std::filesystem::path path_;
  int fd_;
  std::string buf_;
};

constexpr std::size_t kChainsPerStep = 1024;
constexpr std::size_t kIndexPerStep = 256;  // ordering a key costs ~1-2 µs

}  // namespace

io::IoStatus Compactor::compact() {
  if (!ctx_.io) return {};
  std::lock_guard lock(mu_);
  return write_snapshot();
}

void Compactor::maybe_start() {
  if (ctx_.auto_compact_wal_bytes == 0 || !ctx_.io || stopped_.load(std::memory_order_relaxed)) return;
  if (ctx_.coordinator->commits() % 256 != 0) return;  // stats() takes a lock; sample
  if (ctx_.wal->stats().bytes_since_cut < ctx_.auto_compact_wal_bytes) return;
  if (running_.exchange(true)) return;
  // Never wait here (this is a committer's thread): if a compaction holds
  // the lock, it is doing the job already.
  std::unique_lock lock(mu_, std::try_to_lock);
  if (!lock || stopped_) return running_.store(false);
  if (background_.joinable()) background_.join();  // finished: running_ was false
  background_ = std::thread([this] {
    {
      std::lock_guard inner(mu_);
      // Failures surface on the next write (sticky WAL error) or compact().
      if (!stopped_) (void)write_snapshot();
    }
    running_.store(false);
  });
}

void Compactor::compact_async(std::function<void(io::IoStatus)> cb) {
  std::lock_guard lock(threads_mu_);
  if (stopped_) return cb({make_error_code(errc::database_closed), "the database is closed"});
  requested_.emplace_back([this, cb = std::move(cb)] { cb(compact()); });
}

void Compactor::stop() {
  std::vector<std::thread> requested;
  {
    std::lock_guard lock(threads_mu_);
    stopped_ = true;
    requested.swap(requested_);
  }
  for (auto& t : requested) t.join();
  std::lock_guard lock(mu_);  // waits for a running compaction's snapshot
  if (background_.joinable()) background_.join();
}

std::uint64_t Compactor::snapshot_shard(std::size_t shard, Version covered,
                                        const std::unordered_set<keys::RunId>& live_runs, Sink& sink) {
  std::uint64_t written = 0;
  auto timed = [&](auto&& step) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = (*ctx_.shards)[shard].with_owner(step);
    const auto pause = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    if (pause.count() > max_pause_us_.load()) max_pause_us_.store(pause.count());
    return r;
  };
  // Keys created before the cut may still await ordering; order them in
  // short steps (keys created after the cut only hold versions above it).
  std::size_t backlog = timed([](storage::ShardStore& s) { return s.pending_count(); });
  while (backlog > 0) {
    std::size_t n = timed([](storage::ShardStore& s) { return s.index_some(kIndexPerStep); });
    if (n == 0) break;
    backlog -= std::min(backlog, n);
  }
  std::string from, chunk, payload;
  for (bool more = true; more;) {
    chunk.clear();
    std::size_t seen = 0;
    timed([&](storage::ShardStore& s) {
      more = false;
      s.scan_indexed({}, from, [&](const mvcc::VersionChain& c) {
        if (seen == kChainsPerStep) return (more = true, false);
        ++seen;
        from.assign(c.key()).push_back('\0');
        if (!live_runs.contains(keys::run_of(c.key()))) return true;  // deleted before the cut
        payload.clear();
        if (snapshot::encode_chain(c, covered, payload)) {
          wal::append_record(chunk, wal::RecordType::SnapshotChain, payload);
          ++written;
        }
        return true;
      });
      return 0;
    });
    if (!chunk.empty() && !sink(chunk)) return written;
  }
  return written;
}

io::IoStatus Compactor::write_snapshot() {
  io::FileIo& io = *ctx_.io;
  // 1. The cut: a consistent version, the runs at that version and a WAL
  //    segment boundary, all taken while no commit runs (microseconds).
  snapshot::Header h;
  struct CutRun {
    keys::RunId id;
    RunInfo info;
    keys::RunId parent;  // 0: not a fork
  };
  std::vector<CutRun> runs;
  ctx_.coordinator->exclusive([&] {
    h.covered_version = ctx_.coordinator->last_assigned();
    h.last_timestamp_us = ctx_.coordinator->last_timestamp();
    h.next_run_id = ctx_.runs->next_id();
    for (const auto& r : ctx_.runs->all()) runs.push_back({r->id, r->info(), r->parent ? r->parent->id : 0});
    ctx_.wal->request_cut();
  });
  if (auto st = ctx_.wal->wait_cut(h.wal_start_segment); !st) return st;

  // 2. The state at the cut, shard by shard in short steps.
  const auto final_path = snapshot::snapshot_path(ctx_.dir, h.covered_version);
  const auto tmp = std::filesystem::path(final_path.string() + ".tmp");
  int fd = -1;
  if (auto st = io.open(tmp, O_WRONLY | O_CREAT | O_TRUNC, fd); !st) return st;
  SnapshotOutput out(io, tmp, fd);
  std::string payload;
  snapshot::encode_header(h, payload);
  io::IoStatus st = out.add(wal::RecordType::SnapshotBegin, payload);
  std::unordered_set<keys::RunId> live_runs;
  // In id order: a fork's id is larger than its parent's, so recovery meets
  // every parent before its forks.
  std::sort(runs.begin(), runs.end(), [](const CutRun& a, const CutRun& b) { return a.id < b.id; });
  for (const auto& [id, info, parent] : runs) {
    live_runs.insert(id);
    payload.clear();
    snapshot::encode_run(id, info, payload, parent);
    if (st) st = out.add(wal::RecordType::SnapshotRun, payload);
  }
  std::uint64_t chains = 0;
  Sink sink = [&](std::string_view framed) { return bool(st = out.add_framed(framed)); };
  for (std::size_t i = 0; i < ctx_.shards->size() && st; ++i) chains += snapshot_shard(i, h.covered_version, live_runs, sink);
  payload.clear();
  snapshot::encode_end(runs.size(), chains, payload);
  if (st) st = out.add(wal::RecordType::SnapshotEnd, payload);
  if (st) st = out.drain();
  if (st) st = io.datasync(fd, tmp);
  io::FileIo::close(fd);
  if (st) st = io.rename(tmp, final_path);
  if (st) st = io.sync_dir(ctx_.dir);
  if (!st) {
    (void)io.remove(tmp);
    return st;
  }
  // 3. The snapshot is durable: older snapshots and covered segments go.
  for (const auto& name : io.list_dir(ctx_.dir)) {
    Version v = 0;
    if (snapshot::parse_snapshot_name(name, v) && v != h.covered_version)
      if (auto r = io.remove(ctx_.dir / name); !r) return r;
  }
  if (auto r = ctx_.wal->remove_segments_before(h.wal_start_segment); !r) return r;
  compactions_.fetch_add(1);
  return {};
}

}  // namespace strata::compaction
