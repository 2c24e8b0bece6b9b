// The event log (docs/design/primitives.md), every test body run through each front end of the
// public API — throwing, error_code& and async (support/frontends.hpp):
// dense per-run sequences from 1, reads by sequence, range and type, the hash
// chain, the validation rules (a rejected append changes nothing and consumes
// no version), limits, isolation between runs and between event types, and
// the log across a durable reopen and compaction.
#define BOOST_TEST_MODULE event_log
#include "support/frontends.hpp"
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
using strata::test::Api;
using strata::test::check_fails;
using strata::test::Front;
using strata::test::is;
using strata::test::ok;

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

/// The harness keeps no value from a failed call, yet what an error_code
/// overload returns on failure (0, nullopt, an empty list) is part of its
/// contract: in the error_code run, `returns_empty(ec)` must fail with `code`
/// and report that it returned that empty value.
template <class Call>
void check_error_code_fallback(Front front, errc code, Call&& returns_empty) {
  if (front != Front::ErrorCode) return;
  error_code ec;
  BOOST_TEST(returns_empty(ec));
  BOOST_TEST(is(ec, code));
}

}  // namespace

// STRATA_FRONTEND_TEST brings its own fixture (FrontendFixture, a DbFixture).
BOOST_AUTO_TEST_SUITE(event_log)

// ---- append and read -----------------------------------------------------------

STRATA_FRONTEND_TEST(sequences_start_at_one_and_are_dense) {
  Api api(db, front);
  BOOST_TEST(ok(api.event_len()) == 0u);
  for (int i = 1; i <= 10; ++i) BOOST_TEST(ok(api.event_append("step", payload(i))) == static_cast<std::uint64_t>(i));
  BOOST_TEST(ok(api.event_len()) == 10u);
}

STRATA_FRONTEND_TEST(read_returns_what_was_appended) {
  Api api(db, front);
  const Value p = Value::parse_json(R"({"tool":"search","args":{"q":"x","k":3},"score":0.5,"ok":true,"n":null})");
  const auto seq = ok(api.event_append("tool_call", p));
  auto e = ok(api.event_read(seq));
  BOOST_TEST_REQUIRE(e.has_value());
  BOOST_TEST(e->sequence == seq);
  BOOST_TEST(e->type == "tool_call");
  BOOST_TEST((Value(e->payload) == p));
  BOOST_TEST(e->timestamp_us > 0);
  BOOST_TEST(e->hash.size() == 64u);
  BOOST_TEST(is_lower_hex(e->hash));
}

STRATA_FRONTEND_TEST(empty_object_and_bytes_payloads_round_trip) {
  Api api(db, front);
  ok(api.event_append("empty", Value(Object{})));
  ok(api.event_append("bin", Value::object({{"b", Value::bytes(std::string("\0\xff", 2))}})));
  const auto empty = ok(api.event_read(1));
  const auto bin = ok(api.event_read(2));
  BOOST_TEST_REQUIRE(empty.has_value());
  BOOST_TEST_REQUIRE(bin.has_value());
  BOOST_TEST(empty->payload.empty());
  BOOST_TEST((bin->payload.at("b") == Value::bytes(std::string("\0\xff", 2))));
}

STRATA_FRONTEND_TEST(read_past_the_end_is_nullopt_and_zero_is_invalid) {
  Api api(db, front);
  BOOST_TEST(!ok(api.event_read(1)).has_value());
  ok(api.event_append("a", payload(1)));
  BOOST_TEST(!ok(api.event_read(2)).has_value());
  BOOST_TEST(!ok(api.event_read(UINT64_MAX)).has_value());
  check_fails(api.event_read(0), errc::invalid_sequence);
  check_error_code_fallback(front, errc::invalid_sequence,
                            [&](error_code& ec) { return !db.event_read(0, ec).has_value(); });
}

