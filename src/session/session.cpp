// Session::execute / async_execute: one dispatcher decides, per command,
// which front end it uses — the open transaction (apply(Transaction&, ...)),
// or the database through the command's operation (session/command_ops.hpp)
// — and runs it synchronously or through the asynchronous drivers.
#include <strata/session.hpp>

#include "engine/engine.hpp"
#include "engine/op_driver.hpp"
#include "session/command_ops.hpp"
#include "session/names.hpp"
#include "txn/txn_state.hpp"

#include <utility>

namespace strata {

using detail::Completion;
using detail::Outcome;
using session_detail::name_of;
using session_detail::OpCommand;
using session_detail::page_of;
using session_detail::keys_of;

namespace {

// ---- through the open transaction (in memory: always synchronous) ------------------

Output apply(Transaction& tx, const cmd::KvPut& c) {
  tx.kv_put(c.key, c.value, session_detail::put_options_of(c));
  return out::Done{};
}
Output apply(Transaction& tx, const cmd::KvGet& c) { return out::MaybeValue{tx.kv_get(c.key)}; }
Output apply(Transaction& tx, const cmd::KvDelete& c) { return out::Existed{tx.kv_delete(c.key)}; }
Output apply(Transaction& tx, const cmd::KvList& c) {
  return keys_of(tx.kv_list(c.prefix, page_of(c.limit, c.cursor)));
}
Output apply(Transaction& tx, const cmd::EventAppend& c) {
  tx.event_append(c.type, c.payload);
  return out::Done{};
}
Output apply(Transaction& tx, const cmd::EventRead& c) { return out::MaybeEvent{tx.event_read(c.sequence)}; }
Output apply(Transaction& tx, const cmd::EventReadByType& c) {
  return out::Events{tx.event_read_by_type(c.type, c.limit)};
}
Output apply(Transaction& tx, const cmd::EventRange& c) { return out::Events{tx.event_range(c.from, c.to, c.limit)}; }
Output apply(Transaction& tx, const cmd::EventLen&) { return out::Length{tx.event_len()}; }
Output apply(Transaction& tx, const cmd::StateSet& c) {
  tx.state_set(c.cell, c.value);
  return out::Done{};
}
Output apply(Transaction& tx, const cmd::StateRead& c) { return out::MaybeState{tx.state_read(c.cell)}; }
Output apply(Transaction& tx, const cmd::StateInit& c) { return out::Wrote{tx.state_init(c.cell, c.value)}; }
Output apply(Transaction& tx, const cmd::StateCas& c) {
  return out::Wrote{tx.state_cas(c.cell, c.expected, c.value)};
}
Output apply(Transaction& tx, const cmd::JsonSet& c) {
  tx.json_set(c.key, c.path, c.value);
  return out::Done{};
}
Output apply(Transaction& tx, const cmd::JsonGet& c) { return out::MaybeValue{tx.json_get(c.key, c.path)}; }
Output apply(Transaction& tx, const cmd::JsonDelete& c) { return out::Count{tx.json_delete(c.key, c.path)}; }
Output apply(Transaction& tx, const cmd::JsonList& c) {
  return keys_of(tx.json_list(c.prefix, page_of(c.limit, c.cursor)));
}
Output apply(Transaction& tx, const cmd::JsonArrayAppend& c) {
  tx.json_array_append(c.key, c.path, c.value);
  return out::Done{};
}
Output apply(Transaction& tx, const cmd::JsonIncr& c) { return out::ValueOut{tx.json_incr(c.key, c.path, c.delta)}; }
Output apply(Transaction& tx, const cmd::VectorUpsert& c) {
  tx.vector_upsert(c.collection, c.key, c.vector, c.metadata);
  return out::Done{};
}
Output apply(Transaction& tx, const cmd::VectorUpsertBatch& c) {
  tx.vector_upsert_batch(c.collection, c.records);
  return out::Done{};
}
Output apply(Transaction& tx, const cmd::VectorGet& c) { return out::MaybeVector{tx.vector_get(c.collection, c.key)}; }
Output apply(Transaction& tx, const cmd::VectorDelete& c) { return out::Existed{tx.vector_delete(c.collection, c.key)}; }

// ---- which front end ---------------------------------------------------------------

template <class C, class... Ts>
concept OneOf = (std::same_as<C, Ts> || ...);

/// Has a transactional form: routed through the open transaction.
template <class C>
concept Transactional = requires(Transaction& tx, const C& c) { apply(tx, c); };
/// Whole-history reads: on the database, even inside a transaction.
template <class C>
concept HistoryRead = OneOf<C, cmd::KvHistory, cmd::StateHistory, cmd::JsonHistory, cmd::VectorHistory, cmd::EventVerify, cmd::VectorSearch, cmd::VectorList, cmd::VectorInfo>;
/// Changes that cannot be part of a transaction: refused while one is open.
template <class C>
concept Refused = OneOf<C, cmd::RunCreate, cmd::RunFork, cmd::RunMerge, cmd::RunReplay, cmd::RunUse, cmd::RunDelete, cmd::RunSetStatus, cmd::RunSetMetadata,
                        cmd::Flush, cmd::Compact, cmd::VectorCreate, cmd::VectorDrop>;

template <class T>
Outcome<T> refusal(errc e, std::string detail) {
  return detail::fail<T>(e, std::move(detail));
}

/// Runs a throwing call (a Transaction method) as an Outcome.
template <class Fn>
Outcome<Output> catching(Fn&& fn) {
  try {
    return fn();
  } catch (const Error& e) {
    return Outcome<Output>::fail(e.code(), e.detail());
  }
}

}  // namespace

/// How a Session executes one command. A command either yields an Outcome
/// at once (ready) or was handed to an asynchronous driver that completes
/// `c` itself (async mode only).
class SessionDispatch {
 public:
  SessionDispatch(Session& s, Completion<Output>* async) : s_(s), e_(*s.db_->engine_), async_(async) {}

