// Time-travel reads (docs/guides/runs.md, "Time travel"): every read that
// takes an AsOf — kv_get, kv_list, state_read, json_get, json_list,
// event_read, event_read_by_type, event_range, event_len, vector_get,
// vector_search — returns what the run held at that version (or at the
// newest commit at or before a time), through the facade (both error
// forms), the Session (also inside a transaction, where it reads the
// committed history) and the CLI; points in the future are refused and
// change nothing; reads after reopening (WAL and snapshot) still travel.
#define BOOST_TEST_MODULE time_travel
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <strata/session.hpp>

#include <boost/asio/use_future.hpp>

#include <chrono>
#include <thread>
#include <vector>

using namespace strata;

namespace {

/// Three commits of history: what each version held.
struct History {
  Version v1 = 0, v2 = 0, v3 = 0;
  std::int64_t t1 = 0, t2 = 0;
};

History write_history(Strata& db) {
  History h;
  auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(2)); };
  db.vector_create_collection("mem", 2, Metric::DotProduct);
  pause();
  auto tx = db.begin();
  tx.kv_put("k", "one");
  tx.kv_put("gone", 1);
  tx.state_set("cell", 1);
  tx.json_set("doc", "$", Value::object({{"n", 1}}));
  tx.event_append("step", Value::object({{"i", 1}}));
  tx.vector_upsert("mem", "a", std::vector<float>{1, 0}, Value::object({{"i", 1}}));
  h.v1 = tx.commit();
  h.t1 = db.kv_history("k").front().timestamp_us;
  pause();
  auto tx2 = db.begin();
  tx2.kv_put("k", "two");
  tx2.kv_delete("gone");
  tx2.kv_put("new", 2);
  tx2.state_set("cell", 2);
  tx2.json_set("doc", "$.n", 2);
  tx2.json_set("doc2", "$", 0);
  tx2.event_append("step", Value::object({{"i", 2}}));
  tx2.event_append("other", Value::object({}));
  tx2.vector_upsert("mem", "a", std::vector<float>{0, 1});
  tx2.vector_upsert("mem", "b", std::vector<float>{1, 1});
  h.v2 = tx2.commit();
  h.t2 = db.kv_history("k").front().timestamp_us;
  pause();
  db.vector_delete("mem", "a");
  h.v3 = db.kv_put("k", "three");
  return h;
}

std::vector<std::string> keys_of(const KeyPage& p) { return p.keys; }

}  // namespace

BOOST_AUTO_TEST_SUITE(every_read_travels)

