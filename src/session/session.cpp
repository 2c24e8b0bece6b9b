// Session::execute: one overload of apply() per command and front end (the
// database through a Strata handle, or the open Transaction), and a visitor
// that decides which front end a command may use (see session.hpp).
#include <strata/session.hpp>

#include "session/names.hpp"

#include <utility>

namespace strata {
namespace {

using session_detail::name_of;

PageRequest page_of(std::optional<std::size_t> limit, const std::string& cursor) { return {limit, cursor}; }
out::Keys keys_of(KeyPage page) { return {std::move(page.keys), std::move(page.next_cursor)}; }

// ---- on the database (auto-commit) ------------------------------------------------

Output apply(Strata& db, const cmd::KvPut& c) { return out::VersionOut{db.kv_put(c.key, c.value)}; }
Output apply(Strata& db, const cmd::KvGet& c) { return out::MaybeValue{db.kv_get(c.key)}; }
Output apply(Strata& db, const cmd::KvDelete& c) { return out::Existed{db.kv_delete(c.key)}; }
Output apply(Strata& db, const cmd::KvList& c) { return keys_of(db.kv_list(c.prefix, page_of(c.limit, c.cursor))); }
Output apply(Strata& db, const cmd::KvHistory& c) { return out::History{db.kv_history(c.key)}; }
Output apply(Strata& db, const cmd::EventAppend& c) { return out::Sequence{db.event_append(c.type, c.payload)}; }
Output apply(Strata& db, const cmd::EventRead& c) { return out::MaybeEvent{db.event_read(c.sequence)}; }
Output apply(Strata& db, const cmd::EventReadByType& c) { return out::Events{db.event_read_by_type(c.type, c.limit)}; }
Output apply(Strata& db, const cmd::EventRange& c) { return out::Events{db.event_range(c.from, c.to, c.limit)}; }
Output apply(Strata& db, const cmd::EventLen&) { return out::Length{db.event_len()}; }
Output apply(Strata& db, const cmd::EventVerify&) { return out::Verification{db.event_verify()}; }
Output apply(Strata& db, const cmd::StateSet& c) { return out::VersionOut{db.state_set(c.cell, c.value)}; }
Output apply(Strata& db, const cmd::StateRead& c) { return out::MaybeState{db.state_read(c.cell)}; }
Output apply(Strata& db, const cmd::StateInit& c) { return out::VersionOut{db.state_init(c.cell, c.value)}; }
Output apply(Strata& db, const cmd::StateCas& c) {
  return out::MaybeVersion{db.state_cas(c.cell, c.expected, c.value)};
}
Output apply(Strata& db, const cmd::JsonSet& c) { return out::VersionOut{db.json_set(c.key, c.path, c.value)}; }
Output apply(Strata& db, const cmd::JsonGet& c) { return out::MaybeValue{db.json_get(c.key, c.path)}; }
Output apply(Strata& db, const cmd::JsonDelete& c) { return out::Count{db.json_delete(c.key, c.path)}; }
Output apply(Strata& db, const cmd::JsonList& c) {
  return keys_of(db.json_list(c.prefix, page_of(c.limit, c.cursor)));
}
Output apply(Strata& db, const cmd::JsonArrayAppend& c) {
  return out::VersionOut{db.json_array_append(c.key, c.path, c.value)};
}
Output apply(Strata& db, const cmd::JsonIncr& c) { return out::ValueOut{db.json_incr(c.key, c.path, c.delta)}; }

Output apply(Strata& db, const cmd::RunCreate& c) { return out::RunOut{db.create_run(c.name, c.metadata)}; }
Output apply(Strata& db, const cmd::RunUse& c) {
  db.set_run(c.name);
  return out::RunSelected{db.current_run()};
}
Output apply(Strata& db, const cmd::RunList&) { return out::Runs{db.list_runs()}; }
Output apply(Strata& db, const cmd::RunInfo& c) { return out::RunOut{db.run_info(c.name)}; }
Output apply(Strata& db, const cmd::RunDelete& c) { return out::Deleted{db.delete_run(c.name)}; }
Output apply(Strata& db, const cmd::RunSetStatus& c) { return out::RunOut{db.set_run_status(c.name, c.status)}; }
Output apply(Strata& db, const cmd::RunSetMetadata& c) {
  return out::RunOut{db.set_run_metadata(c.name, c.metadata)};
}
Output apply(Strata& db, const cmd::Ping&) { return out::Pong{db.ping()}; }
Output apply(Strata& db, const cmd::Info&) { return out::InfoOut{db.info(), db.current_run()}; }
Output apply(Strata& db, const cmd::Flush&) {
  db.flush();
  return out::Done{};
}
Output apply(Strata& db, const cmd::Compact&) {
  db.compact();
  return out::Done{};
}

// ---- through the open transaction ------------------------------------------------

Output apply(Transaction& tx, const cmd::KvPut& c) {
  tx.kv_put(c.key, c.value);
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

// ---- which front end ---------------------------------------------------------------

template <class C, class... Ts>
concept OneOf = (std::same_as<C, Ts> || ...);

/// Has a transactional form: routed through the open transaction.
template <class C>
concept Transactional = requires(Transaction& tx, const C& c) { apply(tx, c); };
/// Whole-history reads: on the database, even inside a transaction.
template <class C>
concept HistoryRead = OneOf<C, cmd::KvHistory, cmd::EventVerify>;
/// Changes that cannot be part of a transaction: refused while one is open.
template <class C>
concept Refused = OneOf<C, cmd::RunCreate, cmd::RunUse, cmd::RunDelete, cmd::RunSetStatus, cmd::RunSetMetadata,
                        cmd::Flush, cmd::Compact>;
/// Fine at any time.
template <class C>
concept Anytime = OneOf<C, cmd::Ping, cmd::Info, cmd::RunList, cmd::RunInfo>;

class Dispatch {
 public:
  Dispatch(Strata& db, std::optional<Transaction>& txn) : db_(db), txn_(txn) {}

  template <Transactional C>
  Output operator()(const C& c) {
    if (!txn_) return on_run(c.run, [&](Strata& db) { return apply(db, c); });
    check_transaction_run<C>(c.run);
    return apply(*txn_, c);
  }

  template <HistoryRead C>
  Output operator()(const C& c) {
    if (!txn_) return on_run(c.run, [&](Strata& db) { return apply(db, c); });
    check_transaction_run<C>(c.run);
    return on_run(txn_->run(), [&](Strata& db) { return apply(db, c); });
  }

  template <Refused C>
  Output operator()(const C& c) {
    if (txn_)
      throw Error(errc::transaction_already_active,
                  std::string(name_of<C>()) + ": not allowed while a transaction is open on run \"" + txn_->run() +
                      "\"; commit or roll back first");
    return apply(db_, c);
  }

  template <Anytime C>
  Output operator()(const C& c) {
    return apply(db_, c);
  }

  Output operator()(const cmd::Begin& c) {
    if (txn_)
      throw Error(errc::transaction_already_active,
                  "begin: a transaction is already open on run \"" + txn_->run() + "\"; commit or roll back first");
    txn_.emplace(c.run ? db_.database()->begin(*c.run) : db_.begin());
    return out::TxnBegun{txn_->snapshot_version(), txn_->run()};
  }

  Output operator()(const cmd::Commit&) {
    Transaction tx = take("commit");
    try {
      return out::TxnCommitted{tx.commit()};
    } catch (const Error& e) {
      std::string why = e.detail().empty() ? e.code().message() : e.detail();
      throw Error(e.code(), why + "; the transaction is over and its writes were discarded (begin again)");
    }
  }

  Output operator()(const cmd::Rollback&) {
    take("rollback").rollback();
    return out::TxnRolledBack{};
  }

 private:
  // Runs fn on a handle whose current run is `run` (unset: the session's).
  template <class Fn>
  Output on_run(const std::optional<std::string>& run, Fn&& fn) {
    if (!run || *run == db_.current_run()) return fn(db_);
    Strata other(db_.database());
    other.set_run(*run);
    return fn(other);
  }

  template <class C>
  void check_transaction_run(const std::optional<std::string>& run) const {
    if (!run || *run == txn_->run()) return;
    throw Error(errc::transaction_already_active,
                std::string(name_of<C>()) + ": a transaction is open on run \"" + txn_->run() +
                    "\"; commit or roll back first to use run \"" + *run + "\"");
  }

  // Ends the session's transaction, handing it to the caller.
  Transaction take(std::string_view op) {
    if (!txn_)
      throw Error(errc::transaction_not_active, std::string(op) + ": no transaction is open (begin one first)");
    Transaction tx = std::move(*txn_);
    txn_.reset();
    return tx;
  }

  Strata& db_;
  std::optional<Transaction>& txn_;
};

}  // namespace

Session::Session(Strata db) : db_(std::move(db)) {}

Output Session::execute(const Command& command) { return std::visit(Dispatch(db_, txn_), command); }

Output Session::execute(const Command& command, error_code& ec) {
  try {
    Output out = execute(command);
    ec.clear();
    return out;
  } catch (const boost::system::system_error& e) {
    ec = e.code();
    return out::Done{};
  }
}

}  // namespace strata
