// The event log through the synchronous facade (SPEC §5): dense per-run
// sequences from 1, reads by sequence, range and type, the hash chain, the
// validation rules (a rejected append changes nothing and consumes no
// version), limits, and isolation between runs and between event types.
#define BOOST_TEST_MODULE event_log
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <strata/strata.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

using strata::Array;
using strata::errc;
using strata::error_code;
using strata::Event;
using strata::Object;
using strata::Strata;
using strata::Value;
using strata::test::DbFixture;
using strata::test::is;

namespace {

Value payload(int i) { return Value::object({{"i", i}}); }

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::vector<std::uint64_t> sequences(const std::vector<Event>& events) {
  std::vector<std::uint64_t> out;
  for (const auto& e : events) out.push_back(e.sequence);
  return out;
}

using Seqs = std::vector<std::uint64_t>;

strata::Options strict() {
  strata::Options o;
  o.durability = strata::Durability::Strict;
  return o;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(event_log, DbFixture)

// ---- append and read -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(sequences_start_at_one_and_are_dense) {
  BOOST_TEST(db.event_len() == 0u);
  for (int i = 1; i <= 10; ++i) BOOST_TEST(db.event_append("step", payload(i)) == static_cast<std::uint64_t>(i));
  BOOST_TEST(db.event_len() == 10u);
}

BOOST_AUTO_TEST_CASE(read_returns_what_was_appended) {
  const Value p = Value::parse_json(R"({"tool":"search","args":{"q":"x","k":3},"score":0.5,"ok":true,"n":null})");
  const auto seq = db.event_append("tool_call", p);
  auto e = db.event_read(seq);
  BOOST_TEST_REQUIRE(e.has_value());
  BOOST_TEST(e->sequence == seq);
  BOOST_TEST(e->type == "tool_call");
  BOOST_TEST((Value(e->payload) == p));
  BOOST_TEST(e->timestamp_us > 0);
  BOOST_TEST(e->hash.size() == 64u);
  BOOST_TEST(is_lower_hex(e->hash));
}

BOOST_AUTO_TEST_CASE(empty_object_and_bytes_payloads_round_trip) {
  db.event_append("empty", Value(Object{}));
  db.event_append("bin", Value::object({{"b", Value::bytes(std::string("\0\xff", 2))}}));
  BOOST_TEST(db.event_read(1)->payload.empty());
  BOOST_TEST((db.event_read(2)->payload.at("b") == Value::bytes(std::string("\0\xff", 2))));
}

BOOST_AUTO_TEST_CASE(read_past_the_end_is_nullopt_and_zero_is_invalid) {
  BOOST_TEST(!db.event_read(1).has_value());
  db.event_append("a", payload(1));
  BOOST_TEST(!db.event_read(2).has_value());
  BOOST_TEST(!db.event_read(UINT64_MAX).has_value());
  STRATA_CHECK_ERRC(db.event_read(0), errc::invalid_sequence);
  error_code ec;
  BOOST_TEST(!db.event_read(0, ec).has_value());
  BOOST_TEST(is(ec, errc::invalid_sequence));
}

BOOST_AUTO_TEST_CASE(hashes_differ_per_event_even_for_equal_content) {
  std::set<std::string> hashes;
  for (int i = 0; i < 20; ++i) db.event_append("same", payload(0));
  for (const auto& e : db.event_range(1, 20)) {
    BOOST_TEST(e.hash.size() == 64u);
    BOOST_TEST(is_lower_hex(e.hash));
    hashes.insert(e.hash);
  }
  BOOST_TEST(hashes.size() == 20u);
}

BOOST_AUTO_TEST_CASE(timestamps_never_decrease) {
  for (int i = 0; i < 50; ++i) db.event_append("t", payload(i));
  const auto all = db.event_range(1, 50);
  BOOST_TEST_REQUIRE(all.size() == 50u);
  for (std::size_t i = 1; i < all.size(); ++i) BOOST_TEST(all[i - 1].timestamp_us <= all[i].timestamp_us);
}

BOOST_AUTO_TEST_CASE(every_read_path_returns_the_same_event) {
  db.event_append("x", payload(1));
  db.event_append("y", payload(2));
  const Event by_seq = *db.event_read(2);
  BOOST_TEST((db.event_range(2, 2).at(0) == by_seq));
  BOOST_TEST((db.event_read_by_type("y").at(0) == by_seq));
}

// ---- ranges ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(range_is_inclusive_clamped_and_limited) {
  for (int i = 1; i <= 10; ++i) db.event_append("e", payload(i));
  BOOST_TEST((sequences(db.event_range(3, 5)) == Seqs{3, 4, 5}));
  BOOST_TEST((sequences(db.event_range(7, 7)) == Seqs{7}));
  BOOST_TEST((sequences(db.event_range(9, 1000)) == Seqs{9, 10}));
  BOOST_TEST((sequences(db.event_range(9, UINT64_MAX)) == Seqs{9, 10}));
  BOOST_TEST(db.event_range(11, 20).empty());
  BOOST_TEST((sequences(db.event_range(1, 10, 3)) == Seqs{1, 2, 3}));
  BOOST_TEST((sequences(db.event_range(4, 10, 100)) == Seqs{4, 5, 6, 7, 8, 9, 10}));
  BOOST_TEST((db.event_range(2, 2)[0].payload.at("i") == Value(2)));
}

