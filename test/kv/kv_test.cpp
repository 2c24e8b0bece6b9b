// KV semantics through the synchronous facade (SPEC §5 KV, §11): versions,
// deletes, listing and pagination, history, value round-trips, key/value
// validation (each rule its own code, and a rejection changes nothing), and
// a closed database.
#define BOOST_TEST_MODULE kv
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using strata::errc;
using strata::Value;
using strata::test::CodeAndMessage;
using strata::test::CodeIs;
using strata::test::DbFixture;
using strata::test::dirty_ec;
using strata::test::is;

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());  // std::string compares bytes as unsigned char
  return v;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(kv_basics, DbFixture)

BOOST_AUTO_TEST_CASE(put_get_overwrite_returns_strictly_increasing_versions) {
  const auto v1 = db.kv_put("k", 1);
  BOOST_TEST(v1 > 0u);
  BOOST_TEST(*db.kv_get("k") == Value(1));
  const auto v2 = db.kv_put("k", "two");
  BOOST_TEST(v2 > v1);
  BOOST_TEST(*db.kv_get("k") == Value("two"));
  const auto v3 = db.kv_put("other", 3);
  BOOST_TEST(v3 > v2);
  BOOST_TEST(visible() == v3);
}

BOOST_AUTO_TEST_CASE(versions_are_gap_free_over_commits) {
  const auto first = db.kv_put("a", 1);
  for (int i = 1; i <= 5; ++i) BOOST_TEST(db.kv_put("a" + std::to_string(i), i) == first + i);
}

BOOST_AUTO_TEST_CASE(get_absent_is_nullopt) {
  BOOST_TEST(!db.kv_get("missing").has_value());
  db.kv_put("present", 1);
  BOOST_TEST(!db.kv_get("presen").has_value());
  BOOST_TEST(!db.kv_get("present2").has_value());
}

BOOST_AUTO_TEST_CASE(error_code_overloads_clear_ec_on_success) {
  auto ec = dirty_ec();
  const auto v = db.kv_put("k", 7, ec);
  BOOST_TEST(!ec);
  BOOST_TEST(v > 0u);
  ec = dirty_ec();
  auto got = db.kv_get("k", ec);
  BOOST_TEST(!ec);
  BOOST_TEST(*got == Value(7));
  ec = dirty_ec();
  BOOST_TEST(db.kv_list("", {}, ec).keys == std::vector<std::string>{"k"});
  BOOST_TEST(!ec);
  ec = dirty_ec();
  BOOST_TEST(db.kv_history("k", ec).size() == 1u);
  BOOST_TEST(!ec);
  ec = dirty_ec();
  BOOST_TEST(db.kv_delete("k", ec));
  BOOST_TEST(!ec);
  ec = dirty_ec();
  db.flush(ec);
  BOOST_TEST(!ec);
  ec = dirty_ec();
  db.compact(ec);  // no-op in memory, but must not report an error
  BOOST_TEST(!ec);
  db.flush();
  db.compact();
}

BOOST_AUTO_TEST_CASE(delete_reports_existence) {
  db.kv_put("k", 1);
  BOOST_TEST(db.kv_delete("k"));
  BOOST_TEST(!db.kv_get("k").has_value());
  BOOST_TEST(!db.kv_delete("k"));  // already a tombstone
  BOOST_TEST(!db.kv_delete("never"));
}

BOOST_AUTO_TEST_CASE(deleting_an_absent_key_consumes_no_version) {
  const auto v1 = db.kv_put("k", 1);
  BOOST_TEST(!db.kv_delete("absent"));
  BOOST_TEST(visible() == v1);
  BOOST_TEST(db.kv_history("absent").empty());
  BOOST_TEST(db.kv_put("k", 2) == v1 + 1);

  // A delete that existed consumes exactly one version; a repeat does not.
  BOOST_TEST(db.kv_delete("k"));
  BOOST_TEST(visible() == v1 + 2);
  BOOST_TEST(!db.kv_delete("k"));
  BOOST_TEST(visible() == v1 + 2);
  BOOST_TEST(db.kv_history("k").size() == 3u);
}

