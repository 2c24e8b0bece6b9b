// WalWriter — the durability actor every commit passes through (SPEC §2, §7).
//
// The coordinator hands it each commit, in commit-version order, while it
// owns the commit order; the WalWriter decides when that commit is
// acknowledged (durable enough for the database's mode) and reports it
// through `on_durable`. The coordinator publishes a version only once every
// commit up to it has been acknowledged.
//
// This interface is what the group-commit WAL implements (Buffered, Strict);
// InMemory uses NullWalWriter, which writes nothing and acknowledges at once.
#pragma once

#include "actors/commit_record.hpp"

#include <strata/error.hpp>
#include <strata/types.hpp>

#include <functional>

namespace strata::actors {

class WalWriter {
 public:
  virtual ~WalWriter() = default;

  /// True when append() acknowledges every commit before returning (so the
  /// coordinator can publish inline, without a callback).
  virtual bool acknowledges_inline() const noexcept = 0;

  /// Logs one commit. REQUIRES: called in strictly increasing version order.
  /// `on_durable(ec)` is called exactly once, when the commit is acknowledged
  /// or failed; inline before append() returns when acknowledges_inline().
  virtual void append(const CommitRecord& record, std::function<void(error_code)> on_durable) = 0;

  /// Makes every appended commit durable now; returns the first error.
  virtual error_code flush() = 0;

  /// Bytes written to the log so far.
  virtual std::uint64_t bytes_written() const noexcept = 0;
};

/// InMemory mode: nothing is written; every commit is acknowledged at once.
class NullWalWriter final : public WalWriter {
 public:
  bool acknowledges_inline() const noexcept override { return true; }
  void append(const CommitRecord&, std::function<void(error_code)> on_durable) override {
    if (on_durable) on_durable({});
  }
  error_code flush() override { return {}; }
  std::uint64_t bytes_written() const noexcept override { return 0; }
};

}  // namespace strata::actors
