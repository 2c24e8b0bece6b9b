// Regression tests for the bugs found by driving the public API as a hostile
// user would (sync vs async disagreements, overflows, identity, invalid
// text). Each case is named after the bug it pins; most run through every
// front end (support/frontends.hpp).
#define BOOST_TEST_MODULE api_regressions
#include "support/frontends.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <cmath>
#include <future>
#include <limits>
#include <thread>

using namespace strata;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::Front;
using strata::test::ok;

namespace asio = boost::asio;

namespace {

const std::string kNotUtf8 = "bad\xff\xfe";

/// Every call that must fail validation, as (name, call) pairs.
std::vector<std::pair<std::string, std::function<test::Result<bool>(Api&)>>> failing_calls() {
  auto as_bool = [](auto r) { return test::Result<bool>{r.ec, r.what, r.ok()}; };
  return {
      {"empty key", [=](Api& a) { return as_bool(a.kv_put("", 1)); }},
      {"key too long", [=](Api& a) { return as_bool(a.kv_get(std::string(1025, 'k'))); }},
      {"reserved key", [=](Api& a) { return as_bool(a.kv_delete("_strata/x")); }},
      {"value too large", [=](Api& a) { return as_bool(a.kv_put("big", std::string(kMaxValueBytes + 1, 'x'))); }},
      {"bad path", [=](Api& a) { return as_bool(a.json_set("doc", "$..", 1)); }},
      {"bad event type", [=](Api& a) { return as_bool(a.event_append("", Object{})); }},
      {"payload not an object", [=](Api& a) { return as_bool(a.event_append("t", 1)); }},
      {"string not utf8", [=](Api& a) { return as_bool(a.state_set("cell", kNotUtf8)); }},
      {"non-finite float", [=](Api& a) { return as_bool(a.kv_put("nan", std::nan(""))); }},
      {"limit 0", [=](Api& a) { return as_bool(a.kv_list("", PageRequest{0, {}})); }},
      {"foreign cursor", [=](Api& a) { return as_bool(a.json_list("", PageRequest{{}, "99:zzz"})); }},
      {"missing run", [=](Api& a) { return as_bool(a.run_info("nope")); }},
      {"bad run name", [=](Api& a) { return as_bool(a.create_run("a/b")); }},
      {"sequence 0", [=](Api& a) { return as_bool(a.event_read(0)); }},
  };
}

}  // namespace

// Bug: async completions dropped the error detail, so an async user got a
// bare category message where a sync user got one naming the key and limit.
BOOST_FIXTURE_TEST_CASE(validation_errors_have_the_same_code_and_message_through_every_front_end,
                        test::FrontendFixture) {
  for (const auto& [name, call] : failing_calls()) {
    BOOST_TEST_CONTEXT(name) {
      std::vector<test::Result<bool>> results;
      for (Front f : test::kFronts) {
        Api api(db, f);
        results.push_back(call(api));
      }
      BOOST_TEST(!results[0].ok());
      BOOST_TEST(!error_detail(results[0].ec).empty(), "the error carries no detail: " << results[0].what);
      for (std::size_t i = 1; i < results.size(); ++i) {
        BOOST_TEST(results[i].ec == results[0].ec);
        BOOST_TEST(results[i].what == results[0].what, test::kFronts[i] << ": \"" << results[i].what << "\" vs \""
                                                                          << results[0].what << "\"");
      }
    }
  }
  BOOST_TEST(db.info().commits == 0u);  // nothing was written
}

// An awaited operation throws the same text too (use_awaitable / deferred).
BOOST_FIXTURE_TEST_CASE(an_awaited_operation_throws_the_detailed_message, test::DbFixture) {
  std::string sync_what;
  try {
    db.kv_put("", 1);
  } catch (const Error& e) {
    sync_what = e.what();
  }
  auto db_ptr = db.database();
  std::promise<std::string> thrown;
  asio::co_spawn(
      db_ptr->get_executor(),
      [&]() -> asio::awaitable<void> {
        try {
          co_await db_ptr->async_kv_put("default", "", 1);
          thrown.set_value("no exception");
        } catch (const boost::system::system_error& e) {
          thrown.set_value(e.what());
        }
      },
      asio::detached);
  BOOST_TEST(thrown.get_future().get() == sync_what);
  BOOST_TEST(sync_what.find("key must not be empty") != std::string::npos);
}

