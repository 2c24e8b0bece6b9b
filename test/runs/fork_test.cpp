// Forks (docs/guides/branches.md): fork_run makes a run whose content is
// its parent's at the fork version in every primitive, without copying; the
// two then diverge independently. Covered here: content equality (and equal
// digests) at the fork point, isolation both ways, tombstones in the fork
// hiding the parent's keys in point reads and paged listings (randomized
// against a model), JSON path edits / CAS / event appends on inherited
// values, forks at a past version and time, forks of forks to depth 8,
// history and time travel through the layers, OCC on a fork, the deletion
// rule (a parent with forks is refused), errors that change nothing, the
// async core, Session commands, and reopening from the WAL and a snapshot.
#define BOOST_TEST_MODULE fork
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <strata/session.hpp>

#include <boost/asio/use_future.hpp>

#include <map>
#include <random>
#include <set>
#include <thread>
#include <chrono>
#include <string>
#include <vector>

using namespace strata;
using test::CodeAndMessage;
using test::CodeIs;

namespace {

/// One of everything in the current run.
void write_every_primitive(Strata& db) {
  db.vector_create_collection("mem", 2, Metric::DotProduct);
  auto tx = db.begin();
  tx.kv_put("k", "one");
  tx.kv_put("gone", 1);
  tx.state_set("cell", 1);
  tx.json_set("doc", "$", Value::object({{"n", 1}, {"tags", Value::array({"a"})}}));
  tx.event_append("step", Value::object({{"i", 1}}));
  tx.event_append("other", Value::object({{"i", 2}}));
  tx.vector_upsert("mem", "a", std::vector<float>{1, 0}, Value::object({{"i", 1}}));
  tx.vector_upsert("mem", "b", std::vector<float>{0, 1});
  tx.commit();
  db.kv_delete("gone");
}

std::vector<std::string> all_keys(Strata& db, std::string_view prefix = {}, std::size_t page = 7) {
  std::vector<std::string> out;
  PageRequest req{page, {}};
  for (;;) {
    auto p = db.kv_list(prefix, req);
    out.insert(out.end(), p.keys.begin(), p.keys.end());
    if (!p.next_cursor) return out;
    req.cursor = *p.next_cursor;
  }
}

std::vector<std::string> keys_of(const std::map<std::string, int>& model, std::string_view prefix = {}) {
  std::vector<std::string> out;
  for (const auto& [k, v] : model)
    if (k.starts_with(prefix)) out.push_back(k);
  return out;
}

std::vector<float> vec(float x, float y) { return {x, y}; }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(forks, test::DbFixture)

BOOST_AUTO_TEST_CASE(a_fork_holds_the_parents_content_in_every_primitive) {
  write_every_primitive(db);
  const Version at = visible();
  const RunInfo info = db.fork_run("child");
  BOOST_TEST(info.name == "child");
  BOOST_TEST((info.parent == std::optional<std::string>("default")));
  BOOST_TEST((info.fork_version == std::optional<Version>(at)));
  BOOST_TEST(visible() == at);  // forking writes no commit
  BOOST_TEST(db.current_run() == "default");  // and does not switch

  const auto parent_events = db.event_range(1, 10);
  const auto parent_search = db.vector_search("mem", vec(1, 1), 2, {.exact = true});
  db.set_run("child");
  BOOST_TEST((db.kv_get("k") == std::optional<Value>("one")));
  BOOST_TEST(!db.kv_get("gone"));
  BOOST_TEST((all_keys(db) == std::vector<std::string>{"k"}));
  BOOST_TEST((db.state_read("cell")->value == Value(1)));
  BOOST_TEST((db.json_get("doc", "$.tags[0]") == std::optional<Value>("a")));
  BOOST_TEST((db.json_list().keys == std::vector<std::string>{"doc"}));
  BOOST_TEST(db.event_len() == 2u);
  BOOST_TEST((db.event_range(1, 10) == parent_events));  // same sequences, payloads and hashes
  BOOST_TEST(db.event_read_by_type("other").size() == 1u);
  BOOST_TEST(db.event_verify().ok);
  BOOST_TEST(db.vector_list_collections().size() == 1u);
  BOOST_TEST((db.vector_get("mem", "a")->vector == vec(1, 0)));
  BOOST_TEST((db.vector_search("mem", vec(1, 1), 2, {.exact = true}) == parent_search));
  BOOST_TEST((db.vector_search("mem", vec(1, 1), 2) == parent_search));
  BOOST_TEST(db.vector_collection_info("mem").count == 2u);
  BOOST_TEST(db.run_digest("child").sha256 == db.run_digest("default").sha256);
}

BOOST_AUTO_TEST_CASE(writes_after_the_fork_are_isolated_both_ways) {
  write_every_primitive(db);
  db.fork_run("child");
  const std::string digest_at_fork = db.run_digest("default").sha256;
  // The parent moves on.
  db.kv_put("k", "parent-two");
  db.kv_put("parent-only", 1);
  db.state_set("cell", 10);
  db.json_set("doc", "$.n", 10);
  db.event_append("step", Value::object({{"i", 3}}));
  db.vector_upsert("mem", "c", vec(1, 1));
  db.vector_delete("mem", "a");

  Strata child = other_handle();
  child.set_run("child");
  BOOST_TEST(child.run_digest("child").sha256 == digest_at_fork);
  BOOST_TEST((child.kv_get("k") == std::optional<Value>("one")));
  BOOST_TEST(!child.kv_get("parent-only"));
  BOOST_TEST((child.state_read("cell")->value == Value(1)));
  BOOST_TEST(child.event_len() == 2u);
  BOOST_TEST(child.vector_get("mem", "a").has_value());
  BOOST_TEST(!child.vector_get("mem", "c").has_value());

  // The fork moves on; the parent does not see it.
  const std::string parent_digest = db.run_digest("default").sha256;
  child.kv_put("k", "child-two");
  child.kv_put("child-only", 2);
  child.state_set("cell", 20);
  child.json_set("doc", "$.n", 20);
  child.event_append("step", Value::object({{"i", 30}}));
  child.vector_upsert("mem", "d", vec(2, 2));
  BOOST_TEST(db.run_digest("default").sha256 == parent_digest);
  BOOST_TEST((db.kv_get("k") == std::optional<Value>("parent-two")));
  BOOST_TEST(!db.kv_get("child-only"));
  BOOST_TEST((db.json_get("doc", "$.n") == std::optional<Value>(10)));
  BOOST_TEST((child.json_get("doc", "$.n") == std::optional<Value>(20)));
  BOOST_TEST((child.json_get("doc", "$.tags") == std::optional<Value>(Value::array({"a"}))));
  BOOST_TEST(db.event_len() == 3u);
  BOOST_TEST(child.event_len() == 3u);
  BOOST_TEST(db.event_read(3)->payload.at("i") == Value(3));
  BOOST_TEST(child.event_read(3)->payload.at("i") == Value(30));
  BOOST_TEST(child.event_verify().ok);
  BOOST_TEST(db.event_verify().ok);
  const auto found = child.vector_search("mem", vec(1, 1), 3);
  BOOST_TEST_REQUIRE(found.size() == 3u);
  BOOST_TEST(found[0].key == "d");
}

BOOST_AUTO_TEST_CASE(the_forks_tombstones_hide_parent_keys_in_reads_and_paged_lists) {
  // Randomized against a model: enough keys that a listing crosses the
  // layered scan's batches, with deletes and re-puts on both sides.
  std::mt19937 rng(42);
  std::map<std::string, int> parent, child;
  auto key = [&] { return "key:" + std::to_string(rng() % 600); };
  for (int i = 0; i < 900; ++i) {
    const std::string k = key();
    if (rng() % 4 == 0) {
      db.kv_delete(k);
      parent.erase(k);
    } else {
      db.kv_put(k, i);
      parent[k] = i;
    }
  }
  db.fork_run("child");
  child = parent;
  Strata c = other_handle();
  c.set_run("child");
  for (int i = 0; i < 900; ++i) {
    const std::string k = key();
    const int what = static_cast<int>(rng() % 3);
    if (what == 0) {
      c.kv_delete(k);
      child.erase(k);
    } else if (what == 1) {
      c.kv_put(k, -i);
      child[k] = -i;
    } else {  // the parent moves on; the fork must not see it
      db.kv_put(k, 100000 + i);
      parent[k] = 100000 + i;
    }
  }
  for (const std::size_t page : {1u, 7u, 64u, 1000u}) {
    BOOST_TEST((all_keys(c, {}, page) == keys_of(child)));
    BOOST_TEST((all_keys(db, {}, page) == keys_of(parent)));
  }
  BOOST_TEST((all_keys(c, "key:1") == keys_of(child, "key:1")));
  for (int i = 0; i < 600; ++i) {
    const std::string k = "key:" + std::to_string(i);
    const auto it = child.find(k);
    const auto got = c.kv_get(k);
    BOOST_TEST(got.has_value() == (it != child.end()), k);
    if (got && it != child.end()) BOOST_TEST((*got == Value(it->second)), k);
  }
  BOOST_TEST(c.info().keys["kv"] >= child.size());
}

BOOST_AUTO_TEST_CASE(json_edits_cas_and_event_appends_build_on_inherited_values) {
  db.json_set("doc", "$", Value::object({{"a", 1}, {"b", Value::object({{"c", 2}})}}));
  const Version cell_version = db.state_set("cell", "free");
  db.event_append("e", Value::object({{"n", 1}}));
  db.fork_run("child");
  db.set_run("child");
  db.json_set("doc", "$.b.d", 3);
  BOOST_TEST((db.json_get("doc", "$") ==
              std::optional<Value>(Value::object({{"a", 1}, {"b", Value::object({{"c", 2}, {"d", 3}})}}))));
  BOOST_TEST(db.json_incr("doc", "$.a", 5) == Value(6));
  BOOST_TEST(db.state_read("cell")->version == cell_version);
  BOOST_TEST(!db.state_cas("cell", cell_version + 1000, "taken"));  // the wrong version is refused
  BOOST_TEST(db.state_cas("cell", cell_version, "taken").has_value());
  const Version taken = db.state_read("cell")->version;
  BOOST_TEST(db.state_init("cell", "again") == taken);  // set already: no write
  BOOST_TEST((db.state_read("cell")->value == Value("taken")));
  BOOST_TEST(db.event_append("e", Value::object({{"n", 2}})) == 2u);
  BOOST_TEST(db.event_verify().ok);
  BOOST_TEST(db.event_verify().checked == 2u);
  db.set_run("default");
  BOOST_TEST((db.state_read("cell")->value == Value("free")));
  BOOST_TEST((db.json_get("doc", "$.a") == std::optional<Value>(1)));
  BOOST_TEST(db.event_len() == 1u);
}

BOOST_AUTO_TEST_CASE(a_fork_at_a_past_version_or_time_holds_the_content_of_then) {
  const Version v1 = db.kv_put("k", 1);
  const std::string digest1 = db.run_digest("default").sha256;
  const std::int64_t t1 = db.kv_history("k").front().timestamp_us;
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  db.kv_put("k", 2);
  db.kv_put("later", 1);
  const RunInfo at_version = db.fork_run("at-version", AsOf::at_version(v1));
  BOOST_TEST((at_version.fork_version == std::optional<Version>(v1)));
  const RunInfo at_time = db.fork_run("at-time", AsOf::at_time_us(t1));
  BOOST_TEST((at_time.fork_version == std::optional<Version>(v1)));
  for (const char* name : {"at-version", "at-time"}) {
    db.set_run(name);
    BOOST_TEST((db.kv_get("k") == std::optional<Value>(1)));
    BOOST_TEST(!db.kv_get("later"));
    BOOST_TEST(db.run_digest(name).sha256 == digest1);
  }
}

BOOST_AUTO_TEST_CASE(history_and_time_travel_read_through_the_layers) {
  const Version v1 = db.kv_put("k", 1);
  const Version v2 = db.kv_put("k", 2);
  db.fork_run("child");
  db.kv_put("k", 3);  // the parent's, after the fork: not in the fork's history
  db.set_run("child");
  const Version v4 = db.kv_put("k", 4);
  const auto h = db.kv_history("k");
  BOOST_TEST_REQUIRE(h.size() == 3u);
  BOOST_TEST(h[0].version == v4);
  BOOST_TEST(h[1].version == v2);
  BOOST_TEST(h[2].version == v1);
  BOOST_TEST((db.kv_get("k", AsOf::at_version(v1)) == std::optional<Value>(1)));
  BOOST_TEST((db.kv_get("k", AsOf::at_version(v4 - 1)) == std::optional<Value>(2)));  // the fork point, not the parent's 3
  BOOST_TEST((db.kv_get("k", AsOf::at_version(v4)) == std::optional<Value>(4)));
}

BOOST_AUTO_TEST_CASE(forks_of_forks_to_depth_eight) {
  // Run i adds key i and deletes key i-1; each level sees exactly its own
  // ancestry, and a fork's digest equals its parent's at the fork point.
  std::string parent = "default";
  db.kv_put("key0", 0);
  for (int depth = 1; depth <= 9; ++depth) {
    const std::string name = "level" + std::to_string(depth);
    const std::string parent_digest = db.run_digest(parent).sha256;
    const RunInfo info = db.fork_run(name);
    BOOST_TEST((info.parent == std::optional<std::string>(parent)));
    BOOST_TEST(db.run_digest(name).sha256 == parent_digest);
    db.set_run(name);
    db.kv_put("key" + std::to_string(depth), depth);
    db.kv_delete("key" + std::to_string(depth - 1));
    parent = name;
  }
  BOOST_TEST((all_keys(db) == std::vector<std::string>{"key9"}));
  BOOST_TEST((db.kv_get("key9") == std::optional<Value>(9)));
  BOOST_TEST(!db.kv_get("key0"));
  db.set_run("level4");
  BOOST_TEST((all_keys(db) == std::vector<std::string>{"key4"}));
  db.set_run("default");
  BOOST_TEST((all_keys(db) == std::vector<std::string>{"key0"}));
}

BOOST_AUTO_TEST_CASE(a_parent_with_forks_cannot_be_deleted_and_a_fork_can) {
  db.create_run("base");
  db.set_run("base");
  db.kv_put("k", 1);
  db.fork_run("f1");
  db.fork_run("f2");
  db.set_run("default");
  BOOST_CHECK_EXCEPTION(db.delete_run("base"), Error,
                        (CodeAndMessage{errc::run_has_children, {"\"base\"", "\"f1\"", "\"f2\"", "delete them first"}}));
  error_code ec;
  db.delete_run("base", ec);
  BOOST_TEST(test::is(ec, errc::run_has_children));
  BOOST_TEST(db.run_exists("base"));
  BOOST_TEST(db.delete_run("f1") == 0u);  // the fork's own entries: none
  db.set_run("f2");
  BOOST_TEST((db.kv_get("k") == std::optional<Value>(1)));
  db.set_run("default");
  BOOST_CHECK_EXCEPTION(db.delete_run("base"), Error, CodeIs{errc::run_has_children});
  db.delete_run("f2");
  BOOST_TEST(db.delete_run("base") == 1u);
}

BOOST_AUTO_TEST_CASE(dropping_a_collection_in_the_parent_keeps_the_forks_vectors) {
  db.vector_create_collection("mem", 2, Metric::Cosine);
  db.vector_upsert("mem", "a", vec(1, 0));
  db.fork_run("child");
  db.vector_delete_collection("mem");
  db.vector_wait_indexed();  // a drop's vectors are freed by the indexer
  db.set_run("child");
  BOOST_TEST((db.vector_get("mem", "a")->vector == vec(1, 0)));
  BOOST_TEST(db.vector_search("mem", vec(1, 0), 1).size() == 1u);
  // The fork drops the collection it inherited: gone there, and its own
  // vectors go with it; a new collection of the name starts empty.
  db.vector_upsert("mem", "own", vec(0, 1));
  db.vector_delete_collection("mem");
  db.vector_wait_indexed();
  BOOST_CHECK_EXCEPTION(db.vector_get("mem", "a"), Error, CodeIs{errc::collection_not_found});
  db.vector_create_collection("mem", 2, Metric::Cosine);
  BOOST_TEST(!db.vector_get("mem", "a"));
  BOOST_TEST(!db.vector_get("mem", "own"));
}

BOOST_AUTO_TEST_CASE(bad_forks_are_refused_and_change_nothing) {
  db.kv_put("k", 1);
  db.create_run("taken");
  const auto runs_before = db.list_runs();
  const Version v = visible();
  BOOST_CHECK_EXCEPTION(db.fork_run("taken"), Error, (CodeAndMessage{errc::run_exists, {"\"taken\""}}));
  BOOST_CHECK_EXCEPTION(db.fork_run("bad name"), Error, CodeIs{errc::invalid_run_name});
  BOOST_CHECK_EXCEPTION(db.fork_run("future", AsOf::at_version(v + 5)), Error,
                        (CodeAndMessage{errc::invalid_input, {"\"default\"", std::to_string(v + 5)}}));
  error_code ec;
  db.fork_run("taken", std::nullopt, ec);
  BOOST_TEST(test::is(ec, errc::run_exists));
  BOOST_TEST(db.list_runs().size() == runs_before.size());
  BOOST_TEST(visible() == v);
}

BOOST_AUTO_TEST_CASE(a_transaction_on_a_fork_conflicts_only_with_the_forks_writes) {
  db.kv_put("k", 1);
  db.fork_run("child");
  Strata c = other_handle();
  c.set_run("child");
  auto tx = c.begin();
  BOOST_TEST((tx.kv_get("k") == std::optional<Value>(1)));
  tx.kv_put("out", 1);
  db.kv_put("k", 2);  // the parent's write: not in the fork, no conflict
  BOOST_CHECK_NO_THROW(tx.commit());
  auto tx2 = c.begin();
  BOOST_TEST((tx2.kv_get("k") == std::optional<Value>(1)));
  tx2.kv_put("out", 2);
  c.kv_put("k", 3);  // the fork's own write of a key tx2 read
  BOOST_CHECK_EXCEPTION(tx2.commit(), Error, CodeIs{errc::transaction_conflict});
}

BOOST_AUTO_TEST_CASE(the_async_core_forks_and_reads_through_the_layers) {
  auto database = db.database();
  database->async_kv_put("default", "k", Value("v"), boost::asio::use_future).get();
  const RunInfo info = database->async_fork_run("default", "child", std::nullopt, boost::asio::use_future).get();
  BOOST_TEST((info.parent == std::optional<std::string>("default")));
  BOOST_TEST((database->async_kv_get("child", "k", boost::asio::use_future).get() == std::optional<Value>("v")));
  database->async_fork_run("child", "grandchild", std::nullopt, boost::asio::use_future).get();
  BOOST_TEST((database->async_kv_get("grandchild", "k", boost::asio::use_future).get() == std::optional<Value>("v")));
  BOOST_TEST(!database->async_kv_get("grandchild", "none", boost::asio::use_future).get());
  BOOST_CHECK_EXCEPTION(database->async_fork_run("nope", "x", std::nullopt, boost::asio::use_future).get(),
                        boost::system::system_error,
                        [](const boost::system::system_error& e) { return e.code() == errc::run_not_found; });
}

BOOST_AUTO_TEST_CASE(sessions_fork_their_current_run_and_not_inside_a_transaction) {
  db.kv_put("k", 1);
  Session s(db);
  const Output out = s.execute(cmd::RunFork{.name = "child"});
  BOOST_TEST_REQUIRE(std::holds_alternative<out::RunOut>(out));
  BOOST_TEST((std::get<out::RunOut>(out).run.parent == std::optional<std::string>("default")));
  s.execute(cmd::RunFork{.run = "child", .name = "grandchild", .at = AsOf::at_version(visible())});
  BOOST_TEST((db.run_info("grandchild").parent == std::optional<std::string>("child")));
  s.execute(cmd::Begin{});
  error_code ec;
  s.execute(cmd::RunFork{.name = "in-tx"}, ec);
  BOOST_TEST(test::is(ec, errc::transaction_already_active));
  BOOST_TEST(!db.run_exists("in-tx"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(forks_survive_reopening_from_the_wal_and_from_a_snapshot) {
  test::TempDir dir("fork");
  std::string parent_digest, child_digest;
  Version fork_version = 0;
  {
    auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));
    write_every_primitive(db);
    fork_version = *db.fork_run("child").fork_version;
    db.kv_put("k", "parent-after");
    db.set_run("child");
    // Logged as path edits and appends: replaying them needs the parent's
    // document and log head beneath the fork.
    db.json_set("doc", "$.n", 2);
    db.json_array_append("doc", "$.tags", "b");
    db.event_append("step", Value::object({{"i", 3}}));
    db.kv_delete("k");
    db.vector_upsert("mem", "c", vec(1, 1));
    db.fork_run("grandchild");
    parent_digest = db.run_digest("default").sha256;
    child_digest = db.run_digest("child").sha256;
  }
  auto check = [&](Strata& db) {
    const RunInfo info = db.run_info("child");
    BOOST_TEST((info.parent == std::optional<std::string>("default")));
    BOOST_TEST((info.fork_version == std::optional<Version>(fork_version)));
    BOOST_TEST((db.run_info("grandchild").parent == std::optional<std::string>("child")));
    BOOST_TEST(db.run_digest("default").sha256 == parent_digest);
    BOOST_TEST(db.run_digest("child").sha256 == child_digest);
    BOOST_TEST(db.run_digest("grandchild").sha256 == child_digest);
    db.set_run("child");
    BOOST_TEST((db.json_get("doc", "$") ==
                std::optional<Value>(Value::object({{"n", 2}, {"tags", Value::array({"a", "b"})}}))));
    BOOST_TEST(!db.kv_get("k"));
    BOOST_TEST(db.event_len() == 3u);
    BOOST_TEST(db.event_verify().ok);
    BOOST_TEST(db.vector_search("mem", vec(1, 1), 3).size() == 3u);
    BOOST_CHECK_EXCEPTION(db.delete_run("default"), Error, CodeIs{errc::run_is_default});
    db.set_run("default");
    BOOST_CHECK_EXCEPTION(db.delete_run("child"), Error, CodeIs{errc::run_has_children});
  };
  {
    auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));  // from the WAL
    check(db);
    db.compact();
  }
  {
    auto db = Strata::open(dir.db(), test::reopen_options(Durability::Strict));  // from the snapshot
    db.vector_wait_indexed();  // orphaned vectors are erased by the indexer: the fork's must not be
    check(db);
    db.set_run("child");
    db.event_append("step", Value::object({{"i", 4}}));  // the log head is still found after a snapshot
    BOOST_TEST(db.event_verify().ok);
  }
}
