// Compactor — snapshots and WAL truncation (docs/formats/snapshot.md):
// compact() writes a snapshot of the whole state at a consistent cut while
// writers keep going, then deletes older snapshots and the WAL segments it
// covers; maybe_start() runs one in the background once the WAL written
// since the last cut passes Options::auto_compact_wal_bytes.
//
// The cut is taken as the coordinator's owner (microseconds: a version, the
// runs at that version and a WAL segment boundary); the state is then copied
// shard by shard in short steps (versions above the cut are skipped, older
// ones never change), so no shard is held for long — the longest step is
// reported as the pause writers could see.
#pragma once

#include "actors/coordinator.hpp"
#include "actors/shard_actor.hpp"
#include "actors/wal_writer.hpp"
#include "io/file_io.hpp"
#include "runs/run_registry.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace strata::compaction {

class Compactor {
 public:
  struct Context {
    io::FileIo* io = nullptr;
    std::filesystem::path dir;
    actors::ShardMap* shards = nullptr;
    actors::Coordinator* coordinator = nullptr;
    actors::WalWriter* wal = nullptr;
    detail::RunRegistry* runs = nullptr;
    std::size_t auto_compact_wal_bytes = 0;  // 0: never automatically
  };

  Compactor() = default;
  Compactor(const Compactor&) = delete;
  Compactor& operator=(const Compactor&) = delete;
  ~Compactor() { stop(); }

  /// Persistent databases: what to compact. Without it, compact() is a no-op.
  void attach(Context ctx) { ctx_ = std::move(ctx); }
  /// One compaction now (waits for a running one first).
  io::IoStatus compact();
  /// compact() on a thread of its own; cb(status) is called from it.
  void compact_async(std::function<void(io::IoStatus)> cb);
  /// Starts a background compaction when due; never waits (commits call it).
  void maybe_start();
  /// Joins a running background compaction; later maybe_start()s do nothing.
  void stop();

  std::uint64_t compactions() const noexcept { return compactions_.load(); }
  std::int64_t max_pause_us() const noexcept { return max_pause_us_.load(); }

 private:
  using Sink = std::function<bool(std::string_view framed)>;
  io::IoStatus write_snapshot();
  std::uint64_t snapshot_shard(std::size_t shard, Version covered, const std::unordered_set<keys::RunId>& live_runs,
                               Sink& sink);

  Context ctx_;
  std::mutex mu_;                       // one compaction at a time
  std::mutex threads_mu_;               // guards requested_ and stopping
  std::atomic<bool> running_{false};    // a background compaction is running
  std::atomic<bool> stopped_{false};
  std::thread background_;
  std::vector<std::thread> requested_;  // compact_async threads, joined by stop()
  std::atomic<std::uint64_t> compactions_{0};
  std::atomic<std::int64_t> max_pause_us_{0};
};

}  // namespace strata::compaction
