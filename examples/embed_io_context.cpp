// embed_io_context — StrataDB running entirely on the embedder's io_context.
//
// An Asio program (a server, an agent runtime) usually owns an io_context
// already. Passing its executor in Options makes the database run there: no
// internal thread pool is started, every completion handler runs inside the
// embedder's io_context::run(), and coroutines simply co_await the database.
//
// Here three "agents" run as coroutines on one single-threaded io_context.
// Each writes to its own run, and all of them increment one shared counter on
// the "default" run inside async_transaction, yielding between the read and
// the write so that they really do conflict; the retries keep the count
// exact. No network is involved.
#include <strata/strata.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdint>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

namespace asio = boost::asio;

namespace {

constexpr int kAgents = 3;
constexpr int kIncrements = 10;

/// One shared-counter increment: read, let the other agents run, write.
asio::awaitable<std::int64_t> increment_counter(strata::Transaction& tx) {
  auto current = tx.kv_get("counter");
  // Suspending here lets another agent commit in between, so this commit
  // conflicts and async_transaction retries it on a fresh snapshot.
  co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  const std::int64_t next = (current ? current->as_int() : 0) + 1;
  tx.kv_put("counter", next);
  co_return next;
}

asio::awaitable<void> agent(std::shared_ptr<strata::Database> db, std::string run) {
  // The default completion token is asio::deferred, so operations can be
  // co_awaited directly; errors are thrown as boost::system::system_error.
  co_await db->async_create_run(run);
  for (int i = 0; i < kIncrements; ++i) {
    co_await db->async_kv_put(run, "step:" + std::to_string(i), i);
    co_await db->async_transaction("default", increment_counter);
  }
  // A named PageRequest, not the `= {}` default: g++ 12 mis-destroys
  // aggregate temporaries inside a co_await expression (see docs/guides/async.md).
  const strata::PageRequest all_keys;
  const strata::KeyPage page = co_await db->async_kv_list(run, "step:", all_keys);
  std::cout << "  " << run << ": wrote " << page.keys.size() << " keys to its own run, "
            << kIncrements << " counter increments\n";
}

/// Errors as values instead of exceptions: as_tuple(use_awaitable).
asio::awaitable<void> show_error_handling(std::shared_ptr<strata::Database> db) {
  auto [ec, value] = co_await db->async_kv_get("no-such-run", "k", asio::as_tuple(asio::use_awaitable));
  std::cout << "  async_kv_get on a missing run -> error \"" << ec.message() << "\" (strata::errc "
            << ec.value() << ")\n";
}

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

}  // namespace

int main() {
  try {
    asio::io_context io;  // the embedder's: one thread, the one calling run()
    strata::Options options;               // no path: in memory
    options.executor = io.get_executor();  // run here; start no internal thread
    options.shards = 4;
    options.max_transaction_attempts = 64;  // the agents conflict on purpose
    auto db = strata::Database::open(options);

    // A plain callback works too; like every handler it runs inside io.run().
    db->async_ping([](strata::error_code ec, std::string pong) {
      std::cout << "  async_ping -> " << (ec ? ec.message() : pong) << '\n';
    });
    for (int a = 0; a < kAgents; ++a)
      asio::co_spawn(io, agent(db, "agent-" + std::to_string(a)), rethrow);
    asio::co_spawn(io, show_error_handling(db), rethrow);

    std::cout << "running " << kAgents << " agents on the embedder's io_context\n";
    io.run();  // returns when every operation and coroutine has finished

    // The synchronous facade works on the same database, inline.
    strata::Strata sync(db);
    const auto counter = sync.kv_get("counter");
    const auto info = sync.info();
    std::cout << "counter = " << (counter ? counter->to_json_string() : "(nil)") << " (expected "
              << kAgents * kIncrements << "); commits " << info.commits << ", conflicts retried "
              << info.conflicts << ", internal threads " << info.threads << '\n';
    return counter == strata::Value(kAgents * kIncrements) ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "embed_io_context: " << e.what() << '\n';
    return 1;
  }
}