STRATA_FRONTEND_TEST(hashes_differ_per_event_even_for_equal_content) {
  Api api(db, front);
  std::set<std::string> hashes;
  for (int i = 0; i < 20; ++i) ok(api.event_append("same", payload(0)));
  for (const auto& e : ok(api.event_range(1, 20))) {
    BOOST_TEST(e.hash.size() == 64u);
    BOOST_TEST(is_lower_hex(e.hash));
    hashes.insert(e.hash);
  }
  BOOST_TEST(hashes.size() == 20u);
}

STRATA_FRONTEND_TEST(timestamps_never_decrease) {
  Api api(db, front);
  for (int i = 0; i < 50; ++i) ok(api.event_append("t", payload(i)));
  const auto all = ok(api.event_range(1, 50));
  BOOST_TEST_REQUIRE(all.size() == 50u);
  for (std::size_t i = 1; i < all.size(); ++i) BOOST_TEST(all[i - 1].timestamp_us <= all[i].timestamp_us);
}

STRATA_FRONTEND_TEST(every_read_path_returns_the_same_event) {
  Api api(db, front);
  ok(api.event_append("x", payload(1)));
  ok(api.event_append("y", payload(2)));
  const auto by_seq = ok(api.event_read(2));
  BOOST_TEST_REQUIRE(by_seq.has_value());
  BOOST_TEST((ok(api.event_range(2, 2)).at(0) == *by_seq));
  BOOST_TEST((ok(api.event_read_by_type("y")).at(0) == *by_seq));
}

// ---- ranges ---------------------------------------------------------------------

STRATA_FRONTEND_TEST(range_is_inclusive_clamped_and_limited) {
  Api api(db, front);
  for (int i = 1; i <= 10; ++i) ok(api.event_append("e", payload(i)));
  BOOST_TEST((sequences(ok(api.event_range(3, 5))) == Seqs{3, 4, 5}));
  BOOST_TEST((sequences(ok(api.event_range(7, 7))) == Seqs{7}));
  BOOST_TEST((sequences(ok(api.event_range(9, 1000))) == Seqs{9, 10}));
  BOOST_TEST((sequences(ok(api.event_range(9, UINT64_MAX))) == Seqs{9, 10}));
  BOOST_TEST(ok(api.event_range(11, 20)).empty());
  BOOST_TEST((sequences(ok(api.event_range(1, 10, 3))) == Seqs{1, 2, 3}));
  BOOST_TEST((sequences(ok(api.event_range(4, 10, 100))) == Seqs{4, 5, 6, 7, 8, 9, 10}));
  BOOST_TEST((ok(api.event_range(2, 2)).at(0).payload.at("i") == Value(2)));
}

STRATA_FRONTEND_TEST(range_rejects_zero_inverted_bounds_and_zero_limit) {
  Api api(db, front);
  ok(api.event_append("e", payload(1)));
  check_fails(api.event_range(0, 5), errc::invalid_sequence);
  check_fails(api.event_range(0, 0), errc::invalid_sequence);
  check_fails(api.event_range(3, 2), errc::invalid_sequence);
  check_fails(api.event_range(1, 5, 0), errc::invalid_limit);
  check_fails(api.event_range(5, 1), errc::invalid_sequence);
  check_error_code_fallback(front, errc::invalid_sequence,
                            [&](error_code& ec) { return db.event_range(5, 1, std::nullopt, ec).empty(); });
  // The error_code front starts from a dirty code, so this also proves a success clears it.
  BOOST_TEST(ok(api.event_range(1, 1)).size() == 1u);
}

// ---- by type --------------------------------------------------------------------

STRATA_FRONTEND_TEST(by_type_returns_only_that_type_in_sequence_order) {
  Api api(db, front);
  const char* types[] = {"a", "b", "a", "c", "a", "b"};
  for (int i = 0; i < 6; ++i) ok(api.event_append(types[i], payload(i)));
  BOOST_TEST((sequences(ok(api.event_read_by_type("a"))) == Seqs{1, 3, 5}));
  BOOST_TEST((sequences(ok(api.event_read_by_type("b"))) == Seqs{2, 6}));
  BOOST_TEST((sequences(ok(api.event_read_by_type("c"))) == Seqs{4}));
  BOOST_TEST(ok(api.event_read_by_type("d")).empty());
  BOOST_TEST((sequences(ok(api.event_read_by_type("a", 2))) == Seqs{1, 3}));
  for (const auto& e : ok(api.event_read_by_type("b"))) BOOST_TEST(e.type == "b");
}