// Bug: Transaction::async_commit never triggered auto-compaction, so an
// async-only workload grew its WAL without bound.
BOOST_AUTO_TEST_CASE(async_commits_trigger_auto_compaction) {
  test::TempDir dir("autocompact");
  Options o = test::small_options();
  o.path = dir.db();
  o.auto_compact_wal_bytes = 64 * 1024;
  auto db = Database::open(o);
  const std::string value(512, 'v');
  for (int i = 0; i < 2000; ++i) {
    if (i % 2 == 0) {
      db->async_kv_put("default", "k" + std::to_string(i), value, asio::use_future).get();
    } else {
      Transaction tx = db->begin("default");
      tx.kv_put("t" + std::to_string(i), value);
      tx.async_commit(asio::use_future).get();
    }
  }
  Strata handle(db);
  for (int waited = 0; handle.info().compactions == 0 && waited < 200; ++waited)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(handle.info().compactions >= 1u);
}

// Bug: async_delete_run erased the whole run's data during initiation, so
// initiation blocked for a large run. Now the data is freed by bounded steps
// queued on the shards: on an io_context that is not running yet, the
// initiation returns with the data still there.
BOOST_AUTO_TEST_CASE(async_delete_run_does_not_erase_during_initiation) {
  asio::io_context ioc;
  Options o = test::small_options();
  o.executor = ioc.get_executor();
  auto db = Database::open(o);
  Strata handle(db);
  handle.create_run("big");
  handle.set_run("big");
  for (int i = 0; i < 10000; ++i) handle.kv_put("k" + std::to_string(i), i);
  handle.set_run("default");
  std::optional<std::size_t> removed;
  db->async_delete_run("big", [&](error_code ec, std::size_t n) {
    BOOST_TEST(!ec);
    removed = n;
  });
  BOOST_TEST(!removed.has_value());
  BOOST_TEST(!handle.run_exists("big"));          // the run is gone at once...
  BOOST_TEST(handle.info().keys["kv"] == 10000u);  // ...its data is freed by the queued steps
  ioc.run();
  BOOST_TEST_REQUIRE(removed.has_value());
  BOOST_TEST(*removed == 10000u);
  BOOST_TEST(handle.info().keys["kv"] == 0u);
}

// Bug: PageRequest.limit = SIZE_MAX overflowed (limit + 1) and returned no
// keys, no cursor and no error.
STRATA_FRONTEND_TEST(a_page_limit_of_size_max_lists_every_key) {
  Api api(db, front);
  for (int i = 0; i < 5; ++i) {
    db.kv_put("k" + std::to_string(i), i);
    db.json_set("d" + std::to_string(i), "$", i);
  }
  for (std::size_t limit : {std::numeric_limits<std::size_t>::max(), std::numeric_limits<std::size_t>::max() - 1}) {
    const KeyPage kv = ok(api.kv_list("", PageRequest{limit, {}}));
    BOOST_TEST(kv.keys.size() == 5u);
    BOOST_TEST(!kv.next_cursor);
    const KeyPage docs = ok(api.json_list("", PageRequest{limit, {}}));
    BOOST_TEST(docs.keys.size() == 5u);
    BOOST_TEST(!docs.next_cursor);
    Transaction tx = db.begin();
    BOOST_TEST(tx.kv_list("", PageRequest{limit, {}}).keys.size() == 5u);
    BOOST_TEST(tx.json_list("", PageRequest{limit, {}}).keys.size() == 5u);
  }
}

