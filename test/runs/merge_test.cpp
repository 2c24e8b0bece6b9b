// merge_run (docs/guides/branches.md, "Merge"): a three-way merge of one run
// into another relative to their base at the fork point, as one atomic
// commit on the target: changes of either side kept, JSON documents merged
// path by path, the source's new events appended, conflicts failing with
// a list (nothing written) or settled by source_wins / target_wins; in both
// directions (fork into parent, parent into fork), refused for unrelated
// runs, through the async core, Session, and after reopening.
#define BOOST_TEST_MODULE merge
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <strata/session.hpp>

#include <boost/asio/use_future.hpp>

#include <string>
#include <vector>

using namespace strata;
using test::CodeAndMessage;
using test::CodeIs;

namespace {

std::vector<float> vec(float x, float y) { return {x, y}; }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(merge, test::DbFixture)

BOOST_AUTO_TEST_CASE(changes_of_both_sides_meet_in_the_target) {
  db.kv_put("shared", 1);
  db.kv_put("doomed", 1);
  db.state_set("cell", "a");
  db.json_set("doc", "$", Value::object({{"x", 1}, {"y", 1}, {"list", Value::array({1})}}));
  db.event_append("e", Value::object({{"n", 1}}));
  db.vector_create_collection("mem", 2, Metric::Cosine);
  db.vector_upsert("mem", "v", vec(1, 0));
  db.fork_run("child");
  Strata c = other_handle();
  c.set_run("child");
  c.kv_put("from-child", 2);
  c.kv_delete("doomed");
  c.state_set("cell", "b");
  c.json_set("doc", "$.x", 2);
  c.json_array_append("doc", "$.list", 2);
  c.event_append("e", Value::object({{"n", 2}}));
  c.event_append("f", Value::object({{"n", 3}}));
  c.vector_upsert("mem", "w", vec(0, 1));
  c.vector_create_collection("notes", 3, Metric::Euclidean);
  c.vector_upsert("notes", "n", std::vector<float>{1, 2, 3});
  db.kv_put("from-parent", 3);
  db.json_set("doc", "$.y", 5);
  db.event_append("e", Value::object({{"n", 10}}));

  const MergeResult m = db.merge_run("child", "default");
  BOOST_TEST(m.version == visible());
  BOOST_TEST(m.base_version == *db.run_info("child").fork_version);
  BOOST_TEST(m.events == 2u);
  BOOST_TEST(m.resolved.empty());
  BOOST_TEST((db.kv_get("from-child") == std::optional<Value>(2)));
  BOOST_TEST((db.kv_get("from-parent") == std::optional<Value>(3)));
  BOOST_TEST(!db.kv_get("doomed"));
  BOOST_TEST((db.state_read("cell")->value == Value("b")));
  BOOST_TEST((db.json_get("doc", "$") ==
              std::optional<Value>(Value::object({{"x", 2}, {"y", 5}, {"list", Value::array({1, 2})}}))));
  BOOST_TEST(db.event_len() == 4u);  // 1, the parent's 10, then the child's two in order
  const auto events = db.event_range(3, 4);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].payload.at("n") == Value(2));
  BOOST_TEST(events[1].type == "f");
  BOOST_TEST(db.event_verify().ok);
  BOOST_TEST(db.vector_get("mem", "w").has_value());
  BOOST_TEST((db.vector_get("notes", "n")->vector == std::vector<float>{1, 2, 3}));
  BOOST_TEST(db.vector_search("notes", std::vector<float>{1, 2, 3}, 1).size() == 1u);
  // Everything the child changed is now in the parent.
  const RunDiff d = db.diff_runs("default", "child");
  BOOST_TEST(d.state.empty());
  BOOST_TEST(d.vectors.empty());
  BOOST_TEST(d.collections.empty());
  BOOST_TEST_REQUIRE(d.kv.size() == 1u);  // the parent's own key
  BOOST_TEST(d.kv[0].key == "from-parent");
  // A second merge finds nothing new.
  const MergeResult again = db.merge_run("child", "default");
  BOOST_TEST(again.version == 0u);
  BOOST_TEST(again.entries == 0u);
}

