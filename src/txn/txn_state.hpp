// TxnState — the private state of a strata::Transaction: its snapshot, read
// set, read ranges and buffered writes (docs/design/transactions.md).
#pragma once

#include "actors/read_view.hpp"
#include "commit/commit_request.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"
#include "runs/run_registry.hpp"

#include <strata/detail/completion.hpp>
#include <strata/types.hpp>
#include <strata/value.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace strata::detail {

struct BufferedWrite {
  bool tombstone = false;
  Value value;
  std::uint64_t ttl_ms = 0;  // kv_put's ttl (0: none)
};

struct TxnState {
  std::shared_ptr<Engine> engine;  // keeps the database alive while the transaction is
  RunRef run;
  Version snapshot = 0;
  bool active = true;
  /// Opened at an AsOf: it reads history and refuses every write.
  std::optional<AsOf> as_of;
  /// Storage keys read at the snapshot (validated at commit; duplicates are
  /// harmless and cheaper than deduplicating on every read).
  std::vector<std::string> reads;
  /// Key ranges listed at the snapshot (phantom protection at commit).
  std::vector<commit::ReadRange> ranges;
  /// Buffered writes by storage key, ordered so that listing can merge them
  /// with the snapshot.
  std::map<std::string, BufferedWrite, std::less<>> writes;
  /// Event appends, in order; sequences are assigned at commit.
  std::vector<commit::EventIntent> events;
  /// Document paths read or edited at the snapshot (path-level validation).
  std::vector<commit::JsonRead> json_reads;
  /// Documents this transaction edited, by storage key: the edits to replay
  /// on the newest document at commit, and this transaction's view of it.
  struct JsonDoc {
    json::Document view;
    std::vector<commit::JsonOp> ops;
  };
  std::map<std::string, JsonDoc, std::less<>> json_docs;

  bool read_only() const noexcept { return writes.empty() && events.empty() && json_docs.empty(); }
  /// The snapshot this transaction reads (the one read path).
  actors::ReadView view() const { return engine->view_as_of(*run, as_of, snapshot); }
};

/// A new transaction on the run named `run`, at the visible version.
/// Errors: database_closed, invalid_run_name, run_not_found.
Outcome<std::unique_ptr<TxnState>> begin_transaction(Engine& e, std::string_view run);
/// The same on a run already resolved (a handle's current run).
/// Errors: database_closed, run_not_found (the run was deleted).
Outcome<std::unique_ptr<TxnState>> begin_transaction(Engine& e, const RunRef& run);
/// A read-only transaction whose snapshot is the version `as_of` resolves
/// to. Errors: those above, invalid_input (a point after the newest commit).
Outcome<std::unique_ptr<TxnState>> begin_transaction(Engine& e, const RunRef& run, const AsOf& as_of);
Outcome<std::unique_ptr<TxnState>> begin_transaction(Engine& e, std::string_view run, const AsOf& as_of);
/// Validates and commits; the transaction is inactive afterwards whatever
/// the outcome. A read-only transaction (or one whose edits were all no-ops)
/// returns its snapshot version and never reaches the coordinator.
Outcome<Version> commit_transaction(TxnState& txn);
/// The same through the asynchronous commit driver. `c` is called once.
void commit_transaction_async(TxnState& txn, Completion<Version> c);

}  // namespace strata::detail
