// KV semantics (docs/design/primitives.md KV, §11): versions, deletes, listing and pagination,
// history, value round-trips, key/value validation (each rule its own code,
// and a rejection changes nothing), and a closed database. Every semantic
// case runs through every front end — throwing, error_code& and async
// (support/frontends.hpp) — so the three must agree on values, codes and
// messages; only the case about the error_code& overloads themselves is
// single-front-end. TTLs: an expired value reads as absent at once (and as
// live at a time-travel point before its expiry), the reaper then deletes it
// unless it was written again, bad TTLs are refused, and expiries survive
// reopening from the WAL and from a snapshot.
#define BOOST_TEST_MODULE kv
#include <boost/test/unit_test.hpp>

#include "support/frontends.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <thread>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

using strata::errc;
using strata::Value;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::DbFixture;
using strata::test::dirty_ec;
using strata::test::Front;
using strata::test::is;
using strata::test::ok;

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());  // std::string compares bytes as unsigned char
  return v;
}

/// Walks every page of kv_list through the api's front end.
std::vector<std::string> list_all_pages(Api& api, std::string_view prefix, std::size_t limit) {
  return strata::test::list_all_pages(
      [&](std::string_view p, const strata::PageRequest& r) { return ok(api.kv_list(p, r)); }, prefix, limit);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kv_basics)

STRATA_FRONTEND_TEST(put_get_overwrite_returns_strictly_increasing_versions) {
  Api api(db, front);
  const auto v1 = ok(api.kv_put("k", 1));
  BOOST_TEST(v1 > 0u);
  BOOST_TEST(*ok(api.kv_get("k")) == Value(1));
  const auto v2 = ok(api.kv_put("k", "two"));
  BOOST_TEST(v2 > v1);
  BOOST_TEST(*ok(api.kv_get("k")) == Value("two"));
  const auto v3 = ok(api.kv_put("other", 3));
  BOOST_TEST(v3 > v2);
  BOOST_TEST(visible() == v3);
}

STRATA_FRONTEND_TEST(versions_are_gap_free_over_commits) {
  Api api(db, front);
  const auto first = ok(api.kv_put("a", 1));
  for (int i = 1; i <= 5; ++i) BOOST_TEST(ok(api.kv_put("a" + std::to_string(i), i)) == first + i);
}

STRATA_FRONTEND_TEST(get_absent_is_nullopt) {
  Api api(db, front);
  BOOST_TEST(!ok(api.kv_get("missing")).has_value());
  db.kv_put("present", 1);
  BOOST_TEST(!ok(api.kv_get("presen")).has_value());
  BOOST_TEST(!ok(api.kv_get("present2")).has_value());
}

// Single front end: the subject is the error_code& overloads themselves
// (a dirty ec is cleared on success), including flush/compact, which the
// harness does not cover.
BOOST_FIXTURE_TEST_CASE(error_code_overloads_clear_ec_on_success, DbFixture) {
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

STRATA_FRONTEND_TEST(delete_reports_existence) {
  Api api(db, front);
  db.kv_put("k", 1);
  BOOST_TEST(ok(api.kv_delete("k")));
  BOOST_TEST(!ok(api.kv_get("k")).has_value());
  BOOST_TEST(!ok(api.kv_delete("k")));  // already a tombstone
  BOOST_TEST(!ok(api.kv_delete("never")));
}

STRATA_FRONTEND_TEST(deleting_an_absent_key_consumes_no_version) {
  Api api(db, front);
  const auto v1 = ok(api.kv_put("k", 1));
  BOOST_TEST(!ok(api.kv_delete("absent")));
  BOOST_TEST(visible() == v1);
  BOOST_TEST(ok(api.kv_history("absent")).empty());
  BOOST_TEST(ok(api.kv_put("k", 2)) == v1 + 1);

  // A delete that existed consumes exactly one version; a repeat does not.
  BOOST_TEST(ok(api.kv_delete("k")));
  BOOST_TEST(visible() == v1 + 2);
  BOOST_TEST(!ok(api.kv_delete("k")));
  BOOST_TEST(visible() == v1 + 2);
  BOOST_TEST(ok(api.kv_history("k")).size() == 3u);
}

STRATA_FRONTEND_TEST(every_value_kind_round_trips) {
  Api api(db, front);
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
      ok(api.kv_put(key, values[i]));
      auto got = ok(api.kv_get(key));
      BOOST_TEST_REQUIRE(got.has_value());
      BOOST_TEST((got->kind() == values[i].kind()));
      BOOST_TEST(*got == values[i]);
    }
  }
  // -0.0 == 0.0 under IEEE, so check the sign survived separately.
  BOOST_TEST(std::signbit(ok(api.kv_get("v7"))->as_float()));
}

