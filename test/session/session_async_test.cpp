// Session::async_execute (the form servers use): the same command script run
// through execute() on one database and async_execute() on another gives the
// same outputs and the same errors (code and message); it routes through an
// open transaction, refuses what execute refuses, completes flush and
// compact without blocking, and posts every completion (never inline).
#define BOOST_TEST_MODULE session_async
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <string>
#include <vector>

using namespace strata;
namespace asio = boost::asio;

namespace {

struct Outcome {
  error_code ec;
  std::string what;
  Output out;
};

Outcome run_sync(Session& s, const Command& c) {
  Outcome o;
  try {
    o.out = s.execute(c);
  } catch (const Error& e) {
    o.ec = e.code();
    o.what = e.what();
  }
  return o;
}

/// True on a thread while it is inside async_execute: a handler that sees it
/// set was invoked inline, which the Asio rules forbid.
thread_local bool t_initiating = false;

Outcome run_async(Session& s, const Command& c) {
  std::promise<Outcome> done;
  t_initiating = true;
  s.async_execute(c, [&](error_code ec, Output out) {
    BOOST_TEST(!t_initiating);  // posted, never invoked inside async_execute
    done.set_value({ec, ec ? boost::system::system_error(ec).what() : std::string(), std::move(out)});
  });
  t_initiating = false;
  return done.get_future().get();
}

/// A script over every kind of command, including failures and a transaction.
std::vector<Command> script() {
  return {
      cmd::KvPut{.key = "k", .value = 1},
      cmd::KvGet{.key = "k"},
      cmd::KvPut{.key = "", .value = 1},                     // key_empty
      cmd::KvList{.prefix = "", .limit = 0},                  // invalid_limit
      cmd::KvHistory{.key = "k"},
      cmd::EventAppend{.type = "t", .payload = {{"x", Value(1)}}},
      cmd::EventRead{.sequence = 1},
      cmd::EventRead{.sequence = 0},                          // invalid_sequence
      cmd::EventLen{},
      cmd::EventVerify{},
      cmd::StateSet{.cell = "c", .value = "v"},
      cmd::StateInit{.cell = "c", .value = "w"},
      cmd::StateCas{.cell = "c", .expected = Version{999}, .value = 2},
      cmd::StateRead{.cell = "c"},
      cmd::JsonSet{.key = "d", .path = "$.a", .value = Value::array({1})},
      cmd::JsonArrayAppend{.key = "d", .path = "$.a", .value = 2},
      cmd::JsonIncr{.key = "d", .path = "$.n", .delta = 1},   // invalid_path: nothing at $.n
      cmd::JsonGet{.key = "d", .path = "$"},
      cmd::JsonList{},
      cmd::JsonDelete{.key = "d", .path = "$.a[0]"},
      cmd::RunCreate{.name = "r"},
      cmd::RunCreate{.name = "r"},                            // run_exists
      cmd::RunUse{.name = "r"},
      cmd::KvPut{.key = "in-r", .value = true},
      cmd::RunDelete{.name = "r"},                            // run_is_current
      cmd::RunUse{.name = "default"},
      cmd::Begin{},
      cmd::KvPut{.key = "t", .value = 1},
      cmd::RunCreate{.name = "x"},                            // refused in a transaction
      cmd::KvGet{.key = "t"},
      cmd::Commit{},
      cmd::Commit{},                                          // transaction_not_active
      cmd::RunSetStatus{.name = "r", .status = RunStatus::Completed},
      cmd::RunInfo{.name = "r"},
      cmd::RunList{},
      cmd::RunDelete{.name = "r"},
      cmd::RunInfo{.name = "r"},                              // run_not_found
      cmd::Ping{},
      cmd::Flush{},
      cmd::Compact{},
  };
}

/// Equal outputs, ignoring wall-clock times (the two databases committed at
/// different microseconds) and event hashes (which cover the timestamp).
bool same_output(Output x, Output y) {
  auto untimed = [](Output& o) {
    if (auto* r = std::get_if<out::RunOut>(&o)) r->run.created_us = 0;
    if (auto* rs = std::get_if<out::Runs>(&o))
      for (auto& r : rs->runs) r.created_us = 0;
    if (auto* h = std::get_if<out::History>(&o))
      for (auto& v : h->versions) v.timestamp_us = 0;
    if (auto* e = std::get_if<out::MaybeEvent>(&o); e && e->event) e->event->timestamp_us = 0, e->event->hash.clear();
    if (auto* st = std::get_if<out::MaybeState>(&o); st && st->state) st->state->timestamp_us = 0;
  };
  untimed(x);
  untimed(y);
  return x == y;
}

}  // namespace

BOOST_AUTO_TEST_CASE(async_execute_gives_the_outputs_and_errors_of_execute) {
  Strata sync_db = Strata::open_temp(test::small_options());
  Strata async_db = Strata::open_temp(test::small_options());
  Session s(sync_db), a(async_db);
  std::size_t failures = 0;
  for (const Command& c : script()) {
    BOOST_TEST_CONTEXT(command_name(c)) {
      const Outcome x = run_sync(s, c);
      const Outcome y = run_async(a, c);
      BOOST_TEST(x.ec == y.ec);
      BOOST_TEST(x.what == y.what);
      if (!x.ec) BOOST_TEST(same_output(x.out, y.out), output_name(x.out) << " vs " << output_name(y.out));
      if (x.ec) ++failures;
      BOOST_TEST(s.in_transaction() == a.in_transaction());
      BOOST_TEST(s.current_run() == a.current_run());
    }
  }
  BOOST_TEST(failures == 9u);  // every failing command of the script failed in both
}

BOOST_AUTO_TEST_CASE(async_flush_and_compact_complete_on_a_durable_database) {
  test::TempDir dir("session-async");
  Options o = test::small_options();
  o.path = dir.db();
  o.durability = Durability::Strict;
  Strata db = Strata::open(dir.db(), o);
  Session s(db);
  BOOST_TEST(!run_async(s, cmd::KvPut{.key = "k", .value = 1}).ec);
  BOOST_TEST(!run_async(s, cmd::Flush{}).ec);
  BOOST_TEST(!run_async(s, cmd::Compact{}).ec);
  BOOST_TEST(db.info().compactions == 1u);
  db.close();
  const Outcome closed = run_async(s, cmd::Flush{});
  BOOST_TEST(closed.ec == make_error_code(errc::database_closed));
}

// A server drives one Session per connection from a coroutine: the whole
// transaction goes through async_execute on one io_context thread.
BOOST_AUTO_TEST_CASE(a_coroutine_drives_a_transaction_through_async_execute) {
  asio::io_context ioc;
  Options o = test::small_options();
  o.executor = ioc.get_executor();
  Strata db(Database::open(o));
  Session s(db);
  Version committed = 0;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        // Commands built before co_await: g++ 12 destroys an aggregate
        // temporary inside a co_await expression twice (session.hpp).
        const std::vector<Command> commands{cmd::Begin{}, cmd::KvPut{.key = "a", .value = 1},
                                            cmd::EventAppend{.type = "t", .payload = {}}, cmd::Commit{}};
        Output out;
        for (const Command& c : commands) out = co_await s.async_execute(c);
        committed = std::get<out::TxnCommitted>(out).version;
      },
      asio::detached);
  ioc.run();
  BOOST_TEST(committed > 0u);
  BOOST_TEST((db.kv_get("a") == Value(1)));
  BOOST_TEST(db.event_len() == 1u);
}
