// The persistent half of the engine: opening a directory (lock, recovery,
// WAL), flush, and compaction (snapshot + WAL truncation).
#include "engine/engine.hpp"

#include "actors/group_commit_wal.hpp"
#include "snapshot/snapshot_format.hpp"
#include "wal/log_records.hpp"
#include "wal/record_format.hpp"

#include <sys/stat.h>

#include <chrono>
#include <fcntl.h>
#include <unordered_set>

namespace strata::detail {

/// Applies recovered state directly to the shards and the run registry
/// (single-threaded: nothing else runs during open).
class EngineRecoverySink final : public recovery::RecoverySink {
 public:
  explicit EngineRecoverySink(Engine& e) : e_(e) {}
  void restore_run(keys::RunId id, RunInfo info) override {
    if (info.name == "default") saw_default = true;
    e_.runs_->restore(id, std::move(info));
  }
  bool saw_default = false;  // a record of "default" exists (its creation time is durable)
  void update_run(keys::RunId id, RunStatus status, Object metadata) override {
    if (auto run = e_.runs_->find_by_id(id)) run->update(status, std::move(metadata));
  }
  void drop_run(keys::RunId id) override {
    if (auto run = e_.runs_->remove_by_id(id)) run->alive.store(false);
    e_.erase_run_data(id);
  }
  void install(const std::string& key, Version v, std::int64_t ts, bool tombstone, Value value) override {
    const auto hk = storage::HashedKey::of(key);
    e_.shards_->for_key(hk).with_owner(
        [&](storage::ShardStore& s) { s.install(hk, v, ts, tombstone, std::move(value)); });
  }
  std::optional<Value> latest(const std::string& key) override {
    const auto hk = storage::HashedKey::of(key);
    return e_.shards_->for_key(hk).with_owner([&](storage::ShardStore& s) -> std::optional<Value> {
      const auto* chain = s.find(hk);
      const auto* node = chain ? chain->newest() : nullptr;
      if (!node || node->tombstone) return std::nullopt;
      return node->value;
    });
  }

 private:
  Engine& e_;
};

namespace {
io::IoStatus make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io::io_error("create directory", dir, ec.value());
  // 0700: the database may hold an agent's secrets.
  if (::chmod(dir.c_str(), 0700) != 0) return io::io_error("chmod", dir, errno);
  return {};
}
}  // namespace

io::IoStatus Engine::open_storage() {
  const auto& dir = options_.path;
  io_ = std::make_unique<io::FileIo>(options_.fault_injector);
  if (auto st = make_private_dir(dir); !st) return st;
  if (auto st = lock_.acquire(*io_, dir); !st) return st;
  if (auto st = make_private_dir(dir / "wal"); !st) return st;
  // A compaction that crashed before its rename leaves a temp file behind.
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".tmp") (void)io_->remove(e.path());
  EngineRecoverySink sink(*this);
  if (auto st = recovery::recover(*io_, dir, sink, recovered_); !st) return st;
  runs_->set_next_id(recovered_.next_run_id);

  actors::GroupCommitWal::Config cfg;
  cfg.dir = dir / "wal";
  cfg.mode = *options_.durability;
  cfg.flush_interval = options_.flush_interval;
  cfg.flush_bytes = options_.flush_bytes;
  cfg.segment_bytes = options_.wal_segment_bytes;
  cfg.first_segment = recovered_.next_segment;
  cfg.previous_segment_size = recovered_.last_segment_size;
  auto wal = std::make_unique<actors::GroupCommitWal>(*io_, cfg, [this](Version v) { coordinator_->publish(v); });
  wal_ = std::move(wal);
  coordinator_ = std::make_unique<actors::Coordinator>(executor_, *shards_, *wal_);
  coordinator_->restore(recovered_.last_version, recovered_.last_timestamp_us);
  if (auto st = static_cast<actors::GroupCommitWal&>(*wal_).start(); !st) return st;
  if (!sink.saw_default) {
    // A new database (or one whose first open failed before this record):
    // log "default" so its creation time survives reopening.
    auto def = runs_->find("default");
    std::string payload;
    wal::encode_run_create(def->id, def->info(), payload);
    auto ticket = coordinator_->exclusive([&] { return coordinator_->log_as_owner(wal::RecordType::RunCreate, payload); });
    if (auto st = wal_->flush(); !st) return st;
    (void)ticket;
  }
  return {};
}