STRATA_FRONTEND_TEST(kinds_never_coerce_on_overwrite) {
  Api api(db, front);
  ok(api.kv_put("k", 1));
  ok(api.kv_put("k", 1.0));
  BOOST_TEST(ok(api.kv_get("k"))->is_float());
  BOOST_TEST(*ok(api.kv_get("k")) != Value(1));
  ok(api.kv_put("k", Value::bytes("a")));
  BOOST_TEST(*ok(api.kv_get("k")) != Value("a"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(kv_list)

STRATA_FRONTEND_TEST(lists_in_byte_order_with_utf8_and_uppercase) {
  Api api(db, front);
  const std::vector<std::string> keys{"b", "a", "B", "A", "ab", "a/b", "a0", "é", "日本", "Z", "zz", "~", "_x"};
  for (const auto& k : keys) db.kv_put(k, k);
  const std::vector<std::string> expected{"A", "B", "Z", "_x", "a", "a/b", "a0", "ab", "b", "zz", "~", "é", "日本"};
  BOOST_TEST(sorted(keys) == expected);  // the test's own idea of byte order
  BOOST_TEST(ok(api.kv_list()).keys == expected);
  BOOST_TEST(!ok(api.kv_list()).next_cursor.has_value());
}

STRATA_FRONTEND_TEST(prefix_filters) {
  Api api(db, front);
  for (const char* k : {"user:1", "user:2", "user:10", "user", "users", "usr:1", "User:1", "user:é"}) db.kv_put(k, 0);
  BOOST_TEST(ok(api.kv_list("user:")).keys == (std::vector<std::string>{"user:1", "user:10", "user:2", "user:é"}));
  BOOST_TEST(ok(api.kv_list("user")).keys ==
             (std::vector<std::string>{"user", "user:1", "user:10", "user:2", "user:é", "users"}));
  BOOST_TEST(ok(api.kv_list("User")).keys == std::vector<std::string>{"User:1"});
  BOOST_TEST(ok(api.kv_list("nothing")).keys.empty());
  BOOST_TEST(!ok(api.kv_list("nothing")).next_cursor.has_value());
  BOOST_TEST(ok(api.kv_list("user:é")).keys == std::vector<std::string>{"user:é"});
}

STRATA_FRONTEND_TEST(pagination_walks_every_key_exactly_once) {
  Api api(db, front);
  std::vector<std::string> keys;
  for (int i = 0; i < 23; ++i) keys.push_back("p/" + std::to_string(i));
  keys.push_back("p/é");
  for (const auto& k : keys) db.kv_put(k, 0);
  db.kv_put("q/outside", 0);
  db.kv_put("o/outside", 0);
  for (std::size_t limit : {1u, 2u, 3u, 7u, 24u, 25u, 100u}) {
    BOOST_TEST_CONTEXT("limit " << limit) {
      BOOST_TEST(list_all_pages(api, "p/", limit) == sorted(keys));
    }
  }
  auto all = keys;
  all.insert(all.end(), {"q/outside", "o/outside"});
  BOOST_TEST(list_all_pages(api, "", 5) == sorted(all));
}

STRATA_FRONTEND_TEST(limit_caps_a_page_and_last_page_has_no_cursor) {
  Api api(db, front);
  for (const char* k : {"a", "b", "c"}) db.kv_put(k, 0);
  auto first = ok(api.kv_list("", {2, {}}));
  BOOST_TEST(first.keys == (std::vector<std::string>{"a", "b"}));
  BOOST_TEST_REQUIRE(first.next_cursor.has_value());
  auto second = ok(api.kv_list("", {2, *first.next_cursor}));
  BOOST_TEST(second.keys == std::vector<std::string>{"c"});
  BOOST_TEST(!second.next_cursor.has_value());
}

STRATA_FRONTEND_TEST(limit_zero_is_invalid_limit) {
  Api api(db, front);
  db.kv_put("a", 0);
  check_fails(api.kv_list("", {0, {}}), errc::invalid_limit);
  // The harness keeps no value of a failed call, so the error_code& form's
  // "a failed call returns a default result" is checked on the form itself.
  if (api.front() == Front::ErrorCode) {
    auto ec = dirty_ec();
    auto page = db.kv_list("", {0, {}}, ec);
    BOOST_TEST(is(ec, errc::invalid_limit));
    BOOST_TEST(page.keys.empty());
  }
}

STRATA_FRONTEND_TEST(foreign_cursor_is_invalid_cursor) {
  Api api(db, front);
  for (const char* k : {"a/1", "a/2", "a/3", "b/1", "b/2"}) db.kv_put(k, 0);
  auto page = ok(api.kv_list("a/", {1, {}}));
  BOOST_TEST_REQUIRE(page.next_cursor.has_value());
  check_fails(api.kv_list("b/", {1, *page.next_cursor}), errc::invalid_cursor);
  // The cursor still works where it came from.
  BOOST_TEST(ok(api.kv_list("a/", {1, *page.next_cursor})).keys == std::vector<std::string>{"a/2"});
}

STRATA_FRONTEND_TEST(deleted_keys_are_not_listed) {
  Api api(db, front);
  for (const char* k : {"a", "b", "c", "d"}) db.kv_put(k, 0);
  ok(api.kv_delete("b"));
  ok(api.kv_delete("d"));
  BOOST_TEST(ok(api.kv_list()).keys == (std::vector<std::string>{"a", "c"}));
  BOOST_TEST(list_all_pages(api, "", 1) == (std::vector<std::string>{"a", "c"}));
  ok(api.kv_put("b", 1));  // resurrected
  BOOST_TEST(ok(api.kv_list()).keys == (std::vector<std::string>{"a", "b", "c"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(kv_history)

STRATA_FRONTEND_TEST(newest_first_with_tombstones) {
  Api api(db, front);
  const auto v1 = ok(api.kv_put("k", 1));
  db.kv_put("noise", 0);
  const auto v2 = ok(api.kv_put("k", "two"));
  ok(api.kv_delete("k"));
  const auto v4 = ok(api.kv_put("k", 4.0));
  const auto h = ok(api.kv_history("k"));
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

STRATA_FRONTEND_TEST(never_existing_key_has_empty_history) {
  Api api(db, front);
  db.kv_put("other", 1);
  BOOST_TEST(ok(api.kv_history("k")).empty());
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

BOOST_AUTO_TEST_SUITE(kv_validation)

STRATA_FRONTEND_TEST(each_bad_key_has_its_own_code_and_changes_nothing) {
  Api api(db, front);
  db.kv_put("existing", 1);
  const auto before = visible();
  for (const auto& bad : bad_keys()) {
    BOOST_TEST_CONTEXT(bad.label) {
      check_fails(api.kv_put(bad.key, 1), bad.code, {bad.fragment});
      check_fails(api.kv_get(bad.key), bad.code);
      check_fails(api.kv_delete(bad.key), bad.code);
      check_fails(api.kv_history(bad.key), bad.code);
      // The harness keeps no value of a failed call, so the error_code& form's
      // default results are checked on the form itself.
      if (api.front() == Front::ErrorCode) {
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
  }
  BOOST_TEST(visible() == before);
  BOOST_TEST(ok(api.kv_list()).keys == std::vector<std::string>{"existing"});
  BOOST_TEST(live_kv_keys() == 1u);
}

STRATA_FRONTEND_TEST(key_of_exactly_1024_bytes_is_accepted) {
  Api api(db, front);
  const std::string key(1024, 'k');
  ok(api.kv_put(key, 1));
  BOOST_TEST(*ok(api.kv_get(key)) == Value(1));
  BOOST_TEST(ok(api.kv_list()).keys == std::vector<std::string>{key});
  BOOST_TEST(ok(api.kv_delete(key)));
}

STRATA_FRONTEND_TEST(keys_near_the_rules_are_accepted) {
  Api api(db, front);
  // Only the exact reserved prefix is reserved; 4-byte UTF-8 is valid.
  for (const char* k : {"_strata", "_strata_x", "strata/x", "x/_strata/", "🚀", "_"}) {
    BOOST_TEST_CONTEXT(k) {
      ok(api.kv_put(k, 1));
      BOOST_TEST(ok(api.kv_get(k)).has_value());
    }
  }
}

// The throwing and error_code& checks of one rejection are one check_fails
// each, run through every front end.
STRATA_FRONTEND_TEST(too_large_value_is_rejected_and_changes_nothing) {
  Api api(db, front);
  const auto v1 = ok(api.kv_put("k", "small"));
  const Value huge(std::string(strata::kMaxValueBytes + 1, 'x'));
  check_fails(api.kv_put("k", huge), errc::value_too_large, {"\"k\""});
  check_fails(api.kv_put("new", huge), errc::value_too_large);
  BOOST_TEST(*ok(api.kv_get("k")) == Value("small"));
  BOOST_TEST(!ok(api.kv_get("new")).has_value());
  BOOST_TEST(visible() == v1);
  BOOST_TEST(ok(api.kv_put("k", 2)) == v1 + 1);
}

STRATA_FRONTEND_TEST(too_deep_value_is_rejected_and_changes_nothing) {
  Api api(db, front);
  const auto v1 = ok(api.kv_put("k", "small"));
  const Value deep = strata::test::nested_array(strata::kMaxNestingDepth + 1);
  BOOST_TEST(deep.depth() == 129u);
  check_fails(api.kv_put("k", deep), errc::nesting_too_deep, {"\"k\"", "128"});
  BOOST_TEST(*ok(api.kv_get("k")) == Value("small"));
  BOOST_TEST(visible() == v1);
}

STRATA_FRONTEND_TEST(limit_is_named_in_value_too_large_message) {
  Api api(db, front);
  const Value huge(std::string(strata::kMaxValueBytes + 1, 'x'));
  check_fails(api.kv_put("big", huge), errc::value_too_large, {"\"big\"", "16 MiB"});
}

BOOST_AUTO_TEST_SUITE_END()

// ---- TTL ---------------------------------------------------------------------------

namespace {

using namespace std::chrono_literals;

strata::PutOptions ttl(std::chrono::milliseconds d) { return strata::PutOptions{d}; }

/// Polls `done` for up to 5 s (the reaper runs on its own thread).
template <class Fn>
bool eventually(Fn done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kv_ttl)

STRATA_FRONTEND_TEST(an_expired_value_reads_as_absent_at_once_and_as_live_before) {
  Api api(db, front);
  const auto v = ok(api.kv_put("session", "token", ttl(150ms)));
  ok(api.kv_put("stays", 1));
  const auto written = std::chrono::steady_clock::now();
  const auto digest_then = db.run_digest("default", strata::AsOf::at_version(v)).sha256;
  const bool in_time = std::chrono::steady_clock::now() - written < 100ms;  // a slow machine may be past it
  if (in_time) BOOST_TEST((ok(api.kv_get("session")) == Value("token")));
  std::this_thread::sleep_until(written + 200ms);
  BOOST_TEST(!ok(api.kv_get("session")));
  BOOST_TEST((sorted(ok(api.kv_list()).keys) == std::vector<std::string>{"stays"}));
  // Time travel: at its own version the value was live, for reads and digests alike.
  BOOST_TEST((db.kv_get("session", strata::AsOf::at_version(v)) == Value("token")));
  if (in_time) BOOST_TEST(db.run_digest("default", strata::AsOf::at_version(v)).sha256 == digest_then);
  BOOST_TEST(db.run_digest("default", strata::AsOf::at_version(v)).sha256 != db.run_digest("default").sha256);
  const auto h = ok(api.kv_history("session"));
  BOOST_TEST_REQUIRE(!h.empty());
  BOOST_TEST((h.back().value == Value("token")));
  // kv_delete finds nothing to delete; writing again starts afresh.
  BOOST_TEST(!ok(api.kv_delete("session")));
  ok(api.kv_put("session", "new"));
  BOOST_TEST((ok(api.kv_get("session")) == Value("new")));
}

STRATA_FRONTEND_TEST(bad_ttls_are_refused_and_write_nothing) {
  Api api(db, front);
  const auto before = visible();
  check_fails(api.kv_put("k", 1, ttl(0ms)), errc::invalid_input, {"ttl of 0 ms"});
  check_fails(api.kv_put("k", 1, ttl(-5ms)), errc::invalid_input, {"outside 1 ms"});
  check_fails(api.kv_put("k", 1, ttl(std::chrono::milliseconds(std::int64_t{1} << 48))), errc::invalid_input);
  BOOST_TEST(visible() == before);
  BOOST_TEST(!db.kv_get("k"));
}

BOOST_AUTO_TEST_CASE(the_reaper_deletes_expired_values_but_not_ones_written_again) {
  strata::Options o;
  o.ttl_reap_interval = 5ms;
  auto db = strata::Strata::open_temp(o);
  db.kv_put("a", 1, ttl(20ms));
  db.kv_put("b", 2, ttl(20ms));
  db.kv_put("b", 3);             // written again without a TTL: never expires
  db.kv_put("c", 4, ttl(1h));
  db.kv_put("c", 5, ttl(20ms));  // a new TTL replaces the old one
  auto tx = db.begin();
  tx.kv_put("t", 6, ttl(20ms));  // transactions take TTLs too
  tx.commit();
  const bool reaped = eventually([&] {
    const auto ha = db.kv_history("a"), hc = db.kv_history("c"), ht = db.kv_history("t");
    return ha.front().tombstone && hc.front().tombstone && ht.front().tombstone;
  });
  BOOST_TEST_REQUIRE(reaped);
  BOOST_TEST(db.kv_history("a").size() == 2u);  // the value, then the reaper's deletion
  BOOST_TEST((db.kv_get("b") == Value(3)));
  BOOST_TEST(!db.kv_history("b").front().tombstone);
  BOOST_TEST(!db.kv_get("c"));
  BOOST_TEST(db.kv_history("c").size() == 3u);  // 1 h, then 20 ms, then the reaper's deletion
}

BOOST_FIXTURE_TEST_CASE(history_shows_the_ttl_and_a_replay_keeps_it, DbFixture) {
  db.kv_put("k", 1, ttl(1h));
  db.kv_put("k", 2);
  const auto h = db.kv_history("k");
  BOOST_TEST_REQUIRE(h.size() == 2u);
  BOOST_TEST(!h[0].ttl_ms.has_value());
  BOOST_TEST((h[1].ttl_ms == std::optional<std::uint64_t>(3'600'000)));
  db.replay_run("default", "copy");
  strata::Strata copy = other_handle();
  copy.set_run("copy");
  const auto replayed = copy.kv_history("k");
  BOOST_TEST_REQUIRE(replayed.size() == 2u);
  BOOST_TEST((replayed[1].ttl_ms == std::optional<std::uint64_t>(3'600'000)));
  BOOST_TEST(db.run_digest("copy").sha256 == db.run_digest("default").sha256);
}

BOOST_AUTO_TEST_CASE(expiries_survive_reopening_from_the_wal_and_from_a_snapshot) {
  strata::test::TempDir dir("ttl");
  auto options = strata::test::reopen_options(strata::Durability::Strict);
  options.ttl_reap_interval = 1h;  // nothing but the TTL itself can delete these
  std::chrono::steady_clock::time_point last_put;
  {
    auto db = strata::Strata::open(dir.db(), options);
    db.kv_put("forever", 2);
    db.kv_put("in-snapshot", 3, ttl(300ms));
    db.compact();
    db.kv_put("in-wal", 1, ttl(300ms));  // after the snapshot: recovered from the WAL
    last_put = std::chrono::steady_clock::now();  // both commits expire before this + 300 ms
  }
  std::this_thread::sleep_until(last_put + 400ms);
  auto db = strata::Strata::open(dir.db(), options);
  BOOST_TEST(!db.kv_get("in-wal"));
  BOOST_TEST(!db.kv_get("in-snapshot"));
  BOOST_TEST((db.kv_get("forever") == Value(2)));
  BOOST_TEST(db.kv_history("in-snapshot").size() == 1u);  // expired, not yet reaped: still its history
}

BOOST_AUTO_TEST_SUITE_END()

// ---- closed database -----------------------------------------------------------

STRATA_FRONTEND_TEST(operations_after_close_fail_with_database_closed) {
  Api api(db, front);
  db.kv_put("k", 1);
  db.create_run("r");
  strata::Strata copy = db;
  db.close();
  db.close();  // idempotent
  check_fails(api.kv_put("k", 2), errc::database_closed);
  check_fails(api.kv_get("k"), errc::database_closed);
  check_fails(api.kv_delete("k"), errc::database_closed);
  check_fails(api.kv_list(), errc::database_closed);
  check_fails(api.kv_history("k"), errc::database_closed);
  check_fails(api.create_run("r2"), errc::database_closed);
  check_fails(api.set_run("r"), errc::database_closed);
  check_fails(api.list_runs(), errc::database_closed);
  check_fails(api.run_info("r"), errc::database_closed);
  check_fails(api.delete_run("r"), errc::database_closed);
  check_fails(api.ping(), errc::database_closed);
  STRATA_CHECK_ERRC(db.begin(), errc::database_closed);  // begin is synchronous in every front end
  // Closing is for every handle sharing the database.
  Api copy_api(copy, front);
  check_fails(copy_api.kv_get("k"), errc::database_closed);
  check_fails(copy_api.kv_put("k", 3), errc::database_closed);
  auto ec = dirty_ec();
  copy.begin(ec);
  BOOST_TEST(is(ec, errc::database_closed));
}
