// run_digest (docs/guides/runs.md, "Digests"): a SHA-256 of a run's content
// in every primitive that is equal for equal content however it was written
// — other write orders, overwrites and deletes on the way, a collection
// dropped and created again (a new internal id) — and different when any
// primitive's content differs; at an AsOf (a version, or a time standing
// for the newest commit at or before it) it is the digest the run had then;
// it is the same after reopening from the WAL and from a snapshot; bad
// input (an unknown run, a point in the future) is refused with a clear
// error through every front end.
#define BOOST_TEST_MODULE run_digest
#include <boost/test/unit_test.hpp>

#include "support/frontends.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace strata;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::ok;

namespace {

const std::vector<float> kA{1, 0, 0}, kB{0, 1, 0}, kC{0.5f, 0.5f, 0};

/// The content every "same" run ends with, written straight.
void write_directly(Strata& db) {
  db.kv_put("a", 1);
  db.kv_put("b", Value::object({{"x", "y"}}));
  db.state_set("lock", "held");
  db.json_set("doc", "$", Value::object({{"n", 2}, {"tags", Value::array({"t"})}}));
  db.vector_create_collection("mem", 3, Metric::Cosine);
  db.vector_upsert("mem", "m1", kA, Value::object({{"kind", "fact"}}));
  db.vector_upsert("mem", "m2", kB);
}

/// The same content by another road: other orders, values overwritten,
/// keys deleted, the document built by path edits, the collection dropped
/// and created again (so its internal id differs).
void write_by_detour(Strata& db) {
  db.vector_create_collection("mem", 3, Metric::Cosine);
  db.vector_upsert("mem", "gone", kC);
  db.vector_delete_collection("mem");
  db.vector_create_collection("mem", 3, Metric::Cosine);
  db.vector_upsert("mem", "m2", kA);
  db.json_set("doc", "$", Value::object({{"n", 1}}));
  db.kv_put("b", 0);
  db.kv_put("tmp", 5);
  db.json_set("doc", "$.tags", Value::array({"t"}));
  db.json_set("doc", "$.n", 2);
  db.vector_upsert("mem", "m1", kA, Value::object({{"kind", "fact"}}));
  db.vector_upsert("mem", "m2", kB);
  db.state_set("lock", "free");
  db.state_set("lock", "held");
  db.kv_delete("tmp");
  db.kv_put("b", Value::object({{"x", "y"}}));
  db.kv_put("a", 1);
}

Strata on_run(Strata& db, const std::string& run) {
  Strata h(db.database());
  if (!h.run_exists(run)) h.create_run(run);
  h.set_run(run);
  return h;
}

}  // namespace

namespace strata {
std::ostream& operator<<(std::ostream& os, const RunDigest& d) { return os << d.sha256 << " @" << d.version; }
}  // namespace strata