BOOST_AUTO_TEST_CASE(every_value_kind_round_trips) {
  strata::Object obj;
  obj["z"] = Value::array({1, "x", nullptr});
  obj["a"] = Value::object({{"deep", Value::array({Value::array({2.5})})}});
  const std::vector<Value> values{
      Value(),
      Value(true),
      Value(false),
      Value(std::numeric_limits<std::int64_t>::min()),
      Value(std::numeric_limits<std::int64_t>::max()),
      Value(0),
      Value(3.25),
      Value(-0.0),
      Value(""),
      Value(std::string("nul\0inside", 10)),
      Value("héllo 日本 🚀"),
      Value::bytes(std::string("\x00\xff\x80", 3)),
      Value(strata::Bytes{}),
      Value(strata::Array{}),
      Value(strata::Object{}),
      Value(obj),
      strata::test::nested_array(strata::kMaxNestingDepth),
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string key = "v" + std::to_string(i);
    BOOST_TEST_CONTEXT("value " << i << " = " << values[i]) {
      db.kv_put(key, values[i]);
      auto got = db.kv_get(key);
      BOOST_TEST_REQUIRE(got.has_value());
      BOOST_TEST((got->kind() == values[i].kind()));
      BOOST_TEST(*got == values[i]);
    }
  }
  // -0.0 == 0.0 under IEEE, so check the sign survived separately.
  BOOST_TEST(std::signbit(db.kv_get("v7")->as_float()));
}

