// Beginning a transaction, and turning a finished one into a PreparedCommit
// for the commit driver (engine/commit_driver.hpp), synchronously or not.
#include "engine/commit_driver.hpp"
#include "txn/txn_state.hpp"

namespace strata::detail {

namespace {

commit::PreparedCommit prepare(TxnState& txn) {
  commit::PreparedCommit p;
  p.run = txn.run.get();
  p.keep_alive = txn.run;
  p.read_set = std::make_unique<commit::ReadSet>();
  p.read_set->snapshot = txn.snapshot;
  p.read_set->reads = std::move(txn.reads);
  p.read_set->ranges = std::move(txn.ranges);
  p.read_set->json_reads = std::move(txn.json_reads);
  p.events.assign(std::make_move_iterator(txn.events.begin()), std::make_move_iterator(txn.events.end()));
  p.writes.reserve(txn.writes.size());
  for (auto& [key, w] : txn.writes) p.writes.push_back({key, w.tombstone, std::move(w.value), w.ttl_ms});
  for (auto& [key, doc] : txn.json_docs) p.json.push_back({key, std::move(doc.ops)});
  txn.events.clear();
  txn.writes.clear();
  txn.json_docs.clear();
  return p;
}

/// Settles commits that need no coordinator (inactive, closed, read-only).
std::optional<Outcome<Version>> settle_without_coordinator(TxnState& txn) {
  if (!txn.active)
    return fail<Version>(errc::transaction_not_active, "the transaction was already committed or rolled back");
  txn.active = false;
  Outcome<Version> o;
  if ((o.ec = txn.engine->usable(*txn.run, o.detail))) return o;
  // Read-only: the snapshot was consistent when taken; nothing to validate,
  // nothing to log.
  if (txn.read_only()) {
    o.value = txn.snapshot;
    return o;
  }
  return std::nullopt;
}

/// Every edit turned out to be a no-op: like a read-only transaction, the
/// commit returns its snapshot version.
Version committed_version(const commit::CommitOutcome& out, Version snapshot) {
  return out.nothing_written ? snapshot : out.version;
}

}  // namespace

Outcome<std::unique_ptr<TxnState>> begin_transaction(Engine& e, std::string_view run_name) {
  auto run = e.resolve_run(run_name);
  if (!run) return Outcome<std::unique_ptr<TxnState>>::fail(std::move(run));
  return begin_transaction(e, run.value);
}

Outcome<std::unique_ptr<TxnState>> begin_transaction(Engine& e, const RunRef& run) {
  Outcome<std::unique_ptr<TxnState>> o;
  if ((o.ec = e.usable(*run, o.detail))) return o;
  auto txn = std::make_unique<TxnState>();
  txn->engine = e.shared_from_this();
  txn->run = run;
  txn->snapshot = e.visible();
  o.value = std::move(txn);
  return o;
}

Outcome<std::unique_ptr<TxnState>> begin_transaction(Engine& e, const RunRef& run, const AsOf& as_of) {
  auto version = e.resolve(as_of);
  if (!version) return Outcome<std::unique_ptr<TxnState>>::fail(std::move(version));
  auto txn = begin_transaction(e, run);
  if (!txn) return txn;
  txn.value->snapshot = version.value;
  txn.value->as_of = as_of;
  return txn;
}

Outcome<std::unique_ptr<TxnState>> begin_transaction(Engine& e, std::string_view run_name, const AsOf& as_of) {
  auto run = e.resolve_run(run_name);
  if (!run) return Outcome<std::unique_ptr<TxnState>>::fail(std::move(run));
  return begin_transaction(e, run.value, as_of);
}

Outcome<Version> commit_transaction(TxnState& txn) {
  if (auto done = settle_without_coordinator(txn)) return std::move(*done);
  commit::PreparedCommit p = prepare(txn);
  auto out = submit_commit(*txn.engine, p);
  if (out.ec) return Outcome<Version>::fail(out.ec, std::move(out.detail));
  return committed_version(out, p.read_set->snapshot);
}

void commit_transaction_async(TxnState& txn, Completion<Version> c) {
  if (auto done = settle_without_coordinator(txn)) return complete(c, std::move(*done));
  commit::PreparedCommit p = prepare(txn);
  const Version snapshot = p.read_set->snapshot;
  submit_commit_async(*txn.engine, std::move(p), [c = std::move(c), snapshot](commit::CommitOutcome out) mutable {
    if (out.ec) return c(out.ec, std::move(out.detail), 0);
    c({}, {}, committed_version(out, snapshot));
  });
}

}  // namespace strata::detail
