// CommitRequest / CommitRecord — what a transaction hands the coordinator,
// and what the coordinator hands the WAL.
#pragma once

#include "keys/storage_key.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <cstdint>
#include <span>
#include <string>

namespace strata::detail {
struct RunState;
}

namespace strata::actors {

/// One buffered write: a new value, or a tombstone (delete).
struct WriteIntent {
  std::string key;  // storage key (run-tagged)
  bool tombstone = false;
  Value value;
};

/// A condition checked at commit on the newest version of a key (committed
/// or still being published): the auto-commit building block for
/// "delete if exists" and, later, CAS.
struct Expectation {
  enum class Kind : std::uint8_t { Live };
  std::string key;
  Kind kind = Kind::Live;
};

struct CommitRequest {
  const detail::RunState* run = nullptr;
  Version snapshot = 0;
  std::span<const std::string> reads;        // storage keys read at `snapshot`
  std::span<const Expectation> expectations;  // all must hold, else no write
  std::span<WriteIntent> writes;             // consumed (moved from) on success
};

struct CommitOutcome {
  error_code ec;
  std::string detail;
  Version version = 0;
  bool expectation_failed = false;  // no error, nothing written
  std::uint64_t ticket = 0;         // the WAL ticket to wait on (deferred acknowledgement)
};

}  // namespace strata::actors
