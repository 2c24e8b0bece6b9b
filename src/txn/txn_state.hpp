// TxnState — the private state of a strata::Transaction: its snapshot, read
// set and buffered writes (SPEC §6).
#pragma once

#include "actors/commit_record.hpp"
#include "runs/run_registry.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace strata::detail {

class Engine;

struct BufferedWrite {
  bool tombstone = false;
  Value value;
};

struct TxnState {
  std::shared_ptr<Engine> engine;  // keeps the database alive while the transaction is
  RunRef run;
  Version snapshot = 0;
  bool active = true;
  /// Storage keys read at the snapshot (validated at commit; duplicates are
  /// harmless and cheaper than deduplicating on every read).
  std::vector<std::string> reads;
  /// Buffered writes by storage key, ordered so that listing can merge them
  /// with the snapshot.
  std::map<std::string, BufferedWrite, std::less<>> writes;
};

}  // namespace strata::detail