BOOST_AUTO_TEST_CASE(range_rejects_zero_inverted_bounds_and_zero_limit) {
  db.event_append("e", payload(1));
  STRATA_CHECK_ERRC(db.event_range(0, 5), errc::invalid_sequence);
  STRATA_CHECK_ERRC(db.event_range(0, 0), errc::invalid_sequence);
  STRATA_CHECK_ERRC(db.event_range(3, 2), errc::invalid_sequence);
  STRATA_CHECK_ERRC(db.event_range(1, 5, 0), errc::invalid_limit);
  error_code ec;
  BOOST_TEST(db.event_range(5, 1, std::nullopt, ec).empty());
  BOOST_TEST(is(ec, errc::invalid_sequence));
  ec = strata::test::dirty_ec();
  BOOST_TEST(db.event_range(1, 1, std::nullopt, ec).size() == 1u);
  BOOST_TEST(!ec);
}

// ---- by type --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(by_type_returns_only_that_type_in_sequence_order) {
  const char* types[] = {"a", "b", "a", "c", "a", "b"};
  for (int i = 0; i < 6; ++i) db.event_append(types[i], payload(i));
  BOOST_TEST((sequences(db.event_read_by_type("a")) == Seqs{1, 3, 5}));
  BOOST_TEST((sequences(db.event_read_by_type("b")) == Seqs{2, 6}));
  BOOST_TEST((sequences(db.event_read_by_type("c")) == Seqs{4}));
  BOOST_TEST(db.event_read_by_type("d").empty());
  BOOST_TEST((sequences(db.event_read_by_type("a", 2)) == Seqs{1, 3}));
  for (const auto& e : db.event_read_by_type("b")) BOOST_TEST(e.type == "b");
}

BOOST_AUTO_TEST_CASE(by_type_keeps_sequence_order_beyond_one_byte) {
  // Sequences above 255 would sort wrongly if the index encoded them as text
  // or little-endian.
  for (int i = 1; i <= 300; ++i) db.event_append(i % 2 ? "odd" : "even", payload(i));
  auto odd = sequences(db.event_read_by_type("odd"));
  BOOST_TEST_REQUIRE(odd.size() == 150u);
  BOOST_TEST(std::is_sorted(odd.begin(), odd.end()));
  BOOST_TEST(odd.front() == 1u);
  BOOST_TEST(odd.back() == 299u);
}

BOOST_AUTO_TEST_CASE(types_that_prefix_each_other_are_distinct) {
  db.event_append("t", payload(1));
  db.event_append("tt", payload(2));
  db.event_append("t", payload(3));
  db.event_append("t.x", payload(4));
  BOOST_TEST((sequences(db.event_read_by_type("t")) == Seqs{1, 3}));
  BOOST_TEST((sequences(db.event_read_by_type("tt")) == Seqs{2}));
  BOOST_TEST((sequences(db.event_read_by_type("t.x")) == Seqs{4}));
}

BOOST_AUTO_TEST_CASE(by_type_validates_type_and_limit) {
  STRATA_CHECK_ERRC(db.event_read_by_type(""), errc::invalid_event_type);
  STRATA_CHECK_ERRC(db.event_read_by_type(std::string(257, 'x')), errc::invalid_event_type);
  STRATA_CHECK_ERRC(db.event_read_by_type("a", 0), errc::invalid_limit);
  error_code ec;
  BOOST_TEST(db.event_read_by_type(std::string("a\0b", 3), std::nullopt, ec).empty());
  BOOST_TEST(is(ec, errc::invalid_event_type));
}