STRATA_FRONTEND_TEST(by_type_keeps_sequence_order_beyond_one_byte) {
  // Sequences above 255 would sort wrongly if the index encoded them as text
  // or little-endian. The appends are setup; the read is what is tested.
  Api api(db, front);
  for (int i = 1; i <= 300; ++i) db.event_append(i % 2 ? "odd" : "even", payload(i));
  auto odd = sequences(ok(api.event_read_by_type("odd")));
  BOOST_TEST_REQUIRE(odd.size() == 150u);
  BOOST_TEST(std::is_sorted(odd.begin(), odd.end()));
  BOOST_TEST(odd.front() == 1u);
  BOOST_TEST(odd.back() == 299u);
}

STRATA_FRONTEND_TEST(types_that_prefix_each_other_are_distinct) {
  Api api(db, front);
  ok(api.event_append("t", payload(1)));
  ok(api.event_append("tt", payload(2)));
  ok(api.event_append("t", payload(3)));
  ok(api.event_append("t.x", payload(4)));
  BOOST_TEST((sequences(ok(api.event_read_by_type("t"))) == Seqs{1, 3}));
  BOOST_TEST((sequences(ok(api.event_read_by_type("tt"))) == Seqs{2}));
  BOOST_TEST((sequences(ok(api.event_read_by_type("t.x"))) == Seqs{4}));
}

STRATA_FRONTEND_TEST(by_type_validates_type_and_limit) {
  Api api(db, front);
  check_fails(api.event_read_by_type(""), errc::invalid_event_type);
  check_fails(api.event_read_by_type(std::string(257, 'x')), errc::invalid_event_type);
  check_fails(api.event_read_by_type("a", 0), errc::invalid_limit);
  check_fails(api.event_read_by_type(std::string("a\0b", 3)), errc::invalid_event_type);
  check_error_code_fallback(front, errc::invalid_event_type, [&](error_code& ec) {
    return db.event_read_by_type(std::string("a\0b", 3), std::nullopt, ec).empty();
  });
}

// ---- validation changes nothing -------------------------------------------------

STRATA_FRONTEND_TEST(invalid_types_are_rejected_and_change_nothing) {
  Api api(db, front);
  ok(api.event_append("ok", payload(1)));
  const auto before = visible();
  const std::string bad[] = {"", std::string(257, 't'), std::string("a\0b", 3), "\xff\xfe", "\xc3"};
  for (const auto& t : bad) {
    check_fails(api.event_append(t, payload(2)), errc::invalid_event_type);
    check_error_code_fallback(front, errc::invalid_event_type,
                              [&](error_code& ec) { return db.event_append(t, payload(2), ec) == 0u; });
  }
  BOOST_TEST(ok(api.event_len()) == 1u);
  BOOST_TEST(visible() == before);
  BOOST_TEST(ok(api.event_append("ok", payload(3))) == 2u);  // no sequence was consumed
}

STRATA_FRONTEND_TEST(type_limits_are_inclusive_and_utf8_is_accepted) {
  Api api(db, front);
  BOOST_TEST(ok(api.event_append(std::string(256, 't'), payload(1))) == 1u);
  BOOST_TEST(ok(api.event_append("x", payload(2))) == 2u);
  BOOST_TEST(ok(api.event_append("événement/ツール", payload(3))) == 3u);
  BOOST_TEST(ok(api.event_read_by_type(std::string(256, 't'))).size() == 1u);
  const auto third = ok(api.event_read(3));
  BOOST_TEST_REQUIRE(third.has_value());
  BOOST_TEST(third->type == "événement/ツール");
}

