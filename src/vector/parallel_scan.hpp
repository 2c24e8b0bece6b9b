// ScanHelper — one background thread that takes half of a large exact
// vector scan, so a single search uses both cores of a small machine.
//
// Why a dedicated thread and not the database's pool: the pool's threads run
// the shard and coordinator actors, and a search must not queue behind
// commits (nor commits behind a 0.3 ms scan). The helper is optional work
// stealing: run_with_helper() hands `theirs` to the helper only when it is
// idle; when it is busy (another search holds it) the caller is told so and
// does all the work itself, so searches never wait for each other.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace strata::vector {

class ScanHelper {
 public:
  ScanHelper() = default;
  ~ScanHelper();
  ScanHelper(const ScanHelper&) = delete;
  ScanHelper& operator=(const ScanHelper&) = delete;

  /// Runs `mine` on this thread and `theirs` on the helper, and returns once
  /// both finished: true (an exception of `theirs` is rethrown here, after
  /// both finished). Returns false without running either when the
  /// helper is busy.
  bool run_with_helper(const std::function<void()>& theirs, const std::function<void()>& mine);

 private:
  void loop();
  /// The next job, or null when stopping.
  const std::function<void()>* next_job();

  std::mutex mu_;  // busy_, failure_, the thread; the sleeping helper's wake-ups
  std::condition_variable wake_;
  std::atomic<const std::function<void()>*> job_{nullptr};  // handed over, not yet taken
  std::atomic<bool> finished_{false};                        // the helper finished the job
  std::atomic<bool> stopping_{false};
  bool busy_ = false;           // a caller owns the helper
  std::exception_ptr failure_;  // what the job threw (rethrown to the caller)
  std::thread thread_;          // started on first use
};

/// The process's scan helper.
ScanHelper& scan_helper();

}  // namespace strata::vector
