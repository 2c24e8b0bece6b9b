// strata::Session — executes Commands (docs/design/errors.md): what the CLI and servers
// call, one Session per client connection or shell.
//
// Contract:
//  * A Session owns a Strata handle; its current run starts as the handle's
//    and changes with cmd::RunUse.
//  * cmd::Begin opens the session's transaction. While it is open, every
//    data command (kv, event, state, json; reads included) goes through it:
//    reads see its snapshot plus its own writes, writes are buffered and
//    yield out::Done / out::Wrote instead of versions. kv_history and
//    event_verify read the committed database (they are whole-history
//    reads). Refused with errc::transaction_already_active while it is
//    open: a command naming another run than the transaction's, run
//    lifecycle changes (create, use, delete, status, metadata), flush,
//    compact and a second Begin. Ping, info, run_list and run_info work.
//  * cmd::Commit / cmd::Rollback without an open transaction:
//    errc::transaction_not_active. A Commit that fails (e.g.
//    transaction_conflict) still ends the transaction: its writes are
//    discarded and the session has no transaction afterwards.
//  * A command that fails inside a transaction leaves it open.
//  * Destroying a Session with an open transaction rolls it back.
//  * execute() runs a command on the calling thread; async_execute() is the
//    same command through the asynchronous core — what a server uses, one
//    Session per connection. Completion signature void(error_code, Output);
//    the handler runs on its associated executor (default: the database's);
//    an error carries its detail (error_detail). A command that routes
//    through the open transaction, or only touches memory, completes at once
//    (posted); commits, run changes, flush and compact complete when
//    acknowledged, without blocking the initiating thread.
//  * Not thread-safe: one Session is driven by one thread (or strand) at a
//    time, and one command at a time — start the next async_execute after
//    the previous one completed; use one Session per concurrent client.
#pragma once

#include <strata/command.hpp>
#include <strata/detail/initiate.hpp>
#include <strata/facade.hpp>
#include <strata/transaction.hpp>

#include <boost/asio/deferred.hpp>

#include <memory>
#include <optional>
#include <string>

namespace strata {

class Session {
 public:
  /// The session's current run is the handle's current run.
  explicit Session(Strata db);
  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) noexcept = default;
  ~Session() = default;  // an open transaction rolls back in ~Transaction

  /// Runs `command`. Throws strata::Error (the error of the operation, or a
  /// refusal described above).
  Output execute(const Command& command);
  /// Non-throwing form: on error sets `ec` (carrying the detail) and
  /// returns out::Done{}.
  Output execute(const Command& command, error_code& ec);
  /// Asynchronous form (see the contract above). The Session must stay alive
  /// until the completion ran. In a coroutine, build the Command in a
  /// variable before `co_await` (g++ 12 destroys an aggregate temporary
  /// inside a co_await expression twice).
  template <class Token = boost::asio::deferred_t>
  auto async_execute(Command command, Token&& token = {}) {
    return detail::initiate<Output>(std::forward<Token>(token), executor(),
                                    [this, command = std::move(command)](detail::Completion<Output> c) mutable {
                                      start_execute(std::move(command), std::move(c));
                                    });
  }

  bool in_transaction() const noexcept { return txn_.has_value(); }
  const std::string& current_run() const noexcept { return run_name_; }

 private:
  boost::asio::any_io_executor executor() const;
  void start_execute(Command command, detail::Completion<Output> c);
  friend class SessionDispatch;

  std::shared_ptr<Database> db_;
  std::shared_ptr<detail::RunState> run_;  // the current run (its identity, as for Strata)
  std::string run_name_;
  std::optional<Transaction> txn_;
};

}  // namespace strata
