// The operation driver — turns one operation (a struct in src/ops/) into its
// synchronous form (execute: an Outcome the facade throws or turns into an
// error_code&) and its asynchronous form (execute_async: a Completion), so
// each operation is written once and the front ends cannot drift apart.
//
// An operation is one of four kinds, told apart by what it provides:
//  * ReadOp: `Outcome<Result> read(Engine&) const` — a bounded in-memory
//    read, run inline in both forms (the async form completes with it; the
//    completion is posted by the initiation, never invoked inline);
//  * PointReadOp: a read of one key (below), whose async form runs on the
//    key's shard without waiting for it;
//  * CommitOp: `Outcome<PreparedCommit> prepare(Engine&)` (validation, run
//    inline) and `static Result finish(const CommitOutcome&)`; the prepared
//    commit goes through the commit driver (engine/commit_driver.hpp);
//  * OwnerOp: `error_code check(Engine&, std::string&) const` (inline) and
//    `OwnerStep<Result> as_owner(Engine&)`, run as the coordinator's owner
//    through the commit driver (run-lifecycle changes). The async form moves
//    the operation into the coordinator's queue, so it must own its data.
//    An OwnerOp may add `finish(Engine&, Result&)` (synchronous follow-up
//    after acknowledgement) and `finish_async(Engine&, Result, Completion)`.
// Every kind names its run as `run` (a const RunRef&), when it has one.
#pragma once

#include "engine/commit_driver.hpp"

#include <concepts>
#include <utility>