// Bug: an async operation started after close() with a plain callback never
// completed (its handler was queued on the stopped pool). Now the pool keeps
// running until the Database is destroyed, and every operation completes
// exactly once with database_closed, whatever the token.
BOOST_AUTO_TEST_CASE(async_operations_after_close_complete_once_with_database_closed) {
  auto db = Database::open(test::small_options());
  db->close();
  std::promise<error_code> by_callback;
  int calls = 0;
  db->async_kv_get("default", "k", [&](error_code ec, std::optional<Value>) {
    ++calls;
    by_callback.set_value(ec);
  });
  BOOST_TEST(by_callback.get_future().get() == make_error_code(errc::database_closed));
  BOOST_TEST(calls == 1);

  try {
    db->async_kv_put("default", "k", 1, asio::use_future).get();
    BOOST_FAIL("no exception");
  } catch (const boost::system::system_error& e) {
    BOOST_TEST(e.code() == make_error_code(errc::database_closed));
  }
  error_code ec;

  asio::io_context ioc;
  error_code awaited;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        auto [e, n] = co_await db->async_event_len("default", asio::as_tuple(asio::use_awaitable));
        awaited = e;
      },
      asio::detached);
  ioc.run();
  BOOST_TEST(awaited == make_error_code(errc::database_closed));
  Transaction tx = Strata(db).begin(ec);
  BOOST_TEST(ec == make_error_code(errc::database_closed));
}

// Bug: a Strata handle whose run was deleted silently worked again — on the
// new, empty run — once another run of the same name was created. A handle
// keeps its run's identity: it stays run_not_found.
BOOST_FIXTURE_TEST_CASE(a_handle_of_a_deleted_run_never_writes_into_a_new_run_of_the_same_name, test::DbFixture) {
  Strata agent = other_handle();
  db.create_run("work");
  agent.set_run("work");
  agent.kv_put("mine", 1);
  db.delete_run("work");
  db.create_run("work");  // a stranger's run, same name
  STRATA_CHECK_ERRC(agent.kv_put("mine", 2), errc::run_not_found);
  error_code ec;
  agent.kv_get("mine", ec);
  BOOST_TEST(ec == make_error_code(errc::run_not_found));
  BOOST_TEST(std::string(error_detail(ec)).find("was deleted") != std::string::npos);
  STRATA_CHECK_ERRC(agent.begin(), errc::run_not_found);
  db.set_run("work");
  BOOST_TEST(!db.kv_get("mine").has_value());  // the stranger's run is untouched
  agent.set_run("work");                       // choosing the new run explicitly works
  BOOST_TEST(!agent.kv_get("mine").has_value());
}

// Bug: invalid UTF-8 was accepted in String values and Object keys (and in
// JSON path members). Refused with invalid_utf8 (invalid_path for paths),
// and nothing is written.
STRATA_FRONTEND_TEST(text_that_is_not_utf8_is_refused_everywhere) {
  Api api(db, front);
  check_fails(api.kv_put("k", kNotUtf8), errc::invalid_utf8, {"not valid UTF-8", "\\xff"});
  check_fails(api.kv_put("k", Value::object({{kNotUtf8, 1}})), errc::invalid_utf8, {"Object key"});
  check_fails(api.kv_put("k", Value::array({1, Value::object({{"a", kNotUtf8}})})), errc::invalid_utf8);
  check_fails(api.state_set("c", kNotUtf8), errc::invalid_utf8);
  check_fails(api.event_append("t", Value::object({{"s", kNotUtf8}})), errc::invalid_utf8);
  check_fails(api.json_set("d", "$", Value::object({{kNotUtf8, 1}})), errc::invalid_utf8);
  check_fails(api.json_set("d", "$." + kNotUtf8, 1), errc::invalid_path, {"UTF-8"});
  check_fails(api.json_get("d", "$[\"" + kNotUtf8 + "\"]"), errc::invalid_path, {"UTF-8"});
  BOOST_TEST(db.info().commits == 0u);
  BOOST_TEST(ok(api.kv_put("k", "h\xc3\xa9llo \xf0\x9f\x9a\x80")) > 0u);  // valid UTF-8 is fine
}

