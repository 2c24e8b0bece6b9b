// Time-travel reads (docs/guides/runs.md, "Time travel"): every read that
// takes an AsOf — kv_get, kv_list, state_read, json_get, json_list,
// event_read, event_read_by_type, event_range, event_len, vector_get,
// vector_search — returns what the run held at that version (or at the
// newest commit at or before a time), through the facade (both error
// forms), the Session (also inside a transaction, where it reads the
// committed history) and the CLI; points in the future are refused and
// change nothing; reads after reopening (WAL and snapshot) still travel.
// History on every primitive — kv_history, state_history, json_history
// (the whole document per version), vector_history — newest first with
// tombstones, paged by HistoryRequest{limit, before}, on every front end,
// through forks and after reopening.
#define BOOST_TEST_MODULE time_travel
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/frontends.hpp"
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

/// Versions of a history, newest first.
template <class T>
std::vector<Version> versions_of(const std::vector<T>& h) {
  std::vector<Version> out;
  for (const auto& v : h) out.push_back(v.version);
  return out;
}

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

BOOST_AUTO_TEST_SUITE(history)

namespace {

/// A history read page by page (`limit` at a time), concatenated.
template <class Read>
auto paged(Read read, std::size_t limit) {
  decltype(read(HistoryRequest{})) all;
  HistoryRequest page{limit, std::nullopt};
  for (int guard = 0; guard < 100; ++guard) {
    auto part = read(page);
    BOOST_TEST_REQUIRE(part.size() <= limit);
    all.insert(all.end(), part.begin(), part.end());
    if (part.size() < limit) return all;
    page.before = part.back().version;
  }
  BOOST_FAIL("history pages never ended");
  return all;
}

}  // namespace

STRATA_FRONTEND_TEST(every_primitive_keeps_its_versions_newest_first_with_tombstones) {
  test::Api api(db, front);
  auto& h = api.handle();
  const Version s1 = h.state_set("cell", 1), s2 = h.state_set("cell", 2);
  const Version j1 = h.json_set("doc", "$", Value::object({{"n", 1}, {"tag", "x"}}));
  const Version j2 = h.json_set("doc", "$.n", 2);
  const Version j3 = h.json_delete("doc", "$") ? visible() : 0;
  const Version j4 = h.json_set("doc", "$", Value::object({{"n", 3}}));
  h.vector_create_collection("mem", 2, Metric::Cosine);
  const Version v1 = h.vector_upsert("mem", "a", std::vector<float>{1, 0});
  const Version v2 = h.vector_upsert("mem", "a", std::vector<float>{0, 1}, Value::object({{"tier", "hot"}}));
  BOOST_TEST_REQUIRE(h.vector_delete("mem", "a"));
  const Version v3 = visible();
  const Version k1 = h.kv_put("k", "one");
  BOOST_TEST_REQUIRE(h.kv_delete("k"));
  const Version k2 = visible();

  const auto state = ok(api.state_history("cell"));
  BOOST_TEST((versions_of(state) == std::vector<Version>{s2, s1}));
  BOOST_TEST((state[0].value == Value(2)));
  BOOST_TEST((state[1].value == Value(1)));
  BOOST_TEST(state[0].timestamp_us >= state[1].timestamp_us);

  // The whole document as of each version, not the edit that made it.
  const auto doc = ok(api.json_history("doc"));
  BOOST_TEST((versions_of(doc) == std::vector<Version>{j4, j3, j2, j1}));
  BOOST_TEST((doc[0].value == Value::object({{"n", 3}})));
  BOOST_TEST(doc[1].tombstone);
  BOOST_TEST((doc[2].value == Value::object({{"n", 2}, {"tag", "x"}})));
  BOOST_TEST((doc[3].value == Value::object({{"n", 1}, {"tag", "x"}})));

  const auto vec = ok(api.vector_history("mem", "a"));
  BOOST_TEST((versions_of(vec) == std::vector<Version>{v3, v2, v1}));
  BOOST_TEST(vec[0].tombstone);
  BOOST_TEST(vec[0].vector.empty());
  BOOST_TEST(!vec[0].metadata);
  BOOST_TEST((vec[1].vector == std::vector<float>{0, 1}));
  BOOST_TEST((vec[1].metadata == Value::object({{"tier", "hot"}})));
  BOOST_TEST((vec[2].vector == std::vector<float>{1, 0}));
  BOOST_TEST(!vec[2].metadata);
  BOOST_TEST(!vec[2].tombstone);

  const auto kv = ok(api.kv_history("k", HistoryRequest{}));
  BOOST_TEST((versions_of(kv) == std::vector<Version>{k2, k1}));
  BOOST_TEST(kv[0].tombstone);

  // Never written: empty, not an error.
  BOOST_TEST(ok(api.state_history("nothing")).empty());
  BOOST_TEST(ok(api.json_history("nothing")).empty());
  BOOST_TEST(ok(api.vector_history("mem", "nothing")).empty());
}

