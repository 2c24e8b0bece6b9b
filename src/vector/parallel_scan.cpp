#include "vector/parallel_scan.hpp"

#include <chrono>
#include <utility>

namespace strata::vector {

namespace {

/// How long the helper keeps polling for the next job before it sleeps on
/// the condition variable, and how long a caller polls for the helper's
/// half before it yields. On this VM waking a sleeping thread costs tens of
/// microseconds (a halted vCPU needs an interrupt) — a large share of a
/// 0.3 ms scan — while searches tend to come in bursts.
constexpr auto kHelperSpin = std::chrono::microseconds(200);
constexpr int kCallerSpinsBeforeYield = 4096;

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

ScanHelper::~ScanHelper() {
  {
    std::lock_guard lock(mu_);
    stopping_.store(true);
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool ScanHelper::run_with_helper(const std::function<void()>& theirs, const std::function<void()>& mine) {
  {
    std::lock_guard lock(mu_);
    if (busy_ || stopping_.load()) return false;
    busy_ = true;
    finished_.store(false, std::memory_order_relaxed);
    job_.store(&theirs, std::memory_order_release);
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  }
  wake_.notify_one();
  std::exception_ptr own;
  try {
    mine();
  } catch (...) {
    own = std::current_exception();
  }
  for (int spins = 0; !finished_.load(std::memory_order_acquire); ++spins) {
    if (spins < kCallerSpinsBeforeYield)
      cpu_relax();
    else
      std::this_thread::yield();
  }
  std::lock_guard lock(mu_);
  busy_ = false;
  if (!own) own = std::exchange(failure_, nullptr);
  failure_ = nullptr;
  if (own) std::rethrow_exception(own);
  return true;
}

const std::function<void()>* ScanHelper::next_job() {
  // Poll first (the next search of a burst is usually close), then sleep.
  const auto until = std::chrono::steady_clock::now() + kHelperSpin;
  while (std::chrono::steady_clock::now() < until) {
    if (auto* job = job_.exchange(nullptr, std::memory_order_acq_rel)) return job;
    if (stopping_.load(std::memory_order_relaxed)) return nullptr;
    for (int i = 0; i < 64; ++i) cpu_relax();
  }
  std::unique_lock lock(mu_);
  wake_.wait(lock, [this] { return stopping_.load() || job_.load() != nullptr; });
  return job_.exchange(nullptr, std::memory_order_acq_rel);
}

void ScanHelper::loop() {
  while (const auto* job = next_job()) {
    std::exception_ptr failure;
    try {
      (*job)();
    } catch (...) {
      failure = std::current_exception();
    }
    {
      std::lock_guard lock(mu_);
      failure_ = failure;
    }
    finished_.store(true, std::memory_order_release);
  }
}

ScanHelper& scan_helper() {
  static ScanHelper helper;
  return helper;
}

}  // namespace strata::vector