  /// Runs the command; returns the outcome, or nullopt when an async driver
  /// took the completion.
  std::optional<Outcome<Output>> run(const Command& command) {
    return std::visit([this](const auto& c) { return dispatch(c); }, command);
  }

 private:
  using Result = std::optional<Outcome<Output>>;

  template <Transactional C>
  Result dispatch(const C& c) {
    if (!s_.txn_) return on_run(c.run, c);
    if (auto bad = check_transaction_run<C>(c.run)) return std::move(*bad);
    // A time-travel read is of the committed history, not of the
    // transaction's snapshot and pending writes.
    if constexpr (requires { c.as_of; })
      if (c.as_of) return run_op(s_.txn_->state_->run, c);
    return catching([&] { return apply(*s_.txn_, c); });
  }

  template <HistoryRead C>
  Result dispatch(const C& c) {
    if (!s_.txn_) return on_run(c.run, c);
    if (auto bad = check_transaction_run<C>(c.run)) return std::move(*bad);
    return run_op(s_.txn_->state_->run, c);
  }

  template <Refused C>
  Result dispatch(const C& c) {
    if (s_.txn_)
      return refusal<Output>(errc::transaction_already_active,
                             std::string(name_of<C>()) + ": not allowed while a transaction is open on run \"" +
                                 s_.txn_->run() + "\"; commit or roll back first");
    return lifecycle(c);
  }

  Result dispatch(const cmd::RunList& c) { return run_op(s_.run_, c); }
  Result dispatch(const cmd::RunInfo& c) { return run_op(s_.run_, c); }
  // The committed database, even inside a transaction (a whole-run read).
  Result dispatch(const cmd::RunDigest& c) { return run_op(s_.run_, c); }
  Result dispatch(const cmd::RunDiff& c) { return run_op(s_.run_, c); }
  Result dispatch(const cmd::Ping&) {
    std::string detail;
    if (auto ec = e_.check_open(detail)) return Outcome<Output>::fail(ec, std::move(detail));
    return Outcome<Output>(out::Pong{"PONG"});
  }
  Result dispatch(const cmd::Info&) { return Outcome<Output>(out::InfoOut{e_.info(), s_.run_name_}); }

  Result dispatch(const cmd::Begin& c) {
    if (s_.txn_)
      return refusal<Output>(errc::transaction_already_active, "begin: a transaction is already open on run \"" +
                                                                   s_.txn_->run() + "\"; commit or roll back first");
    auto state = c.as_of ? (c.run ? detail::begin_transaction(e_, *c.run, *c.as_of)
                                  : detail::begin_transaction(e_, s_.run_, *c.as_of))
                         : (c.run ? detail::begin_transaction(e_, *c.run) : detail::begin_transaction(e_, s_.run_));
    if (!state) return Outcome<Output>::fail(std::move(state));
    s_.txn_.emplace(Transaction(std::move(state.value), s_.db_->get_executor()));
    return Outcome<Output>(out::TxnBegun{s_.txn_->snapshot_version(), s_.txn_->run()});
  }

  Result dispatch(const cmd::Commit&) {
    if (!s_.txn_) return not_open("commit");
    std::unique_ptr<detail::TxnState> state = std::move(s_.txn_->state_);
    s_.txn_.reset();
    auto ended = [](error_code ec, std::string detail) {
      std::string why = detail.empty() ? ec.message() : detail;
      return Outcome<Output>::fail(ec, why + "; the transaction is over and its writes were discarded (begin again)");
    };
    if (!async_) {
      auto v = detail::commit_transaction(*state);
      if (!v) return ended(v.ec, std::move(v.detail));
      return Outcome<Output>(out::TxnCommitted{v.value});
    }
    auto& txn = *state;
    detail::commit_transaction_async(
        txn, Completion<Version>([c = std::move(*async_), state = std::move(state), ended](
                                     error_code ec, std::string detail, Version v) mutable {
          if (ec) return detail::complete(c, ended(ec, std::move(detail)));
          c({}, {}, out::TxnCommitted{v});
        }));
    return std::nullopt;
  }

