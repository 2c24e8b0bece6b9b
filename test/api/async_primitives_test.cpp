// The async core's event, state and JSON operations (docs/design/api.md, docs/design/primitives.md): each
// works with asio::use_future and with the default deferred token under
// co_await, reports errors as error codes through as_tuple, never invokes
// its completion inline, and completes through the handler's associated
// executor. Ends with async_transaction over every primitive.
#define BOOST_TEST_MODULE api_async_primitives
#include <boost/test/unit_test.hpp>

#include "support/inline_probe.hpp"
#include "support/tracking_executor.hpp"

#include <strata/strata.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::Database;
using strata::errc;
using strata::error_code;
using strata::Object;
using strata::Options;
using strata::PageRequest;
using strata::Transaction;
using strata::Value;
using strata::Version;

namespace {

bool is(const error_code& ec, errc e) { return ec == make_error_code(e); }

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Value ev(int i) { return Value::object({{"i", i}}); }
Value json(std::string_view text) { return Value::parse_json(text); }

/// A database on an io_context the test runs itself; ioc outlives it.
struct EmbeddedDb {
  asio::io_context ioc;
  std::shared_ptr<Database> db;

  EmbeddedDb() {
    Options o;
    o.shards = 2;
    o.executor = ioc.get_executor();
    db = Database::open(std::move(o));
  }

  void drain() {
    ioc.restart();
    ioc.run_for(20s);
    BOOST_TEST(ioc.stopped(), "io_context still had work after 20 s (leaked operation?)");
  }

  template <class Body>
  void run(Body body) {
    bool finished = false;
    std::exception_ptr failure;
    asio::co_spawn(ioc, std::move(body), [&](std::exception_ptr e) {
      finished = true;
      failure = e;
    });
    drain();
    BOOST_TEST_REQUIRE(finished);
    if (failure) std::rethrow_exception(failure);
  }
};

using strata::test::InlineProbe;

/// Every new operation once with a result known at initiation (success,
/// validation error or unknown run).
template <class Wrap>
void start_every_primitive_op(InlineProbe& p, Database& db, Wrap wrap) {
  p.check([&](auto h) { db.async_event_append("default", "t", ev(1), wrap(h)); });
  p.check([&](auto h) { db.async_event_append("default", "", ev(1), wrap(h)); });
  p.check([&](auto h) { db.async_event_read("default", 1, wrap(h)); });
  p.check([&](auto h) { db.async_event_read("default", 0, wrap(h)); });
  p.check([&](auto h) { db.async_event_read_by_type("default", "t", std::nullopt, wrap(h)); });
  p.check([&](auto h) { db.async_event_range("default", 1, 5, std::nullopt, wrap(h)); });
  p.check([&](auto h) { db.async_event_len("default", wrap(h)); });
  p.check([&](auto h) { db.async_event_len("no-such-run", wrap(h)); });
  p.check([&](auto h) { db.async_event_verify("default", wrap(h)); });
  p.check([&](auto h) { db.async_state_set("default", "c", Value(1), wrap(h)); });
  p.check([&](auto h) { db.async_state_read("default", "c", wrap(h)); });
  p.check([&](auto h) { db.async_state_init("default", "c", Value(2), wrap(h)); });
  p.check([&](auto h) { db.async_state_cas("default", "c", std::nullopt, Value(3), wrap(h)); });
  p.check([&](auto h) { db.async_state_set("default", "", Value(1), wrap(h)); });
  p.check([&](auto h) { db.async_json_set("default", "d", "$.a", Value::array({}), wrap(h)); });
  p.check([&](auto h) { db.async_json_get("default", "d", "$.a", wrap(h)); });
  p.check([&](auto h) { db.async_json_array_append("default", "d", "$.a", Value(1), wrap(h)); });
  p.check([&](auto h) { db.async_json_set("default", "d", "$.n", Value(0), wrap(h)); });
  p.check([&](auto h) { db.async_json_incr("default", "d", "$.n", Value(1), wrap(h)); });
  p.check([&](auto h) { db.async_json_delete("default", "d", "$.n", wrap(h)); });
  p.check([&](auto h) { db.async_json_list("default", "", PageRequest(), wrap(h)); });
  p.check([&](auto h) { db.async_json_get("default", "d", "bad", wrap(h)); });
  p.check([&](auto h) { db.async_json_incr("default", "missing", "$.n", Value(1), wrap(h)); });
}

const auto kPlain = [](auto h) { return h; };

}  // namespace