BOOST_FIXTURE_TEST_CASE(reads_at_a_version_see_that_version, test::DbFixture) {
  const History h = write_history(db);
  const AsOf at1 = AsOf::at_version(h.v1), at2 = AsOf::at_version(h.v2);
  BOOST_TEST((db.kv_get("k", at1) == Value("one")));
  BOOST_TEST((db.kv_get("k", at2) == Value("two")));
  BOOST_TEST((db.kv_get("gone", at1) == Value(1)));
  BOOST_TEST(!db.kv_get("gone", at2));
  BOOST_TEST(!db.kv_get("k", AsOf::at_version(0)));
  BOOST_TEST((keys_of(db.kv_list("", {}, at1)) == (std::vector<std::string>{"gone", "k"})));
  BOOST_TEST((keys_of(db.kv_list("", {}, at2)) == (std::vector<std::string>{"k", "new"})));
  BOOST_TEST((db.state_read("cell", at1)->value == Value(1)));
  BOOST_TEST((db.state_read("cell", at1)->version == h.v1));
  BOOST_TEST((db.state_read("cell", at2)->value == Value(2)));
  BOOST_TEST((db.json_get("doc", "$.n", at1) == Value(1)));
  BOOST_TEST((db.json_get("doc", "$.n", at2) == Value(2)));
  BOOST_TEST((keys_of(db.json_list("", {}, at1)) == (std::vector<std::string>{"doc"})));
  BOOST_TEST((keys_of(db.json_list("", {}, at2)) == (std::vector<std::string>{"doc", "doc2"})));
  BOOST_TEST((db.event_len(at1) == 1u));
  BOOST_TEST((db.event_len(at2) == 3u));
  BOOST_TEST(!db.event_read(2, at1));
  BOOST_TEST((db.event_read(2, at2)->payload == (Object{{"i", Value(2)}})));
  BOOST_TEST((db.event_range(1, 10, std::nullopt, at1).size() == 1u));
  BOOST_TEST((db.event_read_by_type("step", std::nullopt, at2).size() == 2u));
  BOOST_TEST(db.event_read_by_type("other", std::nullopt, at1).empty());
  // Vectors: "a" is deleted now, but not at v1 / v2.
  BOOST_TEST_REQUIRE(db.vector_get("mem", "a", at1).has_value());
  BOOST_TEST(!db.vector_get("mem", "a"));
  BOOST_TEST((db.vector_get("mem", "a", at1)->vector == (std::vector<float>{1, 0})));
  BOOST_TEST((db.vector_get("mem", "a", at1)->metadata == Value::object({{"i", 1}})));
  BOOST_TEST((db.vector_get("mem", "a", at2)->vector == (std::vector<float>{0, 1})));
  BOOST_TEST(!db.vector_get("mem", "b", at1));
  const std::vector<float> q{1, 0};
  VectorSearchOptions o;
  o.as_of = at1;
  auto m1 = db.vector_search("mem", q, 5, o);
  BOOST_TEST_REQUIRE(m1.size() == 1u);
  BOOST_TEST((m1[0].key == "a"));
  BOOST_TEST((m1[0].score == 1.0f));
  o.as_of = at2;
  auto m2 = db.vector_search("mem", q, 5, o);
  BOOST_TEST_REQUIRE(m2.size() == 2u);
  BOOST_TEST((m2[0].key == "b"));  // b = (1,1) scores 1, a = (0,1) scores 0
  auto now = db.vector_search("mem", q, 5);
  BOOST_TEST_REQUIRE(now.size() == 1u);  // a is gone now
  BOOST_TEST(now[0].key == "b");
  BOOST_TEST((db.kv_get("k", AsOf::at_version(h.v3)) == Value("three")));
}

BOOST_FIXTURE_TEST_CASE(reads_at_a_time_see_the_newest_commit_at_or_before_it, test::DbFixture) {
  const History h = write_history(db);
  BOOST_TEST((db.kv_get("k", AsOf::at_time_us(h.t1)) == Value("one")));
  BOOST_TEST((db.kv_get("k", AsOf::at_time_us(h.t2 - 1)) == Value("one")));
  BOOST_TEST((db.kv_get("k", AsOf::at_time_us(h.t2)) == Value("two")));
  BOOST_TEST(!db.kv_get("k", AsOf::at_time_us(h.t1 - 1)));  // before the transaction: absent
  BOOST_TEST((db.event_len(AsOf::at_time_us(0)) == 0u));       // 1970: nothing yet
  BOOST_TEST((db.kv_get("k", *parse_as_of(to_string(AsOf::at_time_us(h.t1)))) == Value("one")));
}

BOOST_FIXTURE_TEST_CASE(the_future_is_refused_in_both_error_forms, test::DbFixture) {
  db.kv_put("k", 1);
  const Version newest = visible();
  const AsOf future = AsOf::at_version(newest + 5);
  error_code ec;
  BOOST_TEST(!db.kv_get("k", future, ec));
  BOOST_TEST((ec == errc::invalid_input));
  ec.clear();
  db.event_len(future, ec);
  BOOST_TEST((ec == errc::invalid_input));
  ec.clear();
  db.json_list("", {}, AsOf::at_time_us(std::numeric_limits<std::int64_t>::max()), ec);
  BOOST_TEST((ec == errc::invalid_input));
  try {
    db.state_read("c", future);
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    BOOST_TEST((e.code() == errc::invalid_input));
    BOOST_TEST(std::string(e.what()).find("after the newest commit (version " + std::to_string(newest) + ")") !=
               std::string::npos, e.what());
  }
  // Validation still comes first: a bad key is a key error at any point.
  db.kv_get("", AsOf::at_version(0), ec);
  BOOST_TEST((ec == errc::key_empty));
  BOOST_TEST((visible() == newest));
}