/// Run `name` and its fork `name`-child with four conflicting changes (and
/// one clean one in the fork); the handle is left on `name`.
void conflicting_runs(Strata& db, const std::string& name) {
  db.create_run(name);
  db.set_run(name);
  db.kv_put("k", 0);
  db.state_set("cell", 0);
  db.json_set("doc", "$", Value::object({{"a", 1}, {"b", 1}}));
  db.kv_put("del", 0);
  db.fork_run(name + "-child");
  Strata c = db;
  c.set_run(name + "-child");
  c.kv_put("k", 1);
  c.state_set("cell", 1);
  c.json_set("doc", "$.a", 2);
  c.json_set("doc", "$.b", 9);  // the same change as the parent's: no conflict
  c.kv_delete("del");
  c.kv_put("clean", 1);
  db.kv_put("k", 2);
  db.state_set("cell", 2);
  db.json_set("doc", "$.a", 3);
  db.json_set("doc", "$.b", 9);
  db.kv_put("del", 5);
}

BOOST_AUTO_TEST_CASE(conflicts_fail_by_default_and_change_nothing) {
  conflicting_runs(db, "p");
  const std::string before = db.run_digest("p").sha256;
  const Version v = visible();
  BOOST_CHECK_EXCEPTION(db.merge_run("p-child", "p"), Error,
                        (CodeAndMessage{errc::merge_conflict,
                                        {"4 conflicting changes", "kv \"del\"", "kv \"k\"", "state \"cell\"",
                                         "json \"doc\" at $.a", "nothing was written"}}));
  BOOST_TEST(db.run_digest("p").sha256 == before);
  BOOST_TEST(visible() == v);
  BOOST_TEST(!db.kv_get("clean"));
}

BOOST_AUTO_TEST_CASE(target_wins_keeps_the_targets_values_and_source_wins_takes_the_sources) {
  conflicting_runs(db, "t");
  const MergeResult theirs = db.merge_run("t-child", "t", MergeStrategy::TargetWins);
  BOOST_TEST(theirs.resolved.size() == 4u);
  BOOST_TEST((db.kv_get("k") == std::optional<Value>(2)));
  BOOST_TEST((db.kv_get("clean") == std::optional<Value>(1)));  // non-conflicting changes still land
  BOOST_TEST((db.json_get("doc", "$.a") == std::optional<Value>(3)));
  BOOST_TEST((db.kv_get("del") == std::optional<Value>(5)));
  // The merge moved the base: merging again finds nothing new.
  BOOST_TEST(db.merge_run("t-child", "t").version == 0u);

  conflicting_runs(db, "s");
  const MergeResult ours = db.merge_run("s-child", "s", MergeStrategy::SourceWins);
  BOOST_TEST(ours.resolved.size() == 4u);
  BOOST_TEST((db.kv_get("k") == std::optional<Value>(1)));
  BOOST_TEST((db.state_read("cell")->value == Value(1)));
  BOOST_TEST((db.json_get("doc", "$") == std::optional<Value>(Value::object({{"a", 2}, {"b", 9}}))));
  BOOST_TEST(!db.kv_get("del"));
  BOOST_TEST((db.kv_get("clean") == std::optional<Value>(1)));
}

BOOST_AUTO_TEST_CASE(a_second_merge_takes_only_what_changed_since_the_first) {
  db.kv_put("k", 1);
  db.fork_run("child");
  Strata c = other_handle();
  c.set_run("child");
  c.kv_put("k", 2);
  c.event_append("e", Value::object({{"n", 1}}));
  db.merge_run("child", "default");
  db.kv_put("k", 3);  // the target moves on after the merge
  c.kv_put("other", 1);
  c.event_append("e", Value::object({{"n", 2}}));
  const MergeResult m = db.merge_run("child", "default");  // k: only the target changed it since
  BOOST_TEST(m.entries == 1u);
  BOOST_TEST(m.events == 1u);
  BOOST_TEST((db.kv_get("k") == std::optional<Value>(3)));
  BOOST_TEST(db.event_len() == 2u);
  BOOST_TEST(db.event_read(2)->payload.at("n") == Value(2));
}

