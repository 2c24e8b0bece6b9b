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
  /// Event appends, in order; sequences are assigned at commit.
  std::vector<actors::EventIntent> events;
  /// Document paths read or edited at the snapshot (path-level validation).
  std::vector<actors::JsonRead> json_reads;
  /// Documents this transaction edited, by storage key: the edits to replay
  /// on the newest document at commit, and this transaction's view of it.
  struct JsonDoc {
    json::Document view;
    std::vector<actors::JsonOp> ops;
  };
  std::map<std::string, JsonDoc, std::less<>> json_docs;

  bool read_only() const noexcept { return writes.empty() && events.empty() && json_docs.empty(); }
};

}  // namespace strata::detail
