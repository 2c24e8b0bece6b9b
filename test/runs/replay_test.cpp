// replay_run and digests (docs/guides/replay.md): a run rebuilt from another
// run's commits, in order, holds the same content in every primitive — its
// run_digest equals the source's at the replayed point — for randomized
// workloads over every primitive (transactions, deletes, JSON path edits,
// vector churn, forks and merges), at past points, in memory and after
// reopening; a fork's digest at the fork point equals its parent's.
// strata::Recorder: an agent's recorded inputs replayed into a fork give the
// same digest, and every way of asking for something else is a
// replay_divergence that appends nothing.
#define BOOST_TEST_MODULE replay
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <strata/recorder.hpp>
#include <strata/session.hpp>

#include <boost/asio/use_future.hpp>

#include <random>
#include <string>
#include <vector>

using namespace strata;
using test::CodeIs;

namespace {

/// A random agent session on the handle's run: `steps` commits over every
/// primitive, some of them multi-operation transactions; sometimes a fork
/// that works on its own and is merged back. Returns the versions it
/// passed (points to replay up to).
std::vector<Version> random_session(Strata& db, std::mt19937& rng, int steps) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto key = [&] { return "k" + std::to_string(pick(30)); };
  if (db.vector_list_collections().empty()) db.vector_create_collection("mem", 3, Metric::Cosine);
  if (!db.json_get("doc", "$")) db.json_set("doc", "$", Value::object({{"n", 0}, {"tags", Value::array({})}}));
  std::vector<Version> points;
  for (int i = 0; i < steps; ++i) {
    switch (pick(9)) {
      case 0: db.kv_put(key(), i); break;
      case 1: db.kv_delete(key()); break;
      case 2: db.state_set("cell" + std::to_string(pick(3)), i); break;
      case 3: db.json_set("doc", "$.n", i); break;
      case 4: db.json_array_append("doc", "$.tags", "t" + std::to_string(i)); break;
      case 5: db.event_append("step", Value::object({{"i", i}})); break;
      case 6: db.vector_upsert("mem", "v" + std::to_string(pick(10)),
                               std::vector<float>{1.0f + static_cast<float>(pick(5)), 0.5f, static_cast<float>(i)});
        break;
      case 7: db.vector_delete("mem", "v" + std::to_string(pick(10))); break;
      default: {  // a transaction over several primitives
        auto tx = db.begin();
        tx.kv_put(key(), "tx" + std::to_string(i));
        tx.kv_delete(key());
        tx.state_set("cell0", -i);
        tx.json_set("doc", "$.last", i);
        tx.event_append("tx", Value::object({{"i", i}}));
        tx.commit();
      }
    }
    if (pick(25) == 0) {  // a branch, worked on and merged back
      const std::string name = db.current_run() + "-b" + std::to_string(i);
      db.fork_run(name);
      Strata branch = db;
      branch.set_run(name);
      branch.kv_put("from-branch-" + std::to_string(i), i);
      branch.event_append("branch", Value::object({{"i", i}}));
      db.merge_run(name, db.current_run(), MergeStrategy::SourceWins);
    }
    points.push_back(db.info().visible_version);
  }
  return points;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(replay, test::DbFixture)

BOOST_AUTO_TEST_CASE(a_replay_has_the_sources_digest_now_and_at_past_points) {
  for (unsigned seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    const std::string src = "agent" + std::to_string(seed);
    db.create_run(src);
    db.set_run(src);
    const auto points = random_session(db, rng, 150);
    const ReplayResult all = db.replay_run(src, src + "-replay");
    BOOST_TEST(all.commits >= 100u);  // deletes of absent keys commit nothing
    BOOST_TEST(all.version == visible());
    // The same steps: every key's values in the same order.
    Strata replayed = db;
    replayed.set_run(src + "-replay");
    auto values = [](const std::vector<VersionedValue>& h) {
      std::vector<std::optional<Value>> out;
      for (const auto& v : h) out.push_back(v.tombstone ? std::nullopt : std::optional<Value>(v.value));
      return out;
    };
    for (const char* k : {"k1", "k2", "k7"}) BOOST_TEST((values(replayed.kv_history(k)) == values(db.kv_history(k))), k);
    BOOST_TEST(db.run_digest(src + "-replay").sha256 == db.run_digest(src).sha256, "seed " << seed);
    for (int k = 0; k < 3; ++k) {
      const Version at = points[rng() % points.size()];
      const std::string name = src + "-at-" + std::to_string(at);
      db.replay_run(src, name, AsOf::at_version(at));
      BOOST_TEST(db.run_digest(name).sha256 == db.run_digest(src, AsOf::at_version(at)).sha256,
                 "seed " << seed << " at " << at);
    }
    Strata r = db;
    r.set_run(src + "-replay");
    BOOST_TEST(r.event_verify().ok);
    BOOST_TEST((r.event_len() == db.event_len()));
  }
}

BOOST_AUTO_TEST_CASE(a_fork_replays_with_its_inherited_history) {
  std::mt19937 rng(8);
  random_session(db, rng, 60);
  db.fork_run("child");
  db.set_run("child");
  random_session(db, rng, 60);
  db.replay_run("child", "child-replay");
  BOOST_TEST(db.run_digest("child-replay").sha256 == db.run_digest("child").sha256);
  BOOST_TEST(!db.run_info("child-replay").parent.has_value());  // a replay is a run of its own
  BOOST_TEST((db.run_info("child-replay").metadata.at("replay_of") == Value("child")));
}

BOOST_AUTO_TEST_CASE(bad_replays_are_refused_before_anything_is_created) {
  db.kv_put("k", 1);
  db.create_run("taken");
  BOOST_CHECK_EXCEPTION(db.replay_run("default", "taken"), Error, CodeIs{errc::run_exists});
  BOOST_CHECK_EXCEPTION(db.replay_run("nope", "x"), Error, CodeIs{errc::run_not_found});
  BOOST_CHECK_EXCEPTION(db.replay_run("default", "bad name"), Error, CodeIs{errc::invalid_run_name});
  BOOST_CHECK_EXCEPTION(db.replay_run("default", "x", AsOf::at_version(visible() + 3)), Error,
                        CodeIs{errc::invalid_input});
  BOOST_TEST(!db.run_exists("x"));
  Strata t = db;
  t.set_run("taken");
  BOOST_TEST(!t.kv_get("k"));
}

BOOST_AUTO_TEST_CASE(the_async_core_and_sessions_replay) {
  std::mt19937 rng(4);
  random_session(db, rng, 40);
  auto database = db.database();
  const ReplayResult r = database->async_replay_run("default", "async", std::nullopt, boost::asio::use_future).get();
  BOOST_TEST(r.commits >= 25u);
  BOOST_TEST(db.run_digest("async").sha256 == db.run_digest("default").sha256);
  Session s(db);
  const Output out = s.execute(cmd::RunReplay{.source = "default", .dest = "session", .up_to = AsOf::at_version(5)});
  BOOST_TEST_REQUIRE(std::holds_alternative<out::Replayed>(out));
  BOOST_TEST(std::get<out::Replayed>(out).replay.up_to == 5u);
  BOOST_TEST(db.run_digest("session").sha256 == db.run_digest("default", AsOf::at_version(5)).sha256);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// A toy agent whose every choice comes from the recorder: `calls` counts
/// the real tool calls.
void toy_agent(Strata& db, Recorder& rec, int& calls, const std::string& query = "flights") {
  const auto t = rec.now_us();
  const Value found = rec.tool("search", Value::object({{"q", query}}), [&](const Value&) {
    ++calls;
    return Value::object({{"hits", static_cast<std::int64_t>(std::random_device{}() % 1000)}});
  });
  const std::uint64_t r = rec.random();
  const Value said = rec.input("user_message", [] { return Value("book the cheapest"); });
  db.kv_put("found", found);
  db.state_set("pick", static_cast<std::int64_t>(r % 7));
  db.json_set("log", "$", Value::object({{"t", Value(t)}, {"said", said}}));
  db.event_append("step", Value::object({{"done", true}}));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(recorder, test::DbFixture)

BOOST_AUTO_TEST_CASE(a_recorded_session_replayed_into_a_fork_has_the_same_digest) {
  db.kv_put("before", 1);
  const Version start = visible();
  const std::uint64_t first = db.event_len() + 1;
  int calls = 0;
  auto rec = Recorder::record(db);
  BOOST_TEST(!rec.replaying());
  toy_agent(db, rec, calls);
  BOOST_TEST(calls == 1);
  BOOST_TEST(rec.position() == 4u);
  BOOST_TEST(db.event_read_by_type(Recorder::kEventType).size() == 4u);

  db.fork_run("again", AsOf::at_version(start));
  Strata again = other_handle();
  again.set_run("again");
  auto rep = Recorder::replay(again, "default", first);
  BOOST_TEST(rep.replaying());
  toy_agent(again, rep, calls);
  rep.finish();
  BOOST_TEST(calls == 1);  // the tool was not called again
  BOOST_TEST((again.kv_get("found") == db.kv_get("found")));
  BOOST_TEST(db.run_digest("again").sha256 == db.run_digest("default").sha256);

  // Without the recorder the second run would differ: a live session is not
  // a replay (the tool and the clock answer differently).
  db.fork_run("live", AsOf::at_version(start));
  Strata live = other_handle();
  live.set_run("live");
  auto fresh = Recorder::record(live);
  toy_agent(live, fresh, calls);
  BOOST_TEST(calls == 2);
  BOOST_TEST(db.run_digest("live").sha256 != db.run_digest("default").sha256);
}

BOOST_AUTO_TEST_CASE(asking_for_anything_else_is_a_divergence_that_appends_nothing) {
  const Version start = visible();
  int calls = 0;
  auto rec = Recorder::record(db);
  toy_agent(db, rec, calls);
  auto replay_at = [&](const std::string& name) {
    db.fork_run(name, AsOf::at_version(start));
    Strata h = other_handle();
    h.set_run(name);
    return std::pair{h, Recorder::replay(h, "default")};
  };
  const auto no_call = [](const Value&) -> Value { throw std::logic_error("the tool must not be called in replay"); };
  {
    auto [h, r] = replay_at("kind");
    BOOST_CHECK_EXCEPTION(r.random(), Error, (test::CodeAndMessage{errc::replay_divergence, {"replay input 1", "a random number", "a clock reading"}}));
    BOOST_TEST(h.event_len() == 0u);  // nothing appended
    BOOST_TEST(r.position() == 0u);
  }
  {
    auto [h, r] = replay_at("args");
    r.now_us();
    BOOST_CHECK_EXCEPTION(r.tool("search", Value::object({{"q", "trains"}}), no_call), Error,
                          (test::CodeAndMessage{errc::replay_divergence, {"replay input 2", "\"trains\"", "\"flights\""}}));
    BOOST_CHECK_EXCEPTION(r.tool("lookup", Value::object({{"q", "flights"}}), no_call), Error,
                          (test::CodeAndMessage{errc::replay_divergence, {"tool \"lookup\"", "tool \"search\""}}));
    BOOST_TEST(h.event_len() == 1u);
  }
  {
    auto [h, r] = replay_at("short");
    r.now_us();
    BOOST_CHECK_EXCEPTION(r.finish(), Error, (test::CodeAndMessage{errc::replay_divergence, {"after 1 of 4", "tool \"search\""}}));
  }
  {
    auto [h, r] = replay_at("long");
    int more = 0;
    toy_agent(h, r, more);
    BOOST_TEST(more == 0);
    r.finish();
    BOOST_CHECK_EXCEPTION(r.now_us(), Error, (test::CodeAndMessage{errc::replay_divergence, {"replay input 5", "ends after 4"}}));
  }
  BOOST_CHECK_EXCEPTION(Recorder::replay(db, "no-such-run"), Error, test::CodeIs{errc::run_not_found});
  BOOST_CHECK_EXCEPTION(rec.input("clock", [] { return Value(); }), Error, test::CodeIs{errc::invalid_input});
}

BOOST_AUTO_TEST_CASE(a_tool_that_failed_fails_again_in_replay_with_its_message) {
  const Version start = visible();
  auto rec = Recorder::record(db);
  auto failing = [](const Value&) -> Value { throw std::runtime_error("service unavailable"); };
  BOOST_CHECK_THROW(rec.tool("pay", Value::object({}), failing), std::runtime_error);
  db.fork_run("again", AsOf::at_version(start));
  Strata h = other_handle();
  h.set_run("again");
  auto rep = Recorder::replay(h, "default");
  try {
    rep.tool("pay", Value::object({}), [](const Value&) { return Value(1); });
    BOOST_FAIL("the recorded failure was not rethrown");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()) == "service unavailable");
  }
  rep.finish();
  BOOST_TEST(db.run_digest("again").sha256 == db.run_digest("default").sha256);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(digests_of_replays_hold_after_reopening) {
  test::TempDir dir("replay");
  std::string source, replayed;
  {
    auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));
    std::mt19937 rng(6);
    random_session(db, rng, 80);
    db.compact();
    random_session(db, rng, 40);
    db.replay_run("default", "copy");
    source = db.run_digest("default").sha256;
    replayed = db.run_digest("copy").sha256;
    BOOST_TEST(source == replayed);
  }
  auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));
  BOOST_TEST(db.run_digest("default").sha256 == source);
  BOOST_TEST(db.run_digest("copy").sha256 == replayed);
  db.replay_run("default", "after-reopen");  // from the recovered history
  BOOST_TEST(db.run_digest("after-reopen").sha256 == source);
}
