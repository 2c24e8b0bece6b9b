// State cells through the synchronous facade (SPEC §5): unconditional set,
// read with the writing version, init-if-absent and compare-and-swap on that
// version. A CAS or init that does not apply writes nothing, consumes no
// version and is not an error; bad input is an error and changes nothing.
#define BOOST_TEST_MODULE state_cells
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"

#include <strata/strata.hpp>

#include <optional>
#include <string>

using strata::errc;
using strata::error_code;
using strata::Strata;
using strata::Value;
using strata::Version;
using strata::test::DbFixture;
using strata::test::is;

BOOST_FIXTURE_TEST_SUITE(state_cells, DbFixture)

// ---- set and read -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(read_of_an_absent_cell_is_nullopt) {
  BOOST_TEST(!db.state_read("missing").has_value());
}

BOOST_AUTO_TEST_CASE(set_returns_the_version_that_read_reports) {
  const Version v1 = db.state_set("status", Value("idle"));
  auto r = db.state_read("status");
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST((r->value == Value("idle")));
  BOOST_TEST(r->version == v1);
  BOOST_TEST(!r->tombstone);
  BOOST_TEST(r->timestamp_us > 0);
  const Version v2 = db.state_set("status", Value::object({{"phase", "run"}, {"step", 3}}));
  BOOST_TEST(v2 > v1);
  r = db.state_read("status");
  BOOST_TEST(r->version == v2);
  BOOST_TEST((r->value == Value::object({{"phase", "run"}, {"step", 3}})));
}

BOOST_AUTO_TEST_CASE(every_value_kind_round_trips) {
  const Value values[] = {Value(), Value(false), Value(-7), Value(2.5), Value("s"), Value::bytes("\x01\x02"),
                          Value::array({1, "a"}), Value::object({{"k", Value::array({})}})};
  for (const auto& v : values) {
    db.state_set("cell", v);
    BOOST_TEST((db.state_read("cell")->value == v));
  }
}

BOOST_AUTO_TEST_CASE(cells_are_distinct_from_kv_keys_and_json_documents) {
  db.kv_put("same", Value("kv"));
  db.json_set("same", "$", Value("json"));
  db.state_set("same", Value("state"));
  BOOST_TEST((db.kv_get("same") == Value("kv")));
  BOOST_TEST((db.json_get("same", "$") == Value("json")));
  BOOST_TEST((db.state_read("same")->value == Value("state")));
}

// ---- init -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(init_writes_only_when_absent) {
  const auto v0 = visible();
  const Version created = db.state_init("c", Value(1));
  BOOST_TEST(created == v0 + 1);
  BOOST_TEST((db.state_read("c")->value == Value(1)));
  // On an existing cell: the existing version, no write, no version.
  BOOST_TEST(db.state_init("c", Value(2)) == created);
  BOOST_TEST((db.state_read("c")->value == Value(1)));
  BOOST_TEST(visible() == created);
  const Version set = db.state_set("c", Value(3));
  BOOST_TEST(db.state_init("c", Value(4)) == set);
  BOOST_TEST((db.state_read("c")->value == Value(3)));
  BOOST_TEST(db.state_read("c")->version == set);
}

// ---- cas --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cas_with_the_current_version_writes) {
  const Version v1 = db.state_set("n", Value(1));
  const auto v2 = db.state_cas("n", v1, Value(2));
  BOOST_TEST_REQUIRE(v2.has_value());
  BOOST_TEST(*v2 > v1);
  BOOST_TEST((db.state_read("n")->value == Value(2)));
  BOOST_TEST(db.state_read("n")->version == *v2);
  BOOST_TEST(db.state_cas("n", *v2, Value(3)).has_value());
}

BOOST_AUTO_TEST_CASE(cas_with_a_stale_version_writes_nothing) {
  const Version v1 = db.state_set("n", Value(1));
  const Version v2 = db.state_set("n", Value(2));
  const auto before = visible();
  BOOST_TEST(!db.state_cas("n", v1, Value(99)).has_value());
  BOOST_TEST((db.state_read("n")->value == Value(2)));
  BOOST_TEST(db.state_read("n")->version == v2);
  BOOST_TEST(visible() == before);  // no version consumed
  error_code ec = strata::test::dirty_ec();
  BOOST_TEST(!db.state_cas("n", v1, Value(99), ec).has_value());
  BOOST_TEST(!ec);  // a mismatch is not an error
}

BOOST_AUTO_TEST_CASE(cas_with_the_version_of_another_cell_does_not_match) {
  const Version va = db.state_set("a", Value(1));
  db.state_set("b", Value(1));
  const Version vb = db.state_read("b")->version;
  BOOST_TEST(!db.state_cas("b", va, Value(2)).has_value());
  BOOST_TEST(!db.state_cas("never", va, Value(2)).has_value());
  BOOST_TEST(!db.state_read("never").has_value());
  // The same version numbers on a KV key do not count either.
  const Version vk = db.kv_put("k", Value(1));
  BOOST_TEST(!db.state_cas("k", vk, Value(2)).has_value());
  BOOST_TEST(!db.state_read("k").has_value());
  BOOST_TEST((db.state_read("b")->value == Value(1)));
  BOOST_TEST(db.state_read("b")->version == vb);
}