STRATA_FRONTEND_TEST(non_object_payloads_are_wrong_type_and_change_nothing) {
  Api api(db, front);
  const auto before = visible();
  const Value bad[] = {Value(), Value(1), Value(1.5), Value("s"), Value(true), Value::array({1}),
                       Value::bytes("b")};
  for (const auto& p : bad) {
    check_fails(api.event_append("t", p), errc::wrong_type);
    check_error_code_fallback(front, errc::wrong_type,
                              [&](error_code& ec) { return db.event_append("t", p, ec) == 0u; });
  }
  BOOST_TEST(ok(api.event_len()) == 0u);
  BOOST_TEST(visible() == before);
  BOOST_TEST(ok(api.event_read_by_type("t")).empty());
}

STRATA_FRONTEND_TEST(payload_limits_are_enforced) {
  Api api(db, front);
  const auto before = visible();
  // Depth 129: an object around 128 nested arrays.
  Value deep = Value::object({{"d", strata::test::nested_array(128)}});
  check_fails(api.event_append("t", deep), errc::nesting_too_deep);
  Value big = Value::object({{"s", std::string(strata::kMaxValueBytes + 16, 'x')}});
  check_fails(api.event_append("t", big), errc::value_too_large);
  BOOST_TEST(ok(api.event_len()) == 0u);
  BOOST_TEST(visible() == before);
  // Depth exactly 128 is fine.
  Value edge = Value::object({{"d", strata::test::nested_array(127)}});
  BOOST_TEST(ok(api.event_append("t", edge)) == 1u);
}

// ---- runs -----------------------------------------------------------------------

STRATA_FRONTEND_TEST(each_run_has_its_own_log) {
  Api api(db, front);
  db.create_run("a");
  db.create_run("ab");
  // Each Api wraps its own handle, so the async front names that handle's run.
  Api a(other_handle(), front), ab(other_handle(), front);
  a.handle().set_run("a");
  ab.handle().set_run("ab");
  BOOST_TEST(ok(a.event_append("t", payload(1))) == 1u);
  BOOST_TEST(ok(a.event_append("t", payload(2))) == 2u);
  BOOST_TEST(ok(ab.event_append("t", payload(3))) == 1u);
  BOOST_TEST(ok(api.event_append("t", payload(4))) == 1u);
  BOOST_TEST(ok(a.event_len()) == 2u);
  BOOST_TEST(ok(ab.event_len()) == 1u);
  BOOST_TEST(ok(api.event_len()) == 1u);
  const auto first = ok(ab.event_read(1));
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST((first->payload.at("i") == Value(3)));
  BOOST_TEST(!ok(ab.event_read(2)).has_value());
  BOOST_TEST(ok(a.event_read_by_type("t")).size() == 2u);
  BOOST_TEST(ok(ab.event_read_by_type("t")).size() == 1u);
  BOOST_TEST(ok(ab.event_range(1, 100)).size() == 1u);
  BOOST_TEST(ok(a.event_verify()).ok);
  BOOST_TEST(ok(ab.event_verify()).checked == 1u);
}

STRATA_FRONTEND_TEST(deleting_a_run_frees_its_events) {
  Api api(db, front);
  db.create_run("gone");
  Api h(other_handle(), front);
  h.handle().set_run("gone");
  for (int i = 0; i < 5; ++i) ok(h.event_append(i % 2 ? "x" : "y", payload(i)));
  ok(api.event_append("keep", payload(0)));
  const auto live_before = db.info().keys["event"];
  BOOST_TEST(live_before > 0u);
  ok(api.delete_run("gone"));
  BOOST_TEST(db.info().keys["event"] < live_before);
  // The same code everywhere; the detail differs by design: a Strata handle
  // keeps its run's identity ('run "gone" was deleted'), the async core names
  // runs and finds no run of that name ('run "gone" does not exist'; see
  // docs/design/api.md). Only the shared part of the message is checked here.
  check_fails(h.event_len(), errc::run_not_found, {"run \"gone\""});
  db.create_run("gone");
  Api again(other_handle(), front);
  again.handle().set_run("gone");
  BOOST_TEST(ok(again.event_len()) == 0u);
  BOOST_TEST(!ok(again.event_read(1)).has_value());
  BOOST_TEST(ok(again.event_read_by_type("x")).empty());
  BOOST_TEST(ok(again.event_append("z", payload(9))) == 1u);
  BOOST_TEST(ok(again.event_verify()).ok);
  BOOST_TEST(ok(api.event_len()) == 1u);  // other runs are untouched
}

