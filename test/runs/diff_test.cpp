// diff_runs (docs/guides/branches.md, "Diff"): per primitive, what differs
// between two runs at one point. A run and its fork are diffed from their
// change sets (the fork's own chains, the parent's journal); the result
// must equal a diff computed from full contents — checked against a model
// with randomized writes on both sides, against an unrelated run holding
// the same content, at past points, for forks at a past version, through
// forks of forks, and after reopening (the journal is rebuilt).
#define BOOST_TEST_MODULE diff
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include "ops/run_diff.hpp"

#include <strata/session.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

using namespace strata;
using test::CodeIs;

namespace {

using Model = std::map<std::string, int>;

/// The expected KV diff of two models: (key, a, b) in key order.
std::vector<EntryChange> expected_kv(const Model& a, const Model& b) {
  std::vector<EntryChange> out;
  auto value = [](const Model& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::nullopt : std::optional<Value>(Value(it->second));
  };
  std::map<std::string, int> keys;
  for (const auto& [k, v] : a) keys[k];
  for (const auto& [k, v] : b) keys[k];
  for (const auto& [k, unused] : keys) {
    auto va = value(a, k), vb = value(b, k);
    if (va != vb) out.push_back({k, {}, va, vb, {}});
  }
  return out;
}

/// Random puts and deletes of key:0..99 in the handle's run, mirrored in `m`.
void churn(Strata& db, Model& m, std::mt19937& rng, int ops, int base) {
  for (int i = 0; i < ops; ++i) {
    const std::string k = "key:" + std::to_string(rng() % 100);
    if (rng() % 3 == 0) {
      db.kv_delete(k);
      m.erase(k);
    } else {
      db.kv_put(k, base + i);
      m[k] = base + i;
    }
  }
}

/// A's content written afresh into a new, unrelated run `name` (KV, state,
/// JSON, vectors; the same values by another road).
void copy_content(Strata& db, std::string_view from, const std::string& name) {
  Strata src = db, dst = db;
  src.set_run(from);
  db.create_run(name);
  dst.set_run(name);
  for (const auto& k : src.kv_list().keys) dst.kv_put(k, *src.kv_get(k));
  for (const auto& k : src.json_list().keys) dst.json_set(k, "$", *src.json_get(k, "$"));
  for (const auto& c : src.vector_list_collections()) {
    dst.vector_create_collection(c.name, c.dimension, c.metric, c.options);
    for (const auto& m : src.vector_search(c.name, std::vector<float>(c.dimension, 1.0f), 10000, {.exact = true})) {
      auto v = src.vector_get(c.name, m.key);
      dst.vector_upsert(c.name, m.key, v->vector, v->metadata);
    }
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(diff, test::DbFixture)

BOOST_AUTO_TEST_CASE(a_fork_and_its_parent_diff_like_their_contents) {
  std::mt19937 rng(7);
  Model parent, child;
  churn(db, parent, rng, 300, 0);
  db.fork_run("child");
  child = parent;
  Strata c = other_handle();
  c.set_run("child");
  churn(c, child, rng, 80, 10000);
  churn(db, parent, rng, 80, 20000);
  const RunDiff d = db.diff_runs("default", "child");
  BOOST_TEST((d.kv == expected_kv(parent, child)));
  BOOST_TEST(d.fork_version.has_value());
  BOOST_TEST(d.version == visible());
  const RunDiff back = db.diff_runs("child", "default");
  BOOST_TEST((back.kv == expected_kv(child, parent)));
  // The same content in an unrelated run: the full-scan road, same answer.
  copy_content(db, "child", "copy");
  const RunDiff full = db.diff_runs("default", "copy");
  BOOST_TEST(!full.fork_version.has_value());
  BOOST_TEST((full.kv == d.kv));
  BOOST_TEST(db.diff_runs("child", "copy").kv.empty());
  BOOST_TEST(db.diff_runs("child", "child").kv.empty());
}

BOOST_AUTO_TEST_CASE(every_primitive_and_the_events_after_the_fork) {
  db.state_set("cell", 1);
  db.json_set("doc", "$", Value::object({{"a", 1}, {"b", Value::array({1, 2})}, {"c", Value::object({{"d", 1}})}}));
  db.event_append("e", Value::object({{"n", 1}}));
  db.vector_create_collection("mem", 2, Metric::Cosine);
  db.vector_create_collection("old", 2, Metric::Cosine);
  db.vector_upsert("mem", "same", std::vector<float>{1, 0});
  db.vector_upsert("mem", "moved", std::vector<float>{1, 0});
  db.vector_upsert("old", "x", std::vector<float>{1, 0});
  db.fork_run("child");
  Strata c = other_handle();
  c.set_run("child");
  c.state_set("cell", 2);
  c.json_set("doc", "$.b[1]", 3);
  c.json_set("doc", "$.c.e", 2);
  c.json_delete("doc", "$.a");
  c.event_append("e", Value::object({{"n", 2}}));
  c.vector_upsert("mem", "moved", std::vector<float>{0, 1}, Value::object({{"tag", "x"}}));
  c.vector_create_collection("new", 3, Metric::Euclidean);
  c.vector_upsert("new", "v", std::vector<float>{1, 2, 3});
  db.vector_delete_collection("old");
  db.event_append("e", Value::object({{"n", 3}}));
  db.event_append("e", Value::object({{"n", 4}}));

  const RunDiff d = db.diff_runs("default", "child");
  BOOST_TEST_REQUIRE(d.state.size() == 1u);
  BOOST_TEST((d.state[0].a == std::optional<Value>(1)));
  BOOST_TEST((d.state[0].b == std::optional<Value>(2)));
  BOOST_TEST_REQUIRE(d.json.size() == 1u);
  BOOST_TEST((d.json[0].paths == std::vector<std::string>{"$.a", "$.b[1]", "$.c.e"}));
  BOOST_TEST(d.common_events == 1u);
  BOOST_TEST_REQUIRE(d.events_a.size() == 2u);
  BOOST_TEST(d.events_a[0].sequence == 2u);
  BOOST_TEST_REQUIRE(d.events_b.size() == 1u);
  BOOST_TEST(d.events_b[0].payload.at("n") == Value(2));
  // Collections: "new" added in b, "old" still in b but dropped in a.
  BOOST_TEST_REQUIRE(d.collections.size() == 2u);
  BOOST_TEST(d.collections[0].key == "new");
  BOOST_TEST((!d.collections[0].a && d.collections[0].b));
  BOOST_TEST(d.collections[1].key == "old");
  BOOST_TEST((!d.collections[1].a && d.collections[1].b));
  // Vectors: the moved one, and every vector of a collection on one side.
  std::vector<std::string> vectors;
  for (const auto& v : d.vectors) vectors.push_back(v.collection + "/" + v.key);
  BOOST_TEST((vectors == std::vector<std::string>{"mem/moved", "new/v", "old/x"}));
  BOOST_TEST(d.vectors[0].b->as_object().at("metadata") == Value::object({{"tag", "x"}}));
}

BOOST_AUTO_TEST_CASE(a_diff_at_a_past_point) {
  db.kv_put("k", 1);
  db.fork_run("child");
  Strata c = other_handle();
  c.set_run("child");
  const Version before = visible();
  c.kv_put("k", 2);
  db.kv_put("p", 1);
  BOOST_TEST(db.diff_runs("default", "child", AsOf::at_version(before)).kv.empty());
  BOOST_TEST(db.diff_runs("default", "child").kv.size() == 2u);
  BOOST_TEST(db.diff_runs("default", "child", AsOf::at_version(before + 1)).kv.size() == 1u);
  BOOST_CHECK_EXCEPTION(db.diff_runs("default", "child", AsOf::at_version(visible() + 9)), Error,
                        CodeIs{errc::invalid_input});
  BOOST_CHECK_EXCEPTION(db.diff_runs("default", "nope"), Error, CodeIs{errc::run_not_found});
}

BOOST_AUTO_TEST_CASE(a_fork_at_an_older_point_than_the_journal_covers) {
  // The parent's journal starts at its first fork; a later fork at an older
  // version diffs from a scan of the parent instead, with the same result.
  std::mt19937 rng(9);
  Model at_v1;
  churn(db, at_v1, rng, 100, 0);
  const Version v1 = visible();
  Model parent = at_v1;
  churn(db, parent, rng, 50, 1000);
  db.fork_run("first");
  db.fork_run("old", AsOf::at_version(v1));
  churn(db, parent, rng, 50, 2000);
  BOOST_TEST((db.diff_runs("default", "old").kv == expected_kv(parent, at_v1)));
  BOOST_TEST((db.diff_runs("old", "default").kv == expected_kv(at_v1, parent)));
}

BOOST_AUTO_TEST_CASE(forks_of_forks_diff_with_their_ancestors) {
  std::mt19937 rng(11);
  Model base, mid, leaf;
  churn(db, base, rng, 100, 0);
  db.fork_run("mid");
  mid = base;
  Strata m = other_handle();
  m.set_run("mid");
  churn(m, mid, rng, 40, 100);
  m.fork_run("leaf");
  leaf = mid;
  Strata l = other_handle();
  l.set_run("leaf");
  churn(l, leaf, rng, 40, 200);
  churn(m, mid, rng, 40, 300);
  churn(db, base, rng, 40, 400);
  BOOST_TEST((db.diff_runs("default", "leaf").kv == expected_kv(base, leaf)));
  BOOST_TEST((db.diff_runs("mid", "leaf").kv == expected_kv(mid, leaf)));
  BOOST_TEST((db.diff_runs("leaf", "default").kv == expected_kv(leaf, base)));
}

BOOST_AUTO_TEST_CASE(sessions_diff_named_runs) {
  db.kv_put("k", 1);
  db.fork_run("child");
  Session s(db);
  s.execute(cmd::RunUse{.name = "child"});
  s.execute(cmd::KvPut{.key = "k", .value = Value(2)});
  const Output out = s.execute(cmd::RunDiff{.a = "default", .b = "child"});
  BOOST_TEST_REQUIRE(std::holds_alternative<out::Diff>(out));
  BOOST_TEST(std::get<out::Diff>(out).diff.kv.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(changed_paths_name_the_differing_leaves) {
  using ops::changed_paths;
  BOOST_TEST(changed_paths(Value(1), Value(1)).empty());
  BOOST_TEST((changed_paths(Value(1), Value("1")) == std::vector<std::string>{"$"}));
  BOOST_TEST((changed_paths(Value::object({{"a", 1}, {"b", 2}}), Value::object({{"b", 3}, {"c", 4}})) ==
              std::vector<std::string>{"$.a", "$.b", "$.c"}));
  BOOST_TEST((changed_paths(Value::array({1, 2}), Value::array({1, 2, 3})) == std::vector<std::string>{"$"}));
  BOOST_TEST((changed_paths(Value::object({{"x y", Value::array({1})}}), Value::object({{"x y", Value::array({2})}})) ==
              std::vector<std::string>{R"($["x y"][0])"}));
}

BOOST_AUTO_TEST_CASE(the_journal_is_rebuilt_on_reopen) {
  test::TempDir dir("diff");
  RunDiff before;
  {
    auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));
    std::mt19937 rng(5);
    Model m, c;
    churn(db, m, rng, 60, 0);
    db.fork_run("child");
    db.compact();  // some of the parent's changes before the snapshot, some after
    churn(db, m, rng, 30, 100);
    Strata child = db;
    child.set_run("child");
    churn(child, c, rng, 30, 200);
    db.compact();
    churn(db, m, rng, 30, 300);
    before = db.diff_runs("default", "child");
    BOOST_TEST(!before.kv.empty());
  }
  auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));
  BOOST_TEST((db.diff_runs("default", "child") == before));
}