BOOST_AUTO_TEST_CASE(kinds_never_coerce_on_overwrite) {
  db.kv_put("k", 1);
  db.kv_put("k", 1.0);
  BOOST_TEST(db.kv_get("k")->is_float());
  BOOST_TEST(*db.kv_get("k") != Value(1));
  db.kv_put("k", Value::bytes("a"));
  BOOST_TEST(*db.kv_get("k") != Value("a"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(kv_list, DbFixture)

BOOST_AUTO_TEST_CASE(lists_in_byte_order_with_utf8_and_uppercase) {
  const std::vector<std::string> keys{"b", "a", "B", "A", "ab", "a/b", "a0", "é", "日本", "Z", "zz", "~", "_x"};
  for (const auto& k : keys) db.kv_put(k, k);
  const std::vector<std::string> expected{"A", "B", "Z", "_x", "a", "a/b", "a0", "ab", "b", "zz", "~", "é", "日本"};
  BOOST_TEST(sorted(keys) == expected);  // the test's own idea of byte order
  BOOST_TEST(db.kv_list().keys == expected);
  BOOST_TEST(!db.kv_list().next_cursor.has_value());
}

BOOST_AUTO_TEST_CASE(prefix_filters) {
  for (const char* k : {"user:1", "user:2", "user:10", "user", "users", "usr:1", "User:1", "user:é"}) db.kv_put(k, 0);
  BOOST_TEST(db.kv_list("user:").keys == (std::vector<std::string>{"user:1", "user:10", "user:2", "user:é"}));
  BOOST_TEST(db.kv_list("user").keys ==
             (std::vector<std::string>{"user", "user:1", "user:10", "user:2", "user:é", "users"}));
  BOOST_TEST(db.kv_list("User").keys == std::vector<std::string>{"User:1"});
  BOOST_TEST(db.kv_list("nothing").keys.empty());
  BOOST_TEST(!db.kv_list("nothing").next_cursor.has_value());
  BOOST_TEST(db.kv_list("user:é").keys == std::vector<std::string>{"user:é"});
}

BOOST_AUTO_TEST_CASE(pagination_walks_every_key_exactly_once) {
  std::vector<std::string> keys;
  for (int i = 0; i < 23; ++i) keys.push_back("p/" + std::to_string(i));
  keys.push_back("p/é");
  for (const auto& k : keys) db.kv_put(k, 0);
  db.kv_put("q/outside", 0);
  db.kv_put("o/outside", 0);
  for (std::size_t limit : {1u, 2u, 3u, 7u, 24u, 25u, 100u}) {
    BOOST_TEST_CONTEXT("limit " << limit) {
      BOOST_TEST(strata::test::list_all_pages(db, "p/", limit) == sorted(keys));
    }
  }
  auto all = keys;
  all.insert(all.end(), {"q/outside", "o/outside"});
  BOOST_TEST(strata::test::list_all_pages(db, "", 5) == sorted(all));
}

BOOST_AUTO_TEST_CASE(limit_caps_a_page_and_last_page_has_no_cursor) {
  for (const char* k : {"a", "b", "c"}) db.kv_put(k, 0);
  auto first = db.kv_list("", {2, {}});
  BOOST_TEST(first.keys == (std::vector<std::string>{"a", "b"}));
  BOOST_TEST_REQUIRE(first.next_cursor.has_value());
  auto second = db.kv_list("", {2, *first.next_cursor});
  BOOST_TEST(second.keys == std::vector<std::string>{"c"});
  BOOST_TEST(!second.next_cursor.has_value());
}

BOOST_AUTO_TEST_CASE(limit_zero_is_invalid_limit) {
  db.kv_put("a", 0);
  STRATA_CHECK_ERRC(db.kv_list("", {0, {}}), errc::invalid_limit);
  auto ec = dirty_ec();
  auto page = db.kv_list("", {0, {}}, ec);
  BOOST_TEST(is(ec, errc::invalid_limit));
  BOOST_TEST(page.keys.empty());
}

BOOST_AUTO_TEST_CASE(foreign_cursor_is_invalid_cursor) {
  for (const char* k : {"a/1", "a/2", "a/3", "b/1", "b/2"}) db.kv_put(k, 0);
  auto page = db.kv_list("a/", {1, {}});
  BOOST_TEST_REQUIRE(page.next_cursor.has_value());
  STRATA_CHECK_ERRC(db.kv_list("b/", {1, *page.next_cursor}), errc::invalid_cursor);
  auto ec = dirty_ec();
  db.kv_list("b/", {1, *page.next_cursor}, ec);
  BOOST_TEST(is(ec, errc::invalid_cursor));
  // The cursor still works where it came from.
  BOOST_TEST(db.kv_list("a/", {1, *page.next_cursor}).keys == std::vector<std::string>{"a/2"});
}

BOOST_AUTO_TEST_CASE(deleted_keys_are_not_listed) {
  for (const char* k : {"a", "b", "c", "d"}) db.kv_put(k, 0);
  db.kv_delete("b");
  db.kv_delete("d");
  BOOST_TEST(db.kv_list().keys == (std::vector<std::string>{"a", "c"}));
  BOOST_TEST(strata::test::list_all_pages(db, "", 1) == (std::vector<std::string>{"a", "c"}));
  db.kv_put("b", 1);  // resurrected
  BOOST_TEST(db.kv_list().keys == (std::vector<std::string>{"a", "b", "c"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(kv_history, DbFixture)

BOOST_AUTO_TEST_CASE(newest_first_with_tombstones) {
  const auto v1 = db.kv_put("k", 1);
  db.kv_put("noise", 0);
  const auto v2 = db.kv_put("k", "two");
  db.kv_delete("k");
  const auto v4 = db.kv_put("k", 4.0);
  const auto h = db.kv_history("k");
  BOOST_TEST_REQUIRE(h.size() == 4u);
  BOOST_TEST(h[0].version == v4);
  BOOST_TEST(h[0].value == Value(4.0));
  BOOST_TEST(!h[0].tombstone);
  BOOST_TEST(h[1].tombstone);
  BOOST_TEST(h[1].value.is_null());
  BOOST_TEST(h[1].version == v2 + 1);
  BOOST_TEST(h[2].version == v2);
  BOOST_TEST(h[2].value == Value("two"));
  BOOST_TEST(h[3].version == v1);
  BOOST_TEST(h[3].value == Value(1));
  for (std::size_t i = 1; i < h.size(); ++i) {
    BOOST_TEST(h[i - 1].version > h[i].version);
    BOOST_TEST(h[i - 1].timestamp_us >= h[i].timestamp_us);
  }
  BOOST_TEST(h.back().timestamp_us > 0);
}

BOOST_AUTO_TEST_CASE(never_existing_key_has_empty_history) {
  db.kv_put("other", 1);
  BOOST_TEST(db.kv_history("k").empty());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- validation: each rule its own code, and a rejection changes nothing ----

namespace {

struct BadKey {
  std::string label;
  std::string key;
  errc code;
  std::string fragment;  // what() must mention it (the key or the limit)
};

std::vector<BadKey> bad_keys() {
  return {
      {"empty", "", errc::key_empty, "empty"},
      {"1025 bytes", std::string(1025, 'k'), errc::key_too_long, "1024"},
      {"1025 bytes, key named", std::string(1025, 'q'), errc::key_too_long, "qqqq"},
      {"NUL", std::string("bad\0key", 7), errc::key_contains_nul, "\"bad"},
      {"invalid UTF-8", "bad\xff\xfekey", errc::key_not_utf8, "bad"},
      {"overlong UTF-8", "over\xc0\xafkey", errc::key_not_utf8, "over"},
      {"UTF-16 surrogate", "sur\xed\xa0\x80", errc::key_not_utf8, "sur"},
      {"past U+10FFFF", "big\xf4\x90\x80\x80", errc::key_not_utf8, "big"},
      {"truncated sequence", "cut\xe6\x97", errc::key_not_utf8, "cut"},
      {"lone continuation", "\x80", errc::key_not_utf8, "UTF-8"},
      {"reserved", "_strata/x", errc::key_reserved, "_strata/x"},
  };
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(kv_validation, DbFixture)

BOOST_AUTO_TEST_CASE(each_bad_key_has_its_own_code_and_changes_nothing) {
  db.kv_put("existing", 1);
  const auto before = visible();
  for (const auto& bad : bad_keys()) {
    BOOST_TEST_CONTEXT(bad.label) {
      BOOST_CHECK_EXCEPTION(db.kv_put(bad.key, 1), strata::Error, (CodeAndMessage{bad.code, {bad.fragment}}));
      STRATA_CHECK_ERRC(db.kv_get(bad.key), bad.code);
      STRATA_CHECK_ERRC(db.kv_delete(bad.key), bad.code);
      STRATA_CHECK_ERRC(db.kv_history(bad.key), bad.code);
      auto ec = dirty_ec();
      BOOST_TEST(db.kv_put(bad.key, 1, ec) == 0u);
      BOOST_TEST(is(ec, bad.code));
      ec = {};
      BOOST_TEST(!db.kv_get(bad.key, ec).has_value());
      BOOST_TEST(is(ec, bad.code));
      ec = {};
      BOOST_TEST(!db.kv_delete(bad.key, ec));
      BOOST_TEST(is(ec, bad.code));
      ec = {};
      BOOST_TEST(db.kv_history(bad.key, ec).empty());
      BOOST_TEST(is(ec, bad.code));
    }
  }
  BOOST_TEST(visible() == before);
  BOOST_TEST(db.kv_list().keys == std::vector<std::string>{"existing"});
  BOOST_TEST(live_kv_keys() == 1u);
}

BOOST_AUTO_TEST_CASE(key_of_exactly_1024_bytes_is_accepted) {
  const std::string key(1024, 'k');
  db.kv_put(key, 1);
  BOOST_TEST(*db.kv_get(key) == Value(1));
  BOOST_TEST(db.kv_list().keys == std::vector<std::string>{key});
  BOOST_TEST(db.kv_delete(key));
}

BOOST_AUTO_TEST_CASE(keys_near_the_rules_are_accepted) {
  // Only the exact reserved prefix is reserved; 4-byte UTF-8 is valid.
  for (const char* k : {"_strata", "_strata_x", "strata/x", "x/_strata/", "🚀", "_"}) {
    BOOST_TEST_CONTEXT(k) {
      db.kv_put(k, 1);
      BOOST_TEST(db.kv_get(k).has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(too_large_value_is_rejected_and_changes_nothing) {
  const auto v1 = db.kv_put("k", "small");
  const Value huge(std::string(strata::kMaxValueBytes + 1, 'x'));
  BOOST_CHECK_EXCEPTION(db.kv_put("k", huge), strata::Error, (CodeAndMessage{errc::value_too_large, {"\"k\""}}));
  BOOST_CHECK_EXCEPTION(db.kv_put("new", huge), strata::Error, CodeIs{errc::value_too_large});
  auto ec = dirty_ec();
  db.kv_put("k", huge, ec);
  BOOST_TEST(is(ec, errc::value_too_large));
  BOOST_TEST(*db.kv_get("k") == Value("small"));
  BOOST_TEST(!db.kv_get("new").has_value());
  BOOST_TEST(visible() == v1);
  BOOST_TEST(db.kv_put("k", 2) == v1 + 1);
}

BOOST_AUTO_TEST_CASE(too_deep_value_is_rejected_and_changes_nothing) {
  const auto v1 = db.kv_put("k", "small");
  const Value deep = strata::test::nested_array(strata::kMaxNestingDepth + 1);
  BOOST_TEST(deep.depth() == 129u);
  BOOST_CHECK_EXCEPTION(db.kv_put("k", deep), strata::Error,
                        (CodeAndMessage{errc::nesting_too_deep, {"\"k\"", "128"}}));
  auto ec = dirty_ec();
  db.kv_put("k", deep, ec);
  BOOST_TEST(is(ec, errc::nesting_too_deep));
  BOOST_TEST(*db.kv_get("k") == Value("small"));
  BOOST_TEST(visible() == v1);
}

BOOST_AUTO_TEST_CASE(limit_is_named_in_value_too_large_message) {
  const Value huge(std::string(strata::kMaxValueBytes + 1, 'x'));
  BOOST_CHECK_EXCEPTION(db.kv_put("big", huge), strata::Error,
                        (CodeAndMessage{errc::value_too_large, {"\"big\"", "16 MiB"}}));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- closed database -----------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(operations_after_close_fail_with_database_closed, DbFixture) {
  db.kv_put("k", 1);
  db.create_run("r");
  strata::Strata copy = db;
  db.close();
  db.close();  // idempotent
  STRATA_CHECK_ERRC(db.kv_put("k", 2), errc::database_closed);
  STRATA_CHECK_ERRC(db.kv_get("k"), errc::database_closed);
  STRATA_CHECK_ERRC(db.kv_delete("k"), errc::database_closed);
  STRATA_CHECK_ERRC(db.kv_list(), errc::database_closed);
  STRATA_CHECK_ERRC(db.kv_history("k"), errc::database_closed);
  STRATA_CHECK_ERRC(db.create_run("r2"), errc::database_closed);
  STRATA_CHECK_ERRC(db.set_run("r"), errc::database_closed);
  STRATA_CHECK_ERRC(db.list_runs(), errc::database_closed);
  STRATA_CHECK_ERRC(db.run_info("r"), errc::database_closed);
  STRATA_CHECK_ERRC(db.delete_run("r"), errc::database_closed);
  STRATA_CHECK_ERRC(db.begin(), errc::database_closed);
  STRATA_CHECK_ERRC(db.ping(), errc::database_closed);
  // Closing is for every handle sharing the database.
  STRATA_CHECK_ERRC(copy.kv_get("k"), errc::database_closed);
  auto ec = dirty_ec();
  copy.kv_put("k", 3, ec);
  BOOST_TEST(is(ec, errc::database_closed));
  ec = {};
  copy.begin(ec);
  BOOST_TEST(is(ec, errc::database_closed));
}
