// The persistent half of opening a database: the directory and its lock,
// recovery (newest snapshot + WAL replay), then the WAL writer and the
// compactor.
#include "engine/engine.hpp"

#include "actors/group_commit_wal.hpp"
#include "actors/shard_apply_target.hpp"
#include "commit/commit_clock.hpp"
#include "wal/log_records.hpp"
#include "wal/record_format.hpp"

namespace strata::detail {

/// Applies recovered state to the shards and the run registry
/// (single-threaded: nothing else runs during open). Commits arrive through
/// commit::apply_commit, like live ones.
class EngineRecoverySink final : public recovery::RecoverySink {
 public:
  explicit EngineRecoverySink(Engine& e) : e_(e), shards_(*e.shards_, *e.runs_) {}
  bool restore_run(keys::RunId id, RunInfo info, keys::RunId parent_id) override {
    if (info.name == "default") saw_default = true;
    return e_.runs_->restore(id, std::move(info), parent_id);
  }
  bool saw_default = false;  // a record of "default" exists (its creation time is durable)
  void update_run(keys::RunId id, RunStatus status, Object metadata) override {
    if (auto run = e_.runs_->find_by_id(id)) run->update(status, std::move(metadata));
  }
  void drop_run(keys::RunId id) override {
    if (auto run = e_.runs_->remove_by_id(id)) run->alive.store(false);
    e_.vectors_->drop_run(id);
    const std::string prefix = keys::run_prefix(id);
    for (std::size_t i = 0; i < e_.shards_->size(); ++i)
      while ((*e_.shards_)[i].with_owner([&](auto& s) { return s.erase_prefix(prefix, 4096).chains; }) > 0) {
      }
  }
  void install(std::string_view key, Version v, std::int64_t ts, bool tombstone, Value&& value,
               std::uint64_t ttl_ms) override {
    shards_.install(key, v, ts, tombstone, std::move(value), ttl_ms);
    e_.clock_->note(v, ts);
  }
  std::optional<Value> latest(std::string_view key) override { return shards_.latest(key); }
  std::span<commit::CommitObserver* const> observers() override { return {&observer_, 1}; }
  void snapshot_loaded(Version covered) override { e_.vectors_->load_snapshot_state(covered); }

 private:
  Engine& e_;
  actors::ShardApplyTarget shards_;
  commit::CommitObserver* observer_ = e_.vectors_.get();
};

io::IoStatus Engine::open_storage() {
  const auto& dir = options_.path;
  io_ = std::make_unique<io::FileIo>(options_.fault_injector);
  if (auto st = io_->make_private_dir(dir); !st) return st;
  if (auto st = lock_.acquire(*io_, dir); !st) return st;
  if (auto st = io_->make_private_dir(dir / "wal"); !st) return st;
  // A compaction that crashed before its rename leaves a temp file behind.
  for (const auto& name : io_->list_dir(dir))
    if (std::filesystem::path(name).extension() == ".tmp") (void)io_->remove(dir / name);
  EngineRecoverySink sink(*this);
  if (auto st = recovery::recover(*io_, dir, sink, recovered_); !st) return st;
  clock_->snapshot_loaded();
  forks_->rebuild(*shards_);
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
  auto* group_commit = wal.get();
  wal_ = std::move(wal);
  coordinator_ = std::make_unique<actors::Coordinator>(executor_, *shards_, *runs_, *wal_);
  coordinator_->restore(recovered_.last_version, recovered_.last_timestamp_us);
  if (auto st = group_commit->start(); !st) return st;
  compactor_.attach({io_.get(), dir, shards_.get(), coordinator_.get(), wal_.get(), runs_.get(),
                     options_.auto_compact_wal_bytes});
  if (!sink.saw_default) {
    // A new database (or one whose first open failed before this record):
    // log "default" so its creation time survives reopening.
    auto def = runs_->find("default");
    std::string payload;
    wal::encode_run_create(def->id, def->info(), payload);
    coordinator_->exclusive([&] { return coordinator_->log_as_owner(wal::RecordType::RunCreate, payload); });
    if (auto st = wal_->flush(); !st) return st;
  }
  return {};
}

}  // namespace strata::detail