// ---- verification ---------------------------------------------------------------

STRATA_FRONTEND_TEST(verify_on_an_empty_log) {
  Api api(db, front);
  auto v = ok(api.event_verify());
  BOOST_TEST(v.ok);
  BOOST_TEST(v.checked == 0u);
  BOOST_TEST(!v.first_bad.has_value());
  BOOST_TEST(v.reason.empty());
}

STRATA_FRONTEND_TEST(verify_walks_a_long_log) {
  // The 1000 appends are setup; the walk is what is tested.
  Api api(db, front);
  for (int i = 0; i < 1000; ++i) db.event_append("type" + std::to_string(i % 7), payload(i));
  // The error_code front starts from a dirty code, so ok() also proves a success clears it.
  auto v = ok(api.event_verify());
  BOOST_TEST(v.ok);
  BOOST_TEST(v.checked == 1000u);
  BOOST_TEST(!v.first_bad.has_value());
  BOOST_TEST(v.reason.empty());
}

STRATA_FRONTEND_TEST(each_append_commits_one_version) {
  Api api(db, front);
  const auto v0 = visible();
  ok(api.event_append("a", payload(1)));
  ok(api.event_append("a", payload(2)));
  BOOST_TEST(visible() == v0 + 2);
  // Reads consume nothing.
  ok(api.event_read(1));
  ok(api.event_range(1, 2));
  ok(api.event_read_by_type("a"));
  ok(api.event_len());
  ok(api.event_verify());
  BOOST_TEST(visible() == v0 + 2);
}

// The two reopen cases open their own durable database (the fixture's is in
// memory) and wrap it in an Api of the case's front end.

STRATA_FRONTEND_TEST(events_survive_a_durable_reopen) {
  strata::test::TempDir dir("events");
  std::vector<Event> before;
  {
    Api api(Strata::open(dir.db(), strict()), front);
    for (int i = 0; i < 20; ++i) ok(api.event_append(i % 3 ? "a" : "b", payload(i)));
    before = ok(api.event_range(1, 20));
    api.handle().close();
  }
  Api api(Strata::open(dir.db(), strict()), front);
  BOOST_TEST(ok(api.event_len()) == 20u);
  BOOST_TEST((ok(api.event_range(1, 20)) == before));
  BOOST_TEST(ok(api.event_read_by_type("b")).size() == 7u);
  BOOST_TEST(ok(api.event_verify()).ok);
  BOOST_TEST(ok(api.event_append("a", payload(99))) == 21u);
  BOOST_TEST(ok(api.event_verify()).checked == 21u);
}

STRATA_FRONTEND_TEST(events_survive_compaction_and_reopen) {
  // A snapshot must keep each event's commit timestamp: the hash covers it.
  strata::test::TempDir dir("events-compact");
  std::vector<Event> before;
  {
    Api api(Strata::open(dir.db(), strict()), front);
    for (int i = 0; i < 10; ++i) ok(api.event_append("a", payload(i)));
    api.handle().compact();
    for (int i = 10; i < 15; ++i) ok(api.event_append("b", payload(i)));
    before = ok(api.event_range(1, 15));
    BOOST_TEST(ok(api.event_verify()).ok);
    api.handle().close();
  }
  Api api(Strata::open(dir.db(), strict()), front);
  BOOST_TEST((ok(api.event_range(1, 15)) == before));
  auto v = ok(api.event_verify());
  BOOST_TEST(v.ok, "first bad " << v.first_bad.value_or(0) << ": " << v.reason);
  BOOST_TEST(ok(api.event_read_by_type("a")).size() == 10u);
  BOOST_TEST(ok(api.event_append("c", payload(15))) == 16u);
  BOOST_TEST(ok(api.event_verify()).ok);
}

BOOST_AUTO_TEST_SUITE_END()
