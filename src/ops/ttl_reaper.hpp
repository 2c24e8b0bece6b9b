// TtlReaper — turns expired KV values (kv_put's ttl) into deletions.
//
// An expired value already reads as absent (actors/read_view.hpp); the
// reaper makes that a real, durable deletion, so history, diffs, merges and
// replays see it as one and retention can free the value. Each shard keeps
// its TTL values in an expiry list (storage/shard_store.hpp); a pass takes
// the due entries shard by shard in bounded steps, keeps those whose key
// still holds that very version, and commits one deletion per run, each key
// expected to be unchanged (Expectation::NewestIs) so a concurrent overwrite
// wins. The thread wakes every `interval` and does nothing until a TTL value
// was ever written; it is an Engine BackgroundWorker, stopped on close.
#pragma once

#include "engine/engine.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace strata::ops {

class TtlReaper final : public detail::BackgroundWorker {
 public:
  TtlReaper(detail::Engine& e, std::chrono::milliseconds interval);
  ~TtlReaper() override { stop(); }
  void stop() override;

  /// One pass at `now_us`: deletes every TTL value due by then; returns how
  /// many were deleted.
  static std::size_t reap(detail::Engine& e, std::int64_t now_us);

 private:
  void loop();

  detail::Engine& e_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace strata::ops