BOOST_AUTO_TEST_CASE(a_document_changed_on_both_sides_merges_path_by_path) {
  db.json_set("doc", "$", Value::object({{"a", Value::object({{"x", 1}})}, {"b", 1}, {"c", 1}}));
  db.fork_run("child");
  Strata c = other_handle();
  c.set_run("child");
  c.json_set("doc", "$.a.y", 2);
  c.json_delete("doc", "$.c");
  db.json_set("doc", "$.b", 3);
  db.merge_run("child", "default");
  BOOST_TEST((db.json_get("doc", "$") ==
              std::optional<Value>(Value::object({{"a", Value::object({{"x", 1}, {"y", 2}})}, {"b", 3}}))));
}

BOOST_AUTO_TEST_CASE(a_parent_merges_into_its_fork_too) {
  db.kv_put("k", 1);
  db.fork_run("child");
  db.kv_put("k", 2);
  db.event_append("e", Value::object({}));
  const MergeResult m = db.merge_run("default", "child");
  BOOST_TEST(m.entries == 1u);
  BOOST_TEST(m.events == 1u);
  db.set_run("child");
  BOOST_TEST((db.kv_get("k") == std::optional<Value>(2)));
  BOOST_TEST(db.event_len() == 1u);
}

BOOST_AUTO_TEST_CASE(unrelated_or_missing_runs_are_refused) {
  db.create_run("other");
  BOOST_CHECK_EXCEPTION(db.merge_run("other", "default"), Error,
                        (CodeAndMessage{errc::invalid_input, {"\"other\"", "\"default\"", "no common base"}}));
  BOOST_CHECK_EXCEPTION(db.merge_run("default", "default"), Error, CodeIs{errc::invalid_input});
  BOOST_CHECK_EXCEPTION(db.merge_run("nope", "default"), Error, CodeIs{errc::run_not_found});
  error_code ec;
  db.merge_run("other", "default", MergeStrategy::SourceWins, ec);
  BOOST_TEST(test::is(ec, errc::invalid_input));
}

BOOST_AUTO_TEST_CASE(the_async_core_and_sessions_merge) {
  db.kv_put("k", 1);
  db.fork_run("child");
  auto database = db.database();
  database->async_kv_put("child", "k", Value(2), boost::asio::use_future).get();
  const MergeResult m =
      database->async_merge_run("child", "default", MergeStrategy::FailOnConflict, boost::asio::use_future).get();
  BOOST_TEST(m.entries == 1u);
  BOOST_TEST((db.kv_get("k") == std::optional<Value>(2)));
  Session s(db);
  s.execute(cmd::RunUse{.name = "child"});
  s.execute(cmd::KvPut{.key = "k", .value = Value(3)});
  const Output out = s.execute(cmd::RunMerge{.source = "child", .target = "default"});
  BOOST_TEST_REQUIRE(std::holds_alternative<out::Merged>(out));
  BOOST_TEST(std::get<out::Merged>(out).merge.entries == 1u);
  s.execute(cmd::Begin{});
  error_code ec;
  s.execute(cmd::RunMerge{.source = "child", .target = "default"}, ec);
  BOOST_TEST(test::is(ec, errc::transaction_already_active));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(a_merge_survives_reopening) {
  test::TempDir dir("merge");
  std::string digest;
  {
    auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));
    db.json_set("doc", "$", Value::object({{"a", 1}}));
    db.fork_run("child");
    Strata c = db;
    c.set_run("child");
    c.json_set("doc", "$.b", 2);
    c.event_append("e", Value::object({}));
    db.merge_run("child", "default");
    digest = db.run_digest("default").sha256;
  }
  auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));
  BOOST_TEST(db.run_digest("default").sha256 == digest);
  BOOST_TEST((db.json_get("doc", "$.b") == std::optional<Value>(2)));
  BOOST_TEST(db.event_verify().ok);
}