BOOST_FIXTURE_TEST_CASE(the_async_core_travels_too, test::DbFixture) {
  const History h = write_history(db);
  auto d = db.database();
  const auto fut = boost::asio::use_future;
  const AsOf at1 = AsOf::at_version(h.v1), at2 = AsOf::at_version(h.v2);
  BOOST_TEST((d->async_kv_get("default", "k", at1, fut).get() == Value("one")));
  BOOST_TEST((d->async_kv_get("default", "k", fut).get() == Value("three")));
  BOOST_TEST((d->async_kv_list("default", "", PageRequest(), at1, fut).get().keys == std::vector<std::string>{"gone", "k"}));
  BOOST_TEST(d->async_state_read("default", "cell", at1, fut).get()->value == Value(1));
  BOOST_TEST((d->async_json_get("default", "doc", "$.n", at1, fut).get() == Value(1)));
  BOOST_TEST(d->async_json_list("default", "", PageRequest(), at2, fut).get().keys.size() == 2u);
  BOOST_TEST(d->async_event_len("default", at1, fut).get() == 1u);
  BOOST_TEST(!d->async_event_read("default", 2, at1, fut).get());
  BOOST_TEST(d->async_event_read_by_type("default", "step", std::nullopt, at2, fut).get().size() == 2u);
  BOOST_TEST(d->async_event_range("default", 1, 9, std::nullopt, at1, fut).get().size() == 1u);
  BOOST_TEST(d->async_vector_get("default", "mem", "a", at1, fut).get().has_value());
  BOOST_TEST(!d->async_vector_get("default", "mem", "a", fut).get().has_value());
  VectorSearchOptions o;
  o.as_of = at1;
  BOOST_TEST(d->async_vector_search("default", "mem", std::vector<float>{1, 0}, 3, o, fut).get().size() == 1u);
  try {
    d->async_kv_get("default", "k", AsOf::at_version(h.v3 + 10), fut).get();
    BOOST_FAIL("no error");
  } catch (const boost::system::system_error& e) {
    BOOST_TEST((e.code() == errc::invalid_input));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(session)

BOOST_FIXTURE_TEST_CASE(commands_take_as_of_and_in_a_transaction_read_history, test::DbFixture) {
  const History h = write_history(db);
  Session s(db);
  auto get = [&](std::optional<AsOf> a) {
    return std::get<out::MaybeValue>(s.execute(cmd::KvGet{.key = "k", .as_of = a})).value;
  };
  BOOST_TEST((get(AsOf::at_version(h.v1)) == Value("one")));
  BOOST_TEST((get(std::nullopt) == Value("three")));
  BOOST_TEST((get(AsOf::at_version(h.v2)) == Value("two")));
  s.execute(cmd::Begin{});
  s.execute(cmd::KvPut{.key = "k", .value = "pending"});
  BOOST_TEST((get(std::nullopt) == Value("pending")));              // the transaction's view
  BOOST_TEST((get(AsOf::at_version(h.v1)) == Value("one")));        // committed history
  BOOST_TEST((std::get<out::Length>(s.execute(cmd::EventLen{.as_of = AsOf::at_version(h.v1)})).length == 1u));
  s.execute(cmd::Rollback{});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(read_only_transactions)

BOOST_FIXTURE_TEST_CASE(a_transaction_at_an_as_of_reads_then_and_refuses_writes, test::DbFixture) {
  const History h = write_history(db);
  auto tx = db.begin(AsOf::at_version(h.v1));
  BOOST_TEST(tx.snapshot_version() == h.v1);
  BOOST_TEST((tx.kv_get("k") == Value("one")));
  BOOST_TEST(tx.state_read("cell")->value == Value(1));
  BOOST_TEST((tx.json_get("doc", "$.n") == Value(1)));
  BOOST_TEST(tx.event_len() == 1u);
  BOOST_TEST(tx.vector_get("mem", "a").has_value());
  BOOST_TEST((tx.kv_list("").keys == std::vector<std::string>{"gone", "k"}));
  // Every kind of write is read_only, names the point, and buffers nothing.
  const Version before = visible();
  auto refused = [&](const char* what, auto&& write) {
    BOOST_TEST_CONTEXT(what) {
      error_code ec;
      write(ec);
      BOOST_TEST((ec == errc::read_only));
      BOOST_TEST(std::string(boost::system::system_error(ec).what()).find("read-only") != std::string::npos);
    }
  };
  refused("kv_put", [&](error_code& ec) { tx.kv_put("k", 9, ec); });
  refused("kv_delete", [&](error_code& ec) { tx.kv_delete("k", ec); });
  refused("state_set", [&](error_code& ec) { tx.state_set("cell", 9, ec); });
  refused("state_cas", [&](error_code& ec) { tx.state_cas("cell", h.v1, 9, ec); });
  refused("state_init", [&](error_code& ec) { tx.state_init("fresh", 9, ec); });
  refused("json_set", [&](error_code& ec) { tx.json_set("doc", "$.n", 9, ec); });
  refused("json_delete", [&](error_code& ec) { tx.json_delete("doc", "$.n", ec); });
  refused("event_append", [&](error_code& ec) { tx.event_append("e", Value::object({}), ec); });
  refused("vector_upsert", [&](error_code& ec) { tx.vector_upsert("mem", "z", std::vector<float>{1, 1}, std::nullopt, ec); });
  refused("vector_delete", [&](error_code& ec) { tx.vector_delete("mem", "a", ec); });
  try {
    tx.kv_put("k", 9);
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("as of version " + std::to_string(h.v1)) != std::string::npos, e.what());
  }
  BOOST_TEST((tx.kv_get("k") == Value("one")));  // nothing was buffered
  BOOST_TEST(tx.commit() == h.v1);               // read-only: the snapshot version
  BOOST_TEST(visible() == before);
  // At a time, and a point in the future.
  auto at_time = db.begin(AsOf::at_time_us(h.t2));
  BOOST_TEST((at_time.kv_get("k") == Value("two")));
  error_code ec;
  db.begin(AsOf::at_version(h.v3 + 1), ec);
  BOOST_TEST((ec == errc::invalid_input));
  auto other = db.database()->begin("default", AsOf::at_version(h.v2));
  BOOST_TEST((other.kv_get("k") == Value("two")));
}

BOOST_FIXTURE_TEST_CASE(session_begin_as_of, test::DbFixture) {
  const History h = write_history(db);
  Session s(db);
  const auto begun = std::get<out::TxnBegun>(s.execute(cmd::Begin{.as_of = AsOf::at_version(h.v1)}));
  BOOST_TEST(begun.snapshot_version == h.v1);
  BOOST_TEST((std::get<out::MaybeValue>(s.execute(cmd::KvGet{.key = "k"})).value == Value("one")));
  try {
    s.execute(cmd::KvPut{.key = "k", .value = 1});
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    BOOST_TEST((e.code() == errc::read_only));
  }
  BOOST_TEST(std::get<out::TxnCommitted>(s.execute(cmd::Commit{})).version == h.v1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(durability)

BOOST_AUTO_TEST_CASE(history_travels_after_reopening_from_the_wal_and_a_snapshot) {
  test::TempDir dir("travel");
  History h;
  {
    auto db = Strata::open(dir.root, test::reopen_options(Durability::Buffered));
    h = write_history(db);
  }
  for (int round = 0; round < 2; ++round) {
    auto db = Strata::open(dir.root, test::reopen_options(Durability::Buffered));
    BOOST_TEST_CONTEXT((round == 0 ? "from the WAL" : "from a snapshot")) {
      BOOST_TEST((db.kv_get("k", AsOf::at_version(h.v1)) == Value("one")));
      BOOST_TEST((db.kv_get("k", AsOf::at_time_us(h.t1)) == Value("one")));
      BOOST_TEST((db.kv_get("k", AsOf::at_time_us(h.t2)) == Value("two")));
      const auto a1 = db.vector_get("mem", "a", AsOf::at_version(h.v1));
      BOOST_TEST_REQUIRE(a1.has_value());
      BOOST_TEST((a1->vector == std::vector<float>{1, 0}));
      BOOST_TEST(!db.vector_get("mem", "a"));
      BOOST_TEST((db.event_len(AsOf::at_time_us(h.t1)) == 1u));
    }
    if (round == 0) db.compact();
  }
}

BOOST_AUTO_TEST_SUITE_END()
