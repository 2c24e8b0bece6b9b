// replay_run and digests (docs/guides/replay.md): a run rebuilt from another
// run's commits, in order, holds the same content in every primitive — its
// run_digest equals the source's at the replayed point — for randomized
// workloads over every primitive (transactions, deletes, JSON path edits,
// vector churn, forks and merges), at past points, in memory and after
// reopening; a fork's digest at the fork point equals its parent's.
#define BOOST_TEST_MODULE replay
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

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