namespace strata::detail {

template <class Op>
concept ReadOp = requires(const Op& op, Engine& e) {
  { op.read(e) } -> std::same_as<Outcome<typename Op::Result>>;
};

/// A read of one key: `Outcome<std::string> point(Engine&) const`
/// (validation, then the storage key) and `static Result project(const
/// mvcc::VersionNode*)` (the answer from the version visible at the
/// snapshot). Its async form runs on the key's shard without waiting
/// (ReadView::visit_async), as a single-key read needs no other actor.
template <class Op>
concept PointReadOp = requires(const Op& op, Engine& e, const mvcc::VersionNode* node) {
  { op.point(e) } -> std::same_as<Outcome<std::string>>;
  { Op::project(node) } -> std::same_as<typename Op::Result>;
};

/// A CommitOp whose result needs what prepare() found (merge_run's counts)
/// has a const member finish instead of a static one; its async form then
/// moves the operation into the completion, so it must own its data.
template <class Op>
concept StaticFinish = requires(const commit::CommitOutcome& out) {
  { Op::finish(out) } -> std::same_as<typename Op::Result>;
};
template <class Op>
concept MemberFinish = !StaticFinish<Op> && requires(const Op& op, const commit::CommitOutcome& out) {
  { op.finish(out) } -> std::same_as<typename Op::Result>;
};

template <class Op>
concept CommitOp = requires(Op& op, Engine& e) {
  { op.prepare(e) } -> std::same_as<Outcome<commit::PreparedCommit>>;
} && (StaticFinish<Op> || MemberFinish<Op>);

template <class Op>
concept OwnerOp = requires(Op& op, const Op& cop, Engine& e, std::string& detail) {
  { cop.check(e, detail) } -> std::same_as<error_code>;
  { op.as_owner(e) } -> std::same_as<OwnerStep<typename Op::Result>>;
};

template <class Op>
concept HasFollowUp = requires(Op& op, Engine& e, typename Op::Result& r) { op.finish(e, r); };

/// The snapshot a point read reads: its as_of, when it has one, resolved.
template <class Op>
Outcome<Version> snapshot_of(Engine& e, const Op& op) {
  if constexpr (requires { op.as_of; }) return e.resolve(op.as_of);
  else return e.visible();
}

/// The view a point read reads at `snapshot` (a time-travel view judges
/// TTLs at its point's time).
template <class Op>
actors::ReadView view_of(Engine& e, const Op& op, Version snapshot) {
  if constexpr (requires { op.as_of; }) return e.view_as_of(*op.run, op.as_of, snapshot);
  else return e.view(*op.run, snapshot);
}

// ---- synchronous ------------------------------------------------------------

template <class Op>
using ResultOf = typename std::decay_t<Op>::Result;

template <ReadOp Op>
Outcome<typename Op::Result> execute(Engine& e, const Op& op) {
  return op.read(e);
}

template <PointReadOp Op>
Outcome<typename Op::Result> execute(Engine& e, const Op& op) {
  auto key = op.point(e);
  if (!key) return Outcome<typename Op::Result>::fail(std::move(key));
  auto snapshot = snapshot_of(e, op);
  if (!snapshot) return Outcome<typename Op::Result>::fail(std::move(snapshot));
  return view_of(e, op, snapshot.value).visit(key.value, &Op::project);
}

template <class Op>
  requires CommitOp<std::decay_t<Op>>
Outcome<ResultOf<Op>> execute(Engine& e, Op&& op) {
  using R = ResultOf<Op>;
  auto prepared = op.prepare(e);
  if (!prepared) return Outcome<R>::fail(std::move(prepared));
  auto out = submit_commit(e, prepared.value);
  if (out.ec) return Outcome<R>::fail(out.ec, std::move(out.detail));
  return op.finish(out);
}

template <class Op>
  requires OwnerOp<std::decay_t<Op>>
Outcome<ResultOf<Op>> execute(Engine& e, Op&& op) {
  using R = ResultOf<Op>;
  Outcome<R> o;
  if ((o.ec = op.check(e, o.detail))) return o;
  auto step = submit(e, [&] { return op.as_owner(e); });
  if (step.ec) return Outcome<R>::fail(step.ec, std::move(step.detail));
  if constexpr (HasFollowUp<std::decay_t<Op>>) op.finish(e, step.value);
  return std::move(step.value);
}

// ---- asynchronous -----------------------------------------------------------

template <ReadOp Op>
void execute_async(Engine& e, const Op& op, Completion<typename Op::Result> c) {
  complete(c, op.read(e));
}

template <PointReadOp Op>
void execute_async(Engine& e, const Op& op, Completion<typename Op::Result> c) {
  auto key = op.point(e);
  if (!key) return complete(c, Outcome<typename Op::Result>::fail(std::move(key)));
  auto snapshot = snapshot_of(e, op);
  if (!snapshot) return complete(c, Outcome<typename Op::Result>::fail(std::move(snapshot)));
  view_of(e, op, snapshot.value).visit_async(std::move(key.value), [c = std::move(c)](const mvcc::VersionNode* node) mutable {
    c({}, {}, Op::project(node));
  });
}

template <class Op>
  requires CommitOp<std::decay_t<Op>>
void execute_async(Engine& e, Op&& op, Completion<ResultOf<Op>> c) {
  using D = std::decay_t<Op>;
  using R = typename D::Result;
  auto prepared = op.prepare(e);
  if (!prepared) return complete(c, Outcome<R>::fail(std::move(prepared)));
  if constexpr (MemberFinish<D>) {
    submit_commit_async(e, std::move(prepared.value),
                        [c = std::move(c), op = D(std::move(op))](commit::CommitOutcome out) mutable {
                          if (out.ec) return c(out.ec, std::move(out.detail), R{});
                          c({}, {}, op.finish(out));
                        });
  } else {
    prepared.value.keep_alive = op.run;
    submit_commit_async(e, std::move(prepared.value), [c = std::move(c)](commit::CommitOutcome out) mutable {
      if (out.ec) return c(out.ec, std::move(out.detail), R{});
      c({}, {}, D::finish(out));
    });
  }
}

template <class Op>
  requires OwnerOp<std::decay_t<Op>>
void execute_async(Engine& e, Op&& op, Completion<ResultOf<Op>> c) {
  using D = std::decay_t<Op>;
  using R = typename D::Result;
  std::string detail;
  if (error_code ec = op.check(e, detail)) return c(ec, std::move(detail), R{});
  if constexpr (HasFollowUp<D>) {
    // The follow-up runs after acknowledgement, in bounded asynchronous steps.
    auto shared = std::make_shared<D>(std::forward<Op>(op));
    submit_async(e, [&e, shared] { return shared->as_owner(e); },
                 [&e, shared, c = std::move(c)](OwnerStep<R> r) mutable {
                   if (r.ec) return c(r.ec, std::move(r.detail), R{});
                   shared->finish_async(e, std::move(r.value), std::move(c));
                 });
  } else {
    submit_async(e, [&e, op = D(std::forward<Op>(op))]() mutable { return op.as_owner(e); },
                 [c = std::move(c)](OwnerStep<R> r) mutable { c(r.ec, std::move(r.detail), std::move(r.value)); });
  }
}

}  // namespace strata::detail