namespace {

bool is_hex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(equal_content_equal_digest)

STRATA_FRONTEND_TEST(the_same_content_by_two_roads_has_one_digest) {
  auto a = on_run(db, "direct");
  auto b = on_run(db, "detour");
  write_directly(a);
  write_by_detour(b);
  Api api(db, front);
  const auto da = ok(api.run_digest("direct")), db_ = ok(api.run_digest("detour"));
  BOOST_TEST(is_hex64(da.sha256));
  BOOST_TEST(da.sha256 == db_.sha256);
  BOOST_TEST(da.version == db.info().visible_version);
  // Empty runs agree too, and differ from a full one.
  on_run(db, "empty1");
  on_run(db, "empty2");
  BOOST_TEST(ok(api.run_digest("empty1")).sha256 == ok(api.run_digest("empty2")).sha256);
  BOOST_TEST(ok(api.run_digest("empty1")).sha256 != da.sha256);
}

BOOST_AUTO_TEST_CASE(runs_with_the_same_events_copied_agree) {
  // Events carry their commit's timestamp and hash chain: they are content.
  // The same events at the same times (as a replay writes them) agree.
  test::DbFixture f;
  auto a = on_run(f.db, "a");
  a.event_append("tool", Value::object({{"n", 1}}));
  BOOST_TEST(f.db.run_digest("a").sha256 != f.db.run_digest("default").sha256);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(any_difference_shows)

BOOST_AUTO_TEST_CASE(a_change_in_any_primitive_changes_the_digest) {
  test::DbFixture f;
  auto base = on_run(f.db, "base");
  write_directly(base);
  const std::string want = f.db.run_digest("base").sha256;
  // Each variant: the direct content, then one change.
  const std::vector<std::pair<std::string, void (*)(Strata&)>> changes{
      {"kv value", [](Strata& d) { d.kv_put("a", 2); }},
      {"kv 1 vs 1.0", [](Strata& d) { d.kv_put("a", 1.0); }},
      {"kv key added", [](Strata& d) { d.kv_put("c", 1); }},
      {"kv key deleted", [](Strata& d) { d.kv_delete("a"); }},
      {"state cell", [](Strata& d) { d.state_set("lock", "free"); }},
      {"json leaf", [](Strata& d) { d.json_set("doc", "$.n", 3); }},
      {"json array", [](Strata& d) { d.json_array_append("doc", "$.tags", "u"); }},
      {"event appended", [](Strata& d) { d.event_append("e", Value::object({})); }},
      {"vector component", [](Strata& d) { d.vector_upsert("mem", "m2", std::vector<float>{0, 1, 1e-7f}); }},
      {"vector metadata", [](Strata& d) { d.vector_upsert("mem", "m2", kB, Value::object({{"kind", "x"}})); }},
      {"vector deleted", [](Strata& d) { d.vector_delete("mem", "m2"); }},
      {"collection added", [](Strata& d) { d.vector_create_collection("other", 3, Metric::Cosine); }},
  };
  int i = 0;
  for (const auto& [what, change] : changes) {
    const std::string run = "variant" + std::to_string(i++);
    auto h = on_run(f.db, run);
    write_directly(h);
    BOOST_TEST_CONTEXT(what) {
      BOOST_TEST(f.db.run_digest(run).sha256 == want);  // before the change: equal
      change(h);
      BOOST_TEST(f.db.run_digest(run).sha256 != want);
    }
  }
  // Same vectors, another metric / dimension: different collections.
  auto m = on_run(f.db, "metric");
  m.vector_create_collection("mem", 3, Metric::Euclidean);
  auto c = on_run(f.db, "cosine");
  c.vector_create_collection("mem", 3, Metric::Cosine);
  BOOST_TEST(f.db.run_digest("metric").sha256 != f.db.run_digest("cosine").sha256);
}

BOOST_AUTO_TEST_CASE(keys_cannot_blur_across_primitives_or_boundaries) {
  // Framing: "ab"+"c" is not "a"+"bc", and a KV key is not a state cell.
  test::DbFixture f;
  on_run(f.db, "kv").kv_put("k", "v");
  on_run(f.db, "state").state_set("k", "v");
  on_run(f.db, "json").json_set("k", "$", "v");
  BOOST_TEST(f.db.run_digest("kv").sha256 != f.db.run_digest("state").sha256);
  BOOST_TEST(f.db.run_digest("kv").sha256 != f.db.run_digest("json").sha256);
  BOOST_TEST(f.db.run_digest("state").sha256 != f.db.run_digest("json").sha256);
  on_run(f.db, "x1").kv_put("ab", "c");
  on_run(f.db, "x2").kv_put("a", "bc");
  BOOST_TEST(f.db.run_digest("x1").sha256 != f.db.run_digest("x2").sha256);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(as_of)

STRATA_FRONTEND_TEST(a_digest_as_of_a_version_or_a_time_is_the_one_the_run_had_then) {
  // Commits a millisecond apart, so each has its own timestamp.
  auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(2)); };
  std::vector<RunDigest> then;
  std::vector<std::int64_t> times;
  const std::string empty = db.run_digest("default").sha256;
  for (int i = 0; i < 4; ++i) {
    pause();
    db.kv_put("k", i);
    times.push_back(db.kv_history("k").front().timestamp_us);
    if (i == 2) db.vector_create_collection("mem", 3, Metric::DotProduct);
    then.push_back(db.run_digest("default"));
    pause();
  }
  Api api(db, front);
  for (std::size_t i = 0; i < then.size(); ++i)
    BOOST_TEST_CONTEXT("step " << i) {
      BOOST_TEST(ok(api.run_digest("default", AsOf::at_version(then[i].version))) == then[i]);
      // The time of step i's kv_put is followed by no commit in the same µs
      // but, at step 2, the collection's — so step 2's time names the put.
      const auto at_time = ok(api.run_digest("default", AsOf::at_time_us(times[i])));
      BOOST_TEST(at_time.version == (i == 2 ? then[i].version - 1 : then[i].version));
      if (i != 2) BOOST_TEST(at_time.sha256 == then[i].sha256);
    }
  // Before any commit: version 0, the empty state.
  const auto before = ok(api.run_digest("default", AsOf::at_time_us(times[0] - 1000)));
  BOOST_TEST(before.sha256 == empty);
  BOOST_TEST(ok(api.run_digest("default", AsOf::at_version(0))).sha256 == empty);
}

STRATA_FRONTEND_TEST(bad_points_and_runs_are_refused) {
  db.kv_put("k", 1);
  Api api(db, front);
  const Version newest = db.info().visible_version;
  check_fails(api.run_digest("default", AsOf::at_version(newest + 1)), errc::invalid_input,
              {"as_of version " + std::to_string(newest + 1), "after the newest commit (version " + std::to_string(newest)});
  check_fails(api.run_digest("default", AsOf::at_time_us(std::numeric_limits<std::int64_t>::max())),
              errc::invalid_input, {"in the future"});
  check_fails(api.run_digest("nope"), errc::run_not_found, {"nope"});
  check_fails(api.run_digest(""), errc::invalid_run_name);
  BOOST_TEST(db.info().visible_version == newest);  // nothing was written
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(durability)

BOOST_AUTO_TEST_CASE(digests_and_times_survive_reopening_from_the_wal_and_from_a_snapshot) {
  test::TempDir dir("digest");
  std::vector<RunDigest> then;
  std::vector<std::int64_t> times;
  {
    auto db = Strata::open(dir.root, test::reopen_options(Durability::Strict));
    auto a = on_run(db, "agent");
    write_by_detour(a);
    for (int i = 0; i < 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      a.kv_put("n", i);
      times.push_back(a.kv_history("n").front().timestamp_us);
      then.push_back(db.run_digest("agent"));
    }
  }
  auto check = [&](Strata& db, const char* how) {
    BOOST_TEST_CONTEXT(how) {
      BOOST_TEST(db.run_digest("agent").sha256 == then.back().sha256);
      for (std::size_t i = 0; i < then.size(); ++i) {
        BOOST_TEST(db.run_digest("agent", AsOf::at_version(then[i].version)) == then[i]);
        BOOST_TEST(db.run_digest("agent", AsOf::at_time_us(times[i])) == then[i]);
      }
      // And it still equals the content written straight.
      auto fresh = on_run(db, std::string("direct-") + how);
      write_directly(fresh);
      fresh.kv_put("n", 2);
      BOOST_TEST(db.run_digest(std::string("direct-") + how).sha256 == then.back().sha256);
    }
  };
  {
    auto db = Strata::open(dir.root, test::reopen_options(Durability::Strict));
    check(db, "wal");
    db.compact();
  }
  auto db = Strata::open(dir.root, test::reopen_options(Durability::Strict));
  check(db, "snapshot");
}

BOOST_AUTO_TEST_SUITE_END()