// Bug: NaN and ±Inf were stored but could not be printed (to_json_string
// threw), so the CLI could not show a stored value. They are refused at
// write (non_finite_float), so every stored value prints.
STRATA_FRONTEND_TEST(non_finite_floats_are_refused_so_every_stored_value_prints) {
  Api api(db, front);
  const double inf = std::numeric_limits<double>::infinity();
  check_fails(api.kv_put("k", std::nan("")), errc::non_finite_float, {"NaN"});
  check_fails(api.kv_put("k", -inf), errc::non_finite_float, {"-Infinity"});
  check_fails(api.kv_put("k", Value::array({1.0, inf})), errc::non_finite_float);
  check_fails(api.json_set("d", "$.x", inf), errc::non_finite_float);
  check_fails(api.json_incr("d", "$.x", std::nan("")), errc::non_finite_float);
  check_fails(api.state_cas("c", std::nullopt, inf), errc::non_finite_float);
  Transaction tx = db.begin();
  STRATA_CHECK_ERRC(tx.kv_put("k", inf), errc::non_finite_float);
  BOOST_TEST(db.info().commits == 0u);
  ok(api.kv_put("k", Value::array({1.5, -0.0, 1e308})));
  BOOST_CHECK_NO_THROW(ok(api.kv_get("k"))->to_json_string());
}

// A json_incr that would overflow a Float to infinity is refused as well.
STRATA_FRONTEND_TEST(a_float_increment_to_infinity_is_refused) {
  Api api(db, front);
  ok(api.json_set("d", "$.x", 1.7e308));
  check_fails(api.json_incr("d", "$.x", 1.7e308), errc::non_finite_float);
  BOOST_TEST(*ok(api.json_get("d", "$.x")) == Value(1.7e308));
}

// Decision (docs/guides/transactions.md): a write rejected inside a
// transaction changes nothing and leaves the transaction usable — its other
// writes still commit, as a rejected auto-commit leaves the database as it
// was. (A failed JSON edit, e.g. document_not_found, can then be handled in
// the same transaction.)
STRATA_FRONTEND_TEST(a_rejected_write_leaves_the_transaction_usable) {
  Api api(db, front);
  Transaction tx = db.begin();
  tx.kv_put("a", 1);
  error_code ec;
  tx.kv_put("big", std::string(kMaxValueBytes + 1, 'x'), ec);
  BOOST_TEST(ec == make_error_code(errc::value_too_large));
  tx.json_incr("missing", "$.n", 1, ec);
  BOOST_TEST(ec == make_error_code(errc::document_not_found));
  tx.json_set("missing", "$.n", 1);
  BOOST_TEST(tx.active());
  ok(api.commit(tx));
  BOOST_TEST(*db.kv_get("a") == Value(1));
  BOOST_TEST(!db.kv_get("big").has_value());
  BOOST_TEST(*db.json_get("missing", "$.n") == Value(1));
}

// Bug: delete_run returned a count of internal entries (25 for 20 KV keys, 1
// cell, 1 document, 1 event) where the docs promise the entries removed.
STRATA_FRONTEND_TEST(delete_run_returns_the_number_of_user_entries_removed) {
  Api api(db, front);
  ok(api.create_run("r"));
  Strata r = other_handle();
  r.set_run("r");
  for (int i = 0; i < 20; ++i) r.kv_put("k" + std::to_string(i), i);
  r.kv_put("deleted", 1);
  r.kv_delete("deleted");  // a tombstone is not an entry
  r.state_set("cell", 1);
  r.json_set("doc", "$.a", 1);
  r.event_append("e", Object{});
  BOOST_TEST(ok(api.delete_run("r")) == 23u);
  BOOST_TEST(db.info().keys["kv"] == 0u);
}

// Bug: run names "." and ".." were accepted; a run name becomes a file name
// in exports.
STRATA_FRONTEND_TEST(run_names_dot_and_dot_dot_are_refused) {
  Api api(db, front);
  check_fails(api.create_run("."), errc::invalid_run_name, {"reserved"});
  check_fails(api.create_run(".."), errc::invalid_run_name, {"reserved"});
  check_fails(api.run_info(".."), errc::invalid_run_name);
  BOOST_TEST(ok(api.create_run("...")).name == "...");
}