io::IoStatus Engine::flush() {
  if (closed()) return {make_error_code(errc::database_closed), "the database is closed"};
  return wal_->flush();
}

io::IoStatus Engine::compact() {
  if (closed()) return {make_error_code(errc::database_closed), "the database is closed"};
  if (!wal_->persistent()) return {};
  std::lock_guard lock(compact_mu_);
  return write_snapshot();
}

void Engine::maybe_auto_compact() {
  if (options_.auto_compact_wal_bytes == 0 || !wal_->persistent()) return;
  if (coordinator_->commits() % 256 != 0) return;  // stats() takes a lock; sample
  if (wal_->stats().bytes_since_cut < options_.auto_compact_wal_bytes) return;
  if (compacting_.exchange(true)) return;
  // Never wait here (this is a committer's thread): if a compaction holds
  // the lock, it is doing the job already.
  std::unique_lock lock(compact_mu_, std::try_to_lock);
  if (!lock) return compacting_.store(false);
  if (auto_compactor_.joinable()) auto_compactor_.join();  // finished: compacting_ was false
  auto_compactor_ = std::thread([this] {
    {
      std::lock_guard inner(compact_mu_);
      if (!closed()) (void)write_snapshot();  // failures surface on the next write (sticky WAL error) or compact()
    }
    compacting_.store(false);
  });
}

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

std::uint64_t Engine::snapshot_shard(std::size_t shard, Version covered,
                                     const std::unordered_set<keys::RunId>& live_runs, SnapshotSink& sink) {
  std::uint64_t written = 0;
  auto timed = [&](auto&& step) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = (*shards_)[shard].with_owner(step);
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

io::IoStatus Engine::write_snapshot() {
  // 1. The cut: a consistent version, the runs at that version, and a WAL
  //    segment boundary — all taken while no commit runs (microseconds).
  snapshot::Header h;
  std::vector<std::pair<keys::RunId, RunInfo>> runs;
  coordinator_->exclusive([&] {
    h.covered_version = coordinator_->last_assigned();
    h.last_timestamp_us = coordinator_->last_timestamp();
    h.next_run_id = runs_->next_id();
    for (const auto& r : runs_->all()) runs.emplace_back(r->id, r->info());
    wal_->request_cut();
  });
  if (auto st = wal_->wait_cut(h.wal_start_segment); !st) return st;

  // 2. The state at the cut, shard by shard in short steps: versions above
  //    the cut are skipped, and older versions never change, so writers go
  //    on meanwhile.
  const auto final_path = snapshot::snapshot_path(options_.path, h.covered_version);
  const auto tmp = std::filesystem::path(final_path.string() + ".tmp");
  int fd = -1;
  if (auto st = io_->open(tmp, O_WRONLY | O_CREAT | O_TRUNC, fd); !st) return st;
  SnapshotOutput out(*io_, tmp, fd);
  std::string payload;
  snapshot::encode_header(h, payload);
  io::IoStatus st = out.add(wal::RecordType::SnapshotBegin, payload);
  std::unordered_set<keys::RunId> live_runs;
  for (const auto& [id, info] : runs) {
    live_runs.insert(id);
    payload.clear();
    snapshot::encode_run(id, info, payload);
    if (st) st = out.add(wal::RecordType::SnapshotRun, payload);
  }
  std::uint64_t chains = 0;
  SnapshotSink sink = [&](std::string_view framed) { return bool(st = out.add_framed(framed)); };
  for (std::size_t i = 0; i < shards_->size() && st; ++i) chains += snapshot_shard(i, h.covered_version, live_runs, sink);
  payload.clear();
  snapshot::encode_end(runs.size(), chains, payload);
  if (st) st = out.add(wal::RecordType::SnapshotEnd, payload);
  if (st) st = out.drain();
  if (st) st = io_->datasync(fd, tmp);
  io::FileIo::close(fd);
  if (st) st = io_->rename(tmp, final_path);
  if (st) st = io_->sync_dir(options_.path);
  if (!st) {
    (void)io_->remove(tmp);
    return st;
  }
  // 3. The snapshot is durable: older snapshots and covered segments go.
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(options_.path, ec)) {
    Version v = 0;
    if (snapshot::parse_snapshot_name(e.path().filename().string(), v) && v != h.covered_version)
      if (auto r = io_->remove(e.path()); !r) return r;
  }
  if (auto r = wal_->remove_segments_before(h.wal_start_segment); !r) return r;
  compactions_.fetch_add(1);
  return {};
}

}  // namespace strata::detail