// ---- validation changes nothing -------------------------------------------------

BOOST_AUTO_TEST_CASE(invalid_types_are_rejected_and_change_nothing) {
  db.event_append("ok", payload(1));
  const auto before = visible();
  const std::string bad[] = {"", std::string(257, 't'), std::string("a\0b", 3), "\xff\xfe", "\xc3"};
  for (const auto& t : bad) {
    STRATA_CHECK_ERRC(db.event_append(t, payload(2)), errc::invalid_event_type);
    error_code ec;
    BOOST_TEST(db.event_append(t, payload(2), ec) == 0u);
    BOOST_TEST(is(ec, errc::invalid_event_type));
  }
  BOOST_TEST(db.event_len() == 1u);
  BOOST_TEST(visible() == before);
  BOOST_TEST(db.event_append("ok", payload(3)) == 2u);  // no sequence was consumed
}

BOOST_AUTO_TEST_CASE(type_limits_are_inclusive_and_utf8_is_accepted) {
  BOOST_TEST(db.event_append(std::string(256, 't'), payload(1)) == 1u);
  BOOST_TEST(db.event_append("x", payload(2)) == 2u);
  BOOST_TEST(db.event_append("événement/ツール", payload(3)) == 3u);
  BOOST_TEST(db.event_read_by_type(std::string(256, 't')).size() == 1u);
  BOOST_TEST(db.event_read(3)->type == "événement/ツール");
}

BOOST_AUTO_TEST_CASE(non_object_payloads_are_wrong_type_and_change_nothing) {
  const auto before = visible();
  const Value bad[] = {Value(), Value(1), Value(1.5), Value("s"), Value(true), Value::array({1}),
                       Value::bytes("b")};
  for (const auto& p : bad) {
    STRATA_CHECK_ERRC(db.event_append("t", p), errc::wrong_type);
    error_code ec;
    BOOST_TEST(db.event_append("t", p, ec) == 0u);
    BOOST_TEST(is(ec, errc::wrong_type));
  }
  BOOST_TEST(db.event_len() == 0u);
  BOOST_TEST(visible() == before);
  BOOST_TEST(db.event_read_by_type("t").empty());
}

BOOST_AUTO_TEST_CASE(payload_limits_are_enforced) {
  const auto before = visible();
  // Depth 129: an object around 128 nested arrays.
  Value deep = Value::object({{"d", strata::test::nested_array(128)}});
  STRATA_CHECK_ERRC(db.event_append("t", deep), errc::nesting_too_deep);
  Value big = Value::object({{"s", std::string(strata::kMaxValueBytes + 16, 'x')}});
  STRATA_CHECK_ERRC(db.event_append("t", big), errc::value_too_large);
  BOOST_TEST(db.event_len() == 0u);
  BOOST_TEST(visible() == before);
  // Depth exactly 128 is fine.
  Value edge = Value::object({{"d", strata::test::nested_array(127)}});
  BOOST_TEST(db.event_append("t", edge) == 1u);
}

// ---- runs -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(each_run_has_its_own_log) {
  db.create_run("a");
  db.create_run("ab");
  Strata a = other_handle(), ab = other_handle();
  a.set_run("a");
  ab.set_run("ab");
  BOOST_TEST(a.event_append("t", payload(1)) == 1u);
  BOOST_TEST(a.event_append("t", payload(2)) == 2u);
  BOOST_TEST(ab.event_append("t", payload(3)) == 1u);
  BOOST_TEST(db.event_append("t", payload(4)) == 1u);
  BOOST_TEST(a.event_len() == 2u);
  BOOST_TEST(ab.event_len() == 1u);
  BOOST_TEST(db.event_len() == 1u);
  BOOST_TEST((ab.event_read(1)->payload.at("i") == Value(3)));
  BOOST_TEST(!ab.event_read(2).has_value());
  BOOST_TEST(a.event_read_by_type("t").size() == 2u);
  BOOST_TEST(ab.event_read_by_type("t").size() == 1u);
  BOOST_TEST(ab.event_range(1, 100).size() == 1u);
  BOOST_TEST(a.event_verify().ok);
  BOOST_TEST(ab.event_verify().checked == 1u);
}