// ---- use_future ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(use_future_on_the_internal_pool) {
  Options o;
  o.shards = 2;
  o.threads = 2;
  auto db = Database::open(o);
  const auto f = asio::use_future;
  BOOST_TEST(db->async_event_append("default", "a", ev(1), f).get() == 1u);
  BOOST_TEST(db->async_event_append("default", "b", ev(2), f).get() == 2u);
  BOOST_TEST(db->async_event_read("default", 2, f).get()->type == "b");
  BOOST_TEST(db->async_event_read_by_type("default", "a", std::nullopt, f).get().size() == 1u);
  BOOST_TEST(db->async_event_range("default", 1, 2, 1, f).get().size() == 1u);
  BOOST_TEST(db->async_event_len("default", f).get() == 2u);
  BOOST_TEST(db->async_event_verify("default", f).get().checked == 2u);

  const Version v = db->async_state_set("default", "c", Value(1), f).get();
  BOOST_TEST(db->async_state_read("default", "c", f).get()->version == v);
  BOOST_TEST(db->async_state_init("default", "c", Value(9), f).get() == v);
  BOOST_TEST(db->async_state_cas("default", "c", v, Value(2), f).get().has_value());
  BOOST_TEST(!db->async_state_cas("default", "c", v, Value(3), f).get().has_value());

  db->async_json_set("default", "d", "$", json(R"({"n":1,"l":[]})"), f).get();
  BOOST_TEST((db->async_json_get("default", "d", "$.n", f).get() == Value(1)));
  BOOST_TEST((db->async_json_incr("default", "d", "$.n", Value(2), f).get() == Value(3)));
  db->async_json_array_append("default", "d", "$.l", Value("x"), f).get();
  BOOST_TEST((db->async_json_get("default", "d", "$.l", f).get() == json(R"(["x"])")));
  BOOST_TEST(db->async_json_delete("default", "d", "$.l", f).get() == 1u);
  BOOST_TEST((db->async_json_list("default", "", PageRequest(), f).get().keys == std::vector<std::string>{"d"}));

  // Errors through the packaged-task form of use_future (no exception_ptr).
  auto code = [](error_code ec, auto&&) { return ec; };
  BOOST_TEST(is(db->async_event_append("default", "t", Value(1), f(code)).get(), errc::wrong_type));
  BOOST_TEST(is(db->async_event_range("default", 2, 1, std::nullopt, f(code)).get(), errc::invalid_sequence));
  BOOST_TEST(is(db->async_state_read("default", "", f(code)).get(), errc::key_empty));
  BOOST_TEST(is(db->async_json_incr("default", "nope", "$.n", Value(1), f(code)).get(), errc::document_not_found));
}

// ---- deferred + co_await --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(default_token_under_co_await) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    Database& db = *e.db;
    BOOST_TEST(co_await db.async_event_append("default", "a", ev(1)) == 1u);
    BOOST_TEST((co_await db.async_event_read("default", 1))->payload.at("i").as_int() == 1);
    BOOST_TEST((co_await db.async_event_read_by_type("default", "a", std::nullopt)).size() == 1u);
    BOOST_TEST((co_await db.async_event_range("default", 1, 1, std::nullopt)).size() == 1u);
    BOOST_TEST(co_await db.async_event_len("default") == 1u);
    BOOST_TEST((co_await db.async_event_verify("default")).ok);

    const Version v = co_await db.async_state_set("default", "c", Value("x"));
    BOOST_TEST((co_await db.async_state_read("default", "c"))->version == v);
    BOOST_TEST(co_await db.async_state_init("default", "c", Value("y")) == v);
    auto cas = co_await db.async_state_cas("default", "c", v, Value("z"));
    BOOST_TEST(cas.has_value());

    co_await db.async_json_set("default", "d", "$.l", Value::array({}));
    co_await db.async_json_array_append("default", "d", "$.l", Value(1));
    BOOST_TEST(((co_await db.async_json_incr("default", "d", "$.l[0]", Value(1.5))) == Value(2.5)));
    BOOST_TEST(((co_await db.async_json_get("default", "d", "$")) == json(R"({"l":[2.5]})")));
    BOOST_TEST(co_await db.async_json_delete("default", "d", "$") == 1u);
    BOOST_TEST((co_await db.async_json_list("default", "", PageRequest())).keys.empty());

    try {
      co_await db.async_event_read("default", 0);
      BOOST_FAIL("expected invalid_sequence");
    } catch (const boost::system::system_error& err) {
      BOOST_TEST(is(err.code(), errc::invalid_sequence));
    }
  });
}