  Result dispatch(const cmd::Rollback&) {
    if (!s_.txn_) return not_open("rollback");
    s_.txn_->rollback();
    s_.txn_.reset();
    return Outcome<Output>(out::TxnRolledBack{});
  }

  // ---- run lifecycle, flush, compact (no transaction open) -------------------------

  Result lifecycle(const cmd::RunUse& c) {
    auto r = e_.resolve_run(c.name);
    if (!r) return Outcome<Output>::fail(std::move(r));
    s_.run_ = std::move(r.value);
    s_.run_name_ = c.name;
    return Outcome<Output>(out::RunSelected{s_.run_name_});
  }
  Result lifecycle(const cmd::RunDelete& c) {
    if (c.name == s_.run_name_ && c.name != "default")
      return refusal<Output>(errc::run_is_current,
                             "run \"" + c.name + "\" is this session's current run; switch away first");
    return run_op(s_.run_, c);
  }
  Result lifecycle(const cmd::RunFork& c) { return on_run(c.run, c); }
  Result lifecycle(const cmd::VectorCreate& c) { return on_run(c.run, c); }
  Result lifecycle(const cmd::VectorDrop& c) { return on_run(c.run, c); }
  template <class C>
  Result lifecycle(const C& c) {
    return run_op(s_.run_, c);
  }
  Result lifecycle(const cmd::Flush&) {
    return blocking([this](auto cb) { e_.flush_async(std::move(cb)); }, [this] { return e_.flush(); });
  }
  Result lifecycle(const cmd::Compact&) {
    return blocking([this](auto cb) { e_.compact_async(std::move(cb)); }, [this] { return e_.compact(); });
  }

  // ---- helpers -------------------------------------------------------------------------

  /// The command's operation on `run`, synchronously or through the async driver.
  template <OpCommand C>
  Result run_op(const detail::RunRef& run, const C& c) {
    using session_detail::op_of;
    using session_detail::out_of;
    auto op = op_of(run, c);
    using R = typename decltype(op)::Result;
    if (!async_) {
      auto r = detail::execute(e_, std::move(op));
      if (!r) return Outcome<Output>::fail(std::move(r));
      return Outcome<Output>(out_of(c, std::move(r.value)));
    }
    detail::execute_async(e_, std::move(op),
                          Completion<R>([c = std::move(*async_)](error_code ec, std::string detail, R r) mutable {
                            if (ec) return c(ec, std::move(detail), Output{});
                            c({}, {}, out_of(C{}, std::move(r)));
                          }));
    return std::nullopt;
  }

  /// Runs `c` on the run it names (unset: the session's current run).
  template <OpCommand C>
  Result on_run(const std::optional<std::string>& run, const C& c) {
    if (!run || *run == s_.run_name_) return run_op(s_.run_, c);
    auto r = e_.resolve_run(*run);
    if (!r) return Outcome<Output>::fail(std::move(r));
    return run_op(r.value, c);
  }

  /// flush / compact: waits in execute, hands off in async_execute.
  template <class Start, class Wait>
  Result blocking(Start&& start, Wait&& wait) {
    if (!async_) {
      auto st = wait();
      if (!st) return Outcome<Output>::fail(st.ec, st.detail);
      return Outcome<Output>(out::Done{});
    }
    auto shared = std::make_shared<Completion<Output>>(std::move(*async_));
    start([shared](io::IoStatus st) {
      if (!st) return (*shared)(st.ec, st.detail, Output{});
      (*shared)({}, {}, out::Done{});
    });
    return std::nullopt;
  }

  template <class C>
  std::optional<Outcome<Output>> check_transaction_run(const std::optional<std::string>& run) const {
    if (!run || *run == s_.txn_->run()) return std::nullopt;
    return refusal<Output>(errc::transaction_already_active,
                           std::string(name_of<C>()) + ": a transaction is open on run \"" + s_.txn_->run() +
                               "\"; commit or roll back first to use run \"" + *run + "\"");
  }

  static Result not_open(std::string_view op) {
    return refusal<Output>(errc::transaction_not_active, std::string(op) + ": no transaction is open (begin one first)");
  }

  Session& s_;
  detail::Engine& e_;
  Completion<Output>* async_;  // set in async mode
};

Session::Session(Strata db) : db_(db.db_), run_(db.run_), run_name_(db.run_name_) {}

boost::asio::any_io_executor Session::executor() const { return db_->get_executor(); }

Output Session::execute(const Command& command) {
  return detail::value_or_throw(*SessionDispatch(*this, nullptr).run(command));
}

Output Session::execute(const Command& command, error_code& ec) {
  return detail::value_or_code(*SessionDispatch(*this, nullptr).run(command), ec);
}

void Session::start_execute(Command command, Completion<Output> c) {
  if (auto ready = SessionDispatch(*this, &c).run(command)) detail::complete(c, std::move(*ready));
}

}  // namespace strata