STRATA_FRONTEND_TEST(pages_concatenate_to_the_whole_history) {
  test::Api api(db, front);
  auto& h = api.handle();
  h.vector_create_collection("mem", 1, Metric::Euclidean);
  for (int i = 0; i < 11; ++i) {
    h.kv_put("k", i);
    h.state_set("cell", i);
    h.json_set("doc", "$", Value::object({{"i", i}}));
    h.vector_upsert("mem", "a", std::vector<float>{static_cast<float>(i)});
  }
  const auto kv = ok(api.kv_history("k", HistoryRequest{}));
  BOOST_TEST_REQUIRE(kv.size() == 11u);
  for (std::size_t limit : {1u, 3u, 11u, 20u}) {
    BOOST_TEST_CONTEXT("limit " << limit) {
      BOOST_TEST((paged([&](HistoryRequest p) { return ok(api.kv_history("k", p)); }, limit) == kv));
      BOOST_TEST((paged([&](HistoryRequest p) { return ok(api.state_history("cell", p)); }, limit) ==
                  ok(api.state_history("cell"))));
      BOOST_TEST((paged([&](HistoryRequest p) { return ok(api.json_history("doc", p)); }, limit) ==
                  ok(api.json_history("doc"))));
      BOOST_TEST((paged([&](HistoryRequest p) { return ok(api.vector_history("mem", "a", p)); }, limit) ==
                  ok(api.vector_history("mem", "a"))));
    }
  }
  // `before` alone: the versions older than it.
  const auto older = ok(api.kv_history("k", HistoryRequest{std::nullopt, kv[4].version}));
  BOOST_TEST_REQUIRE(older.size() == 6u);
  BOOST_TEST((older.front() == kv[5]));
  BOOST_TEST(ok(api.kv_history("k", HistoryRequest{std::nullopt, kv.back().version})).empty());
  BOOST_TEST(ok(api.kv_history("k", HistoryRequest{std::nullopt, Version{0}})).empty());
}

STRATA_FRONTEND_TEST(bad_history_requests_are_refused_and_change_nothing) {
  test::Api api(db, front);
  api.handle().kv_put("k", 1);
  api.handle().vector_create_collection("mem", 2, Metric::Cosine);
  const Version before = visible();
  check_fails(api.kv_history("k", HistoryRequest{std::size_t{0}, std::nullopt}), errc::invalid_limit, {"at least 1"});
  check_fails(api.state_history("cell", HistoryRequest{std::size_t{0}, std::nullopt}), errc::invalid_limit);
  check_fails(api.json_history("", {}), errc::key_empty);
  check_fails(api.state_history(std::string(2000, 'x')), errc::key_too_long);
  check_fails(api.vector_history("nope", "a"), errc::collection_not_found, {"nope"});
  check_fails(api.vector_history("mem", ""), errc::key_empty);
  BOOST_TEST(visible() == before);
}

BOOST_FIXTURE_TEST_CASE(a_forks_history_is_its_own_then_its_parents_up_to_the_fork, test::DbFixture) {
  const Version p1 = db.state_set("cell", "p1");
  const Version p2 = db.json_set("doc", "$", Value::object({{"n", 1}}));
  db.fork_run("child");
  db.state_set("cell", "after-fork");  // the parent's, after the fork: not the child's
  Strata child = other_handle();
  child.set_run("child");
  const Version c1 = child.state_set("cell", "c1");
  const Version c2 = child.json_set("doc", "$.n", 2);
  const auto state = child.state_history("cell");
  BOOST_TEST((versions_of(state) == std::vector<Version>{c1, p1}));
  BOOST_TEST((state[1].value == Value("p1")));
  const auto doc = child.json_history("doc");
  BOOST_TEST((versions_of(doc) == std::vector<Version>{c2, p2}));
  BOOST_TEST((doc[0].value == Value::object({{"n", 2}})));
  // A page that starts in the child and ends in the parent.
  const auto page = child.state_history("cell", HistoryRequest{std::size_t{1}, c1});
  BOOST_TEST((versions_of(page) == std::vector<Version>{p1}));
}

BOOST_FIXTURE_TEST_CASE(history_commands_read_the_committed_history_even_in_a_transaction, test::DbFixture) {
  db.state_set("cell", 1);
  db.json_set("doc", "$", Value::object({{"a", 1}}));
  db.vector_create_collection("mem", 1, Metric::Euclidean);
  db.vector_upsert("mem", "v", std::vector<float>{1});
  Session s(db);
  s.execute(cmd::Begin{});
  s.execute(cmd::StateSet{.cell = "cell", .value = 2});  // pending: not history yet
  const auto state = std::get<out::History>(s.execute(cmd::StateHistory{.cell = "cell"})).versions;
  BOOST_TEST_REQUIRE(state.size() == 1u);
  BOOST_TEST((state[0].value == Value(1)));
  const auto doc = std::get<out::History>(s.execute(cmd::JsonHistory{.key = "doc", .limit = 1})).versions;
  BOOST_TEST_REQUIRE(doc.size() == 1u);
  BOOST_TEST((doc[0].value == Value::object({{"a", 1}})));
  const auto vec = std::get<out::VectorHistory>(s.execute(cmd::VectorHistory{.collection = "mem", .key = "v"})).versions;
  BOOST_TEST_REQUIRE(vec.size() == 1u);
  BOOST_TEST((vec[0].vector == std::vector<float>{1}));
  s.execute(cmd::Rollback{});
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
      BOOST_TEST((versions_of(db.state_history("cell")) == std::vector<Version>{h.v2, h.v1}));
      BOOST_TEST((db.json_history("doc").back().value == Value::object({{"n", 1}})));
      BOOST_TEST((versions_of(db.vector_history("mem", "a")) == std::vector<Version>{h.v3 - 1, h.v2, h.v1}));
    }
    if (round == 0) db.compact();
  }
}

BOOST_AUTO_TEST_SUITE_END()