BOOST_AUTO_TEST_CASE(deleting_a_run_frees_its_events) {
  db.create_run("gone");
  Strata h = other_handle();
  h.set_run("gone");
  for (int i = 0; i < 5; ++i) h.event_append(i % 2 ? "x" : "y", payload(i));
  db.event_append("keep", payload(0));
  const auto live_before = db.info().keys["event"];
  BOOST_TEST(live_before > 0u);
  db.delete_run("gone");
  BOOST_TEST(db.info().keys["event"] < live_before);
  error_code ec;
  h.event_len(ec);
  BOOST_TEST(is(ec, errc::run_not_found));
  db.create_run("gone");
  Strata again = other_handle();
  again.set_run("gone");
  BOOST_TEST(again.event_len() == 0u);
  BOOST_TEST(!again.event_read(1).has_value());
  BOOST_TEST(again.event_read_by_type("x").empty());
  BOOST_TEST(again.event_append("z", payload(9)) == 1u);
  BOOST_TEST(again.event_verify().ok);
  BOOST_TEST(db.event_len() == 1u);  // other runs are untouched
}

// ---- verification ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(verify_on_an_empty_log) {
  auto v = db.event_verify();
  BOOST_TEST(v.ok);
  BOOST_TEST(v.checked == 0u);
  BOOST_TEST(!v.first_bad.has_value());
  BOOST_TEST(v.reason.empty());
}

BOOST_AUTO_TEST_CASE(verify_walks_a_long_log) {
  for (int i = 0; i < 1000; ++i) db.event_append("type" + std::to_string(i % 7), payload(i));
  auto v = db.event_verify();
  BOOST_TEST(v.ok);
  BOOST_TEST(v.checked == 1000u);
  BOOST_TEST(!v.first_bad.has_value());
  BOOST_TEST(v.reason.empty());
  error_code ec = strata::test::dirty_ec();
  BOOST_TEST(db.event_verify(ec).ok);
  BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_CASE(each_append_commits_one_version) {
  const auto v0 = visible();
  db.event_append("a", payload(1));
  db.event_append("a", payload(2));
  BOOST_TEST(visible() == v0 + 2);
  // Reads consume nothing.
  db.event_read(1);
  db.event_range(1, 2);
  db.event_read_by_type("a");
  db.event_len();
  db.event_verify();
  BOOST_TEST(visible() == v0 + 2);
}

BOOST_AUTO_TEST_CASE(events_survive_a_durable_reopen) {
  strata::test::TempDir dir("events");
  std::vector<Event> before;
  {
    Strata s = Strata::open(dir.db(), strict());
    for (int i = 0; i < 20; ++i) s.event_append(i % 3 ? "a" : "b", payload(i));
    before = s.event_range(1, 20);
    s.close();
  }
  Strata s = Strata::open(dir.db(), strict());
  BOOST_TEST(s.event_len() == 20u);
  BOOST_TEST((s.event_range(1, 20) == before));
  BOOST_TEST(s.event_read_by_type("b").size() == 7u);
  BOOST_TEST(s.event_verify().ok);
  BOOST_TEST(s.event_append("a", payload(99)) == 21u);
  BOOST_TEST(s.event_verify().checked == 21u);
}

BOOST_AUTO_TEST_CASE(events_survive_compaction_and_reopen) {
  // A snapshot must keep each event's commit timestamp: the hash covers it.
  strata::test::TempDir dir("events-compact");
  std::vector<Event> before;
  {
    Strata s = Strata::open(dir.db(), strict());
    for (int i = 0; i < 10; ++i) s.event_append("a", payload(i));
    s.compact();
    for (int i = 10; i < 15; ++i) s.event_append("b", payload(i));
    before = s.event_range(1, 15);
    BOOST_TEST(s.event_verify().ok);
    s.close();
  }
  Strata s = Strata::open(dir.db(), strict());
  BOOST_TEST((s.event_range(1, 15) == before));
  auto v = s.event_verify();
  BOOST_TEST(v.ok, "first bad " << v.first_bad.value_or(0) << ": " << v.reason);
  BOOST_TEST(s.event_read_by_type("a").size() == 10u);
  BOOST_TEST(s.event_append("c", payload(15)) == 16u);
  BOOST_TEST(s.event_verify().ok);
}

BOOST_AUTO_TEST_SUITE_END()
