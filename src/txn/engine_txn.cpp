// Engine::begin / commit: turning a TxnState into a CommitRequest for the
// coordinator, inline (sync) or through the coordinator's mailbox (async).
#include "engine/engine.hpp"
#include "txn/txn_state.hpp"

namespace strata::detail {

namespace {

/// A commit that owns its inputs, so it can wait in the coordinator's
/// mailbox after the transaction object is gone.
struct PreparedCommit {
  RunRef run;
  Version snapshot = 0;
  std::vector<std::string> reads;
  std::vector<actors::JsonRead> json_reads;
  std::vector<actors::WriteIntent> writes;
  std::vector<actors::EventIntent> events;
  std::vector<actors::JsonIntent> json;

  actors::CommitRequest request() {
    actors::CommitRequest r;
    r.run = run.get();
    r.snapshot = snapshot;
    r.reads = reads;
    r.json_reads = json_reads;
    r.writes = writes;
    r.events = events;
    r.json = json;
    return r;
  }
};

PreparedCommit prepare(TxnState& txn) {
  PreparedCommit p{txn.run, txn.snapshot, std::move(txn.reads), std::move(txn.json_reads), {}, std::move(txn.events), {}};
  p.writes.reserve(txn.writes.size());
  for (auto& [key, w] : txn.writes) p.writes.push_back({key, w.tombstone, std::move(w.value)});
  txn.writes.clear();
  for (auto& [key, doc] : txn.json_docs) p.json.push_back({key, std::move(doc.ops)});
  txn.json_docs.clear();
  return p;
}

/// Every edit turned out to be a no-op: like a read-only transaction, the
/// commit returns its snapshot version.
Outcome<Version> to_outcome(actors::CommitOutcome&& c, Version snapshot) {
  if (c.ec) return Outcome<Version>::fail(c.ec, std::move(c.detail));
  return c.nothing_written ? snapshot : c.version;
}

}  // namespace

Outcome<std::unique_ptr<TxnState>> Engine::begin(std::string_view run_name) {
  auto run = resolve_run(run_name);
  if (!run) return Outcome<std::unique_ptr<TxnState>>::fail(run.ec, std::move(run.detail));
  auto txn = std::make_unique<TxnState>();
  txn->engine = shared_from_this();
  txn->run = std::move(run.value);
  txn->snapshot = coordinator_->visible();
  return Outcome<std::unique_ptr<TxnState>>(std::move(txn));
}

std::optional<Outcome<Version>> Engine::finish_without_coordinator(TxnState& txn) {
  if (!txn.active)
    return Outcome<Version>::fail(make_error_code(errc::transaction_not_active),
                                  "the transaction was already committed or rolled back");
  txn.active = false;
  Outcome<Version> o;
  if ((o.ec = usable(*txn.run, o.detail))) return o;
  // Read-only: the snapshot was consistent when taken; nothing to validate,
  // nothing to log.
  if (txn.read_only()) {
    o.value = txn.snapshot;
    return o;
  }
  return std::nullopt;
}

Outcome<Version> Engine::commit(TxnState& txn) {
  if (auto done = finish_without_coordinator(txn)) return std::move(*done);
  PreparedCommit p = prepare(txn);
  auto req = p.request();
  auto out = to_outcome(coordinator_->commit(req), p.snapshot);
  if (out) maybe_auto_compact();
  return out;
}

void Engine::commit_async(TxnState& txn, Completion<Version> completion) {
  if (auto done = finish_without_coordinator(txn)) {
    completion(done->ec, done->value);
    return;
  }
  coordinator_->run_or_post([this, p = prepare(txn), c = std::move(completion)]() mutable {
    auto req = p.request();
    auto out = coordinator_->commit_as_owner(req);
    if (out.nothing_written) return c(out.ec, p.snapshot);
    if (out.ec || wal_->acknowledges_inline()) return c(out.ec, out.version);
    // Strict: complete from the WAL's I/O thread once the covering
    // fdatasync is done (the completion posts to the handler's executor).
    auto shared = std::make_shared<Completion<Version>>(std::move(c));
    wal_->when_acknowledged(out.ticket, [shared, v = out.version](error_code ec) { (*shared)(ec, ec ? 0 : v); });
  });
}

}  // namespace strata::detail