// ---- as_tuple -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(errors_arrive_as_codes_through_as_tuple) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    Database& db = *e.db;
    auto [e1, s1] = co_await db.async_event_append("default", std::string(257, 't'), ev(1), kTuple);
    BOOST_TEST(is(e1, errc::invalid_event_type));
    BOOST_TEST(s1 == 0u);
    auto [e2, r2] = co_await db.async_event_read("default", 0, kTuple);
    BOOST_TEST(is(e2, errc::invalid_sequence));
    auto [e3, r3] = co_await db.async_event_read_by_type("default", "t", 0, kTuple);
    BOOST_TEST(is(e3, errc::invalid_limit));
    auto [e4, r4] = co_await db.async_event_range("default", 0, 1, std::nullopt, kTuple);
    BOOST_TEST(is(e4, errc::invalid_sequence));
    auto [e5, r5] = co_await db.async_event_len("nope", kTuple);
    BOOST_TEST(is(e5, errc::run_not_found));
    auto [e6, r6] = co_await db.async_event_verify("bad/run", kTuple);
    BOOST_TEST(is(e6, errc::invalid_run_name));

    auto [e7, r7] = co_await db.async_state_set("default", "_strata/x", Value(1), kTuple);
    BOOST_TEST(is(e7, errc::key_reserved));
    auto [e8, r8] = co_await db.async_state_read("nope", "c", kTuple);
    BOOST_TEST(is(e8, errc::run_not_found));
    auto [e9, r9] = co_await db.async_state_init("default", "c", Value(std::string(strata::kMaxValueBytes + 1, 'x')),
                                                 kTuple);
    BOOST_TEST(is(e9, errc::value_too_large));
    auto [e10, r10] = co_await db.async_state_cas("default", "c", Version{5}, Value(1), kTuple);
    BOOST_TEST(!e10);  // a mismatch is not an error
    BOOST_TEST(!r10.has_value());

    auto [e11, r11] = co_await db.async_json_set("default", "d", "$[0]", Value(1), kTuple);
    BOOST_TEST(is(e11, errc::invalid_path));
    auto [e12, r12] = co_await db.async_json_get("default", "", "$", kTuple);
    BOOST_TEST(is(e12, errc::key_empty));
    auto [e13, r13] = co_await db.async_json_delete("default", "d", "$.", kTuple);
    BOOST_TEST(is(e13, errc::invalid_path));
    // A named request: GCC 12 mis-destroys braced temporaries in co_await
    // expressions (hence "pass PageRequest() inside co_await" in database.hpp).
    PageRequest forged;
    forged.limit = 1;
    forged.cursor = "forged";
    auto [e14, r14] = co_await db.async_json_list("default", "", forged, kTuple);
    BOOST_TEST(is(e14, errc::invalid_cursor));
    auto [e15, r15] = co_await db.async_json_array_append("default", "d", "$.l", Value(1), kTuple);
    BOOST_TEST(is(e15, errc::document_not_found));
    co_await db.async_json_set("default", "d", "$.s", Value("str"));
    auto [e16, r16] = co_await db.async_json_incr("default", "d", "$.s", Value(1), kTuple);
    BOOST_TEST(is(e16, errc::wrong_type));
    BOOST_TEST(r16.is_null());
    auto [e17, r17] = co_await db.async_json_incr("default", "d", "$.zz", Value(1), kTuple);
    BOOST_TEST(is(e17, errc::invalid_path));
    // None of the failures wrote anything.
    BOOST_TEST((co_await db.async_info()).visible_version == 1u);
  });
}

// ---- Asio rules ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(completions_are_never_invoked_inline) {
  EmbeddedDb e;
  InlineProbe outside;
  start_every_primitive_op(outside, *e.db, kPlain);
  BOOST_TEST(outside.completed == 0);
  InlineProbe inside;  // from a handler on the database's executor
  asio::post(e.ioc, [&] { start_every_primitive_op(inside, *e.db, kPlain); });
  e.drain();
  BOOST_TEST(outside.completed == outside.started);
  BOOST_TEST(inside.completed == inside.started);
  BOOST_TEST(outside.inline_calls == 0);
  BOOST_TEST(inside.inline_calls == 0);
}

BOOST_AUTO_TEST_CASE(completions_go_through_the_associated_executor) {
  EmbeddedDb e;
  auto tracker = strata::test::track(e.ioc.get_executor());
  const auto& tally = *tracker.tally();
  int through = 0;
  auto wrap = [&](auto h) {
    return asio::bind_executor(tracker, [&through, &tally, h](error_code ec, auto&& v) {
      if (tally.running_in_this_thread()) ++through;
      h(ec, std::forward<decltype(v)>(v));
    });
  };
  InlineProbe probe;
  start_every_primitive_op(probe, *e.db, wrap);
  e.drain();
  BOOST_TEST(probe.completed == probe.started);
  BOOST_TEST(probe.inline_calls == 0);
  BOOST_TEST(through == probe.started);
  BOOST_TEST(tally.dispatches.load() == 0);
}

// ---- async_transaction over every primitive ----------------------------------------------

BOOST_AUTO_TEST_CASE(async_transaction_with_every_primitive) {
  EmbeddedDb e;
  e.run([&]() -> asio::awaitable<void> {
    Database& db = *e.db;
    co_await db.async_event_append("default", "seed", ev(0));
    const auto len = co_await db.async_transaction("default", [&](Transaction& tx) -> asio::awaitable<std::uint64_t> {
      tx.kv_put("k", Value(1));
      tx.event_append("step", ev(1));
      tx.state_set("c", Value("s"));
      tx.json_set("d", "$.x", Value(1));
      co_return tx.event_len();
    });
    BOOST_TEST(len == 2u);
    BOOST_TEST(co_await db.async_event_len("default") == 2u);
    const Version v = (co_await db.async_state_read("default", "c"))->version;
    BOOST_TEST((co_await db.async_info()).visible_version == v);
    BOOST_TEST(((co_await db.async_json_get("default", "d", "$.x")) == Value(1)));
    BOOST_TEST(((co_await db.async_kv_get("default", "k")) == Value(1)));
  });
}
