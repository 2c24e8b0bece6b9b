// The commit driver — the one path from "a step that must run as the
// coordinator's owner" to "acknowledged": used by every commit (auto-
// committed operations, transactions) and every run-lifecycle change.
//
// A step runs as the coordinator's owner and returns its outcome plus the
// WAL ticket of the record it logged (0: nothing to wait for). Then:
//  * submit (synchronous): the step runs inline on the caller's thread
//    (waiting for the coordinator's current owner's bounded step, see
//    actors/ownership.hpp), then the caller waits for the ticket when the
//    durability mode defers acknowledgement (Strict) — outside the
//    coordinator, so concurrent commits share one fdatasync;
//  * submit_async: the step runs inline when the coordinator is free at
//    once, else as a message on its strand; the completion is called from
//    there, or — when the ticket is not yet acknowledged — from the WAL's
//    I/O thread after the covering fdatasync. The caller's thread never
//    waits for the disk.
// Both then trigger automatic compaction (Engine::after_commit). The
// completion is called exactly once; a WAL failure completes it with the
// WAL's sticky error.
#pragma once

#include "commit/commit_request.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace strata::detail {

/// What a step run as the coordinator's owner produced: an error (with its
/// detail) or a value, and the WAL ticket of the record it logged (0: none,
/// or acknowledged already). commit::CommitOutcome has the same shape, so a
/// commit's step returns it as it is.
template <class T>
struct OwnerStep {
  error_code ec;
  std::string detail;
  actors::WalWriter::Ticket ticket = 0;
  T value{};
};

template <class Step>
using StepResult = std::invoke_result_t<Step&>;

/// Runs step() as the coordinator's owner, inline, then waits for its ticket
/// when the mode defers acknowledgement. Returns the step's result (with the
/// WAL's error when the log write failed).
template <class Step>
StepResult<Step> submit(Engine& e, Step&& step) {
  StepResult<Step> r = e.coordinator().exclusive(step);
  if (r.ec) return r;
  if (r.ticket && !e.wal().acknowledges_inline())
    if (auto st = e.wal().wait(r.ticket); !st) {
      r.ec = st.ec;
      r.detail = std::move(st.detail);
      return r;
    }
  e.after_commit();
  return r;
}

/// Runs step() as the coordinator's owner — inline when it is free, else as
/// a message on its strand — and calls done(result) once the result is
/// acknowledged: from there, or from the WAL's I/O thread.
template <class Step, class Done>
void submit_async(Engine& e, Step step, Done done) {
  e.coordinator().run_or_post([&e, step = std::move(step), done = std::move(done)]() mutable {
    auto r = step();
    if (r.ec || !r.ticket || e.wal().acknowledges_inline()) return done(std::move(r));
    auto shared = std::make_shared<std::pair<Done, decltype(r)>>(std::move(done), std::move(r));
    e.wal().when_acknowledged(shared->second.ticket, [&e, shared](error_code ec) {
      auto& [finish, result] = *shared;
      if (ec) {
        result.ec = ec;
        result.detail = e.wal().health().detail;
      }
      finish(std::move(result));
    });
  });
  e.after_commit();
}

/// Commits `p` synchronously (see submit): validated, ordered and applied
/// by the coordinator, then acknowledged.
inline commit::CommitOutcome submit_commit(Engine& e, commit::PreparedCommit& p) {
  auto req = p.request();
  return submit(e, [&] { return e.coordinator().commit_as_owner(req); });
}

/// Commits `p` asynchronously (see submit_async); `done(CommitOutcome)`.
/// `p` must own everything it refers to (keep_alive set).
template <class Done>
void submit_commit_async(Engine& e, commit::PreparedCommit p, Done done) {
  submit_async(
      e,
      [&e, p = std::move(p)]() mutable {
        auto req = p.request();
        return e.coordinator().commit_as_owner(req);
      },
      std::move(done));
}

}  // namespace strata::detail
