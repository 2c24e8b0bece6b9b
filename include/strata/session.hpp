// strata::Session — executes Commands (SPEC §11): what the CLI and servers
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
//  * Not thread-safe: one Session is driven by one thread (or strand) at a
//    time; use one Session per concurrent client.
#pragma once

#include <strata/command.hpp>
#include <strata/facade.hpp>
#include <strata/transaction.hpp>

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
  /// Non-throwing form: on error sets `ec` and returns out::Done{}.
  Output execute(const Command& command, error_code& ec);

  bool in_transaction() const noexcept { return txn_.has_value(); }
  const std::string& current_run() const noexcept { return db_.current_run(); }

 private:
  Strata db_;
  std::optional<Transaction> txn_;
};

}  // namespace strata