BOOST_AUTO_TEST_CASE(cas_with_a_future_or_zero_version_does_not_match) {
  const Version v = db.state_set("n", Value(1));
  const auto before = visible();
  BOOST_TEST(!db.state_cas("n", v + 100, Value(2)).has_value());
  BOOST_TEST(!db.state_cas("n", Version{0}, Value(2)).has_value());
  // Version 0 means "before the first commit": never the version of a cell.
  BOOST_TEST(!db.state_cas("absent", Version{0}, Value(2)).has_value());
  BOOST_TEST(!db.state_read("absent").has_value());
  BOOST_TEST(visible() == before);
}

BOOST_AUTO_TEST_CASE(cas_nullopt_creates_only_when_absent) {
  const auto created = db.state_cas("fresh", std::nullopt, Value("first"));
  BOOST_TEST_REQUIRE(created.has_value());
  BOOST_TEST(db.state_read("fresh")->version == *created);
  const auto before = visible();
  BOOST_TEST(!db.state_cas("fresh", std::nullopt, Value("second")).has_value());
  BOOST_TEST((db.state_read("fresh")->value == Value("first")));
  BOOST_TEST(visible() == before);
}

BOOST_AUTO_TEST_CASE(a_chain_of_cas_calls_sees_each_version_once) {
  auto v = db.state_cas("ctr", std::nullopt, Value(0));
  BOOST_TEST_REQUIRE(v.has_value());
  for (int i = 1; i <= 20; ++i) {
    const Version prev = *v;
    v = db.state_cas("ctr", prev, Value(i));
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST(!db.state_cas("ctr", prev, Value(-1)).has_value());  // already used
  }
  BOOST_TEST((db.state_read("ctr")->value == Value(20)));
}

// ---- validation -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(bad_cell_names_are_rejected_by_every_call) {
  struct Case {
    std::string cell;
    errc code;
  };
  const Case cases[] = {{"", errc::key_empty},
                        {std::string(1025, 'c'), errc::key_too_long},
                        {"\xff", errc::key_not_utf8},
                        {std::string("a\0b", 3), errc::key_contains_nul},
                        {"_strata/x", errc::key_reserved}};
  const auto before = visible();
  for (const auto& c : cases) {
    STRATA_CHECK_ERRC(db.state_set(c.cell, Value(1)), c.code);
    STRATA_CHECK_ERRC(db.state_read(c.cell), c.code);
    STRATA_CHECK_ERRC(db.state_init(c.cell, Value(1)), c.code);
    STRATA_CHECK_ERRC(db.state_cas(c.cell, std::nullopt, Value(1)), c.code);
    error_code ec;
    BOOST_TEST(!db.state_cas(c.cell, std::nullopt, Value(1), ec).has_value());
    BOOST_TEST(is(ec, c.code));
  }
  BOOST_TEST(visible() == before);
  BOOST_TEST(db.info().keys["state"] == 0u);
  BOOST_TEST(db.state_set(std::string(1024, 'c'), Value(1)) == before + 1);  // the limit is inclusive
}

BOOST_AUTO_TEST_CASE(value_limits_are_enforced_and_change_nothing) {
  const Version v = db.state_set("c", Value("keep"));
  const Value deep = strata::test::nested_array(129);
  const Value big = Value(std::string(strata::kMaxValueBytes + 1, 'x'));
  STRATA_CHECK_ERRC(db.state_set("c", deep), errc::nesting_too_deep);
  STRATA_CHECK_ERRC(db.state_init("d", deep), errc::nesting_too_deep);
  STRATA_CHECK_ERRC(db.state_cas("c", v, deep), errc::nesting_too_deep);
  STRATA_CHECK_ERRC(db.state_set("c", big), errc::value_too_large);
  STRATA_CHECK_ERRC(db.state_cas("c", v, big), errc::value_too_large);
  BOOST_TEST(visible() == v);
  BOOST_TEST(db.state_read("c")->version == v);
  BOOST_TEST((db.state_read("c")->value == Value("keep")));
  BOOST_TEST(!db.state_read("d").has_value());
  BOOST_TEST(db.state_set("c", strata::test::nested_array(128)) == v + 1);
}

BOOST_AUTO_TEST_CASE(error_code_overloads_clear_on_success) {
  error_code ec = strata::test::dirty_ec();
  const Version v = db.state_set("c", Value(1), ec);
  BOOST_TEST(!ec);
  ec = strata::test::dirty_ec();
  BOOST_TEST(db.state_read("c", ec)->version == v);
  BOOST_TEST(!ec);
  ec = strata::test::dirty_ec();
  BOOST_TEST(db.state_init("c", Value(2), ec) == v);
  BOOST_TEST(!ec);
  ec = strata::test::dirty_ec();
  BOOST_TEST(db.state_cas("c", v, Value(3), ec).has_value());
  BOOST_TEST(!ec);
}

// ---- runs -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cells_are_isolated_by_run_and_deleted_with_it) {
  db.create_run("a");
  db.create_run("ab");
  Strata a = other_handle(), ab = other_handle();
  a.set_run("a");
  ab.set_run("ab");
  const Version va = a.state_set("c", Value("a"));
  BOOST_TEST(!ab.state_read("c").has_value());
  BOOST_TEST(!db.state_read("c").has_value());
  // A version from another run's cell does not match here.
  BOOST_TEST(!ab.state_cas("c", va, Value("x")).has_value());
  BOOST_TEST(ab.state_init("c", Value("ab")) > va);
  BOOST_TEST((a.state_read("c")->value == Value("a")));
  db.delete_run("a");
  db.create_run("a");
  Strata again = other_handle();
  again.set_run("a");
  BOOST_TEST(!again.state_read("c").has_value());
  BOOST_TEST((ab.state_read("c")->value == Value("ab")));
}

BOOST_AUTO_TEST_SUITE_END()
