// State cells (docs/design/primitives.md), every semantic test body run through each front end
// of the public API — throwing, error_code& and async (support/frontends.hpp):
// unconditional set, read with the writing version, init-if-absent and
// compare-and-swap on that version. A CAS or init that does not apply writes
// nothing, consumes no version and is not an error; bad input is an error and
// changes nothing. Only the case about the error_code overloads themselves
// stays on that front end.
#define BOOST_TEST_MODULE state_cells
#include "support/frontends.hpp"

#include <strata/strata.hpp>

#include <optional>
#include <string>
#include <string_view>

using strata::errc;
using strata::error_code;
using strata::Strata;
using strata::Value;
using strata::Version;
using strata::VersionedValue;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::DbFixture;
using strata::test::Front;
using strata::test::is;
using strata::test::ok;

namespace {

/// The cell as read through `api`, REQUIREd present: most checks below read a
/// cell they have just written, and an absent one must fail the case, not
/// dereference an empty optional.
VersionedValue read_cell(Api& api, std::string_view cell) {
  auto r = ok(api.state_read(cell));
  BOOST_TEST_REQUIRE(r.has_value(), "cell \"" << cell << "\" is absent");
  return *r;
}

}  // namespace

// STRATA_FRONTEND_TEST brings its own fixture (FrontendFixture, a DbFixture).
BOOST_AUTO_TEST_SUITE(state_cells)

// ---- set and read -----------------------------------------------------------------

STRATA_FRONTEND_TEST(read_of_an_absent_cell_is_nullopt) {
  Api api(db, front);
  BOOST_TEST(!ok(api.state_read("missing")).has_value());
}

STRATA_FRONTEND_TEST(set_returns_the_version_that_read_reports) {
  Api api(db, front);
  const Version v1 = ok(api.state_set("status", Value("idle")));
  VersionedValue r = read_cell(api, "status");
  BOOST_TEST((r.value == Value("idle")));
  BOOST_TEST(r.version == v1);
  BOOST_TEST(!r.tombstone);
  BOOST_TEST(r.timestamp_us > 0);
  const Version v2 = ok(api.state_set("status", Value::object({{"phase", "run"}, {"step", 3}})));
  BOOST_TEST(v2 > v1);
  r = read_cell(api, "status");
  BOOST_TEST(r.version == v2);
  BOOST_TEST((r.value == Value::object({{"phase", "run"}, {"step", 3}})));
}

STRATA_FRONTEND_TEST(every_value_kind_round_trips) {
  Api api(db, front);
  const Value values[] = {Value(), Value(false), Value(-7), Value(2.5), Value("s"), Value::bytes("\x01\x02"),
                          Value::array({1, "a"}), Value::object({{"k", Value::array({})}})};
  for (const auto& v : values) {
    ok(api.state_set("cell", v));
    BOOST_TEST((read_cell(api, "cell").value == v));
  }
}

STRATA_FRONTEND_TEST(cells_are_distinct_from_kv_keys_and_json_documents) {
  Api api(db, front);
  ok(api.kv_put("same", Value("kv")));
  ok(api.json_set("same", "$", Value("json")));
  ok(api.state_set("same", Value("state")));
  BOOST_TEST((ok(api.kv_get("same")) == Value("kv")));
  BOOST_TEST((ok(api.json_get("same", "$")) == Value("json")));
  BOOST_TEST((read_cell(api, "same").value == Value("state")));
}

// ---- init -------------------------------------------------------------------------

STRATA_FRONTEND_TEST(init_writes_only_when_absent) {
  Api api(db, front);
  const auto v0 = visible();
  const Version created = ok(api.state_init("c", Value(1)));
  BOOST_TEST(created == v0 + 1);
  BOOST_TEST((read_cell(api, "c").value == Value(1)));
  // On an existing cell: the existing version, no write, no version.
  BOOST_TEST(ok(api.state_init("c", Value(2))) == created);
  BOOST_TEST((read_cell(api, "c").value == Value(1)));
  BOOST_TEST(visible() == created);
  const Version set = ok(api.state_set("c", Value(3)));
  BOOST_TEST(ok(api.state_init("c", Value(4))) == set);
  BOOST_TEST((read_cell(api, "c").value == Value(3)));
  BOOST_TEST(read_cell(api, "c").version == set);
}

// ---- cas --------------------------------------------------------------------------

STRATA_FRONTEND_TEST(cas_with_the_current_version_writes) {
  Api api(db, front);
  const Version v1 = ok(api.state_set("n", Value(1)));
  const auto v2 = ok(api.state_cas("n", v1, Value(2)));
  BOOST_TEST_REQUIRE(v2.has_value());
  BOOST_TEST(*v2 > v1);
  BOOST_TEST((read_cell(api, "n").value == Value(2)));
  BOOST_TEST(read_cell(api, "n").version == *v2);
  BOOST_TEST(ok(api.state_cas("n", *v2, Value(3))).has_value());
}

STRATA_FRONTEND_TEST(cas_with_a_stale_version_writes_nothing) {
  Api api(db, front);
  const Version v1 = ok(api.state_set("n", Value(1)));
  const Version v2 = ok(api.state_set("n", Value(2)));
  const auto before = visible();
  // ok(): a mismatch is not an error (the error_code front starts from a dirty code, so ok() proves it is cleared).
  BOOST_TEST(!ok(api.state_cas("n", v1, Value(99))).has_value());
  BOOST_TEST((read_cell(api, "n").value == Value(2)));
  BOOST_TEST(read_cell(api, "n").version == v2);
  BOOST_TEST(visible() == before);  // no version consumed
}

STRATA_FRONTEND_TEST(cas_with_the_version_of_another_cell_does_not_match) {
  Api api(db, front);
  const Version va = ok(api.state_set("a", Value(1)));
  ok(api.state_set("b", Value(1)));
  const Version vb = read_cell(api, "b").version;
  BOOST_TEST(!ok(api.state_cas("b", va, Value(2))).has_value());
  BOOST_TEST(!ok(api.state_cas("never", va, Value(2))).has_value());
  BOOST_TEST(!ok(api.state_read("never")).has_value());
  // The same version numbers on a KV key do not count either.
  const Version vk = ok(api.kv_put("k", Value(1)));
  BOOST_TEST(!ok(api.state_cas("k", vk, Value(2))).has_value());
  BOOST_TEST(!ok(api.state_read("k")).has_value());
  BOOST_TEST((read_cell(api, "b").value == Value(1)));
  BOOST_TEST(read_cell(api, "b").version == vb);
}

STRATA_FRONTEND_TEST(cas_with_a_future_or_zero_version_does_not_match) {
  Api api(db, front);
  const Version v = ok(api.state_set("n", Value(1)));
  const auto before = visible();
  BOOST_TEST(!ok(api.state_cas("n", v + 100, Value(2))).has_value());
  BOOST_TEST(!ok(api.state_cas("n", Version{0}, Value(2))).has_value());
  // Version 0 means "before the first commit": never the version of a cell.
  BOOST_TEST(!ok(api.state_cas("absent", Version{0}, Value(2))).has_value());
  BOOST_TEST(!ok(api.state_read("absent")).has_value());
  BOOST_TEST(visible() == before);
}

STRATA_FRONTEND_TEST(cas_nullopt_creates_only_when_absent) {
  Api api(db, front);
  const auto created = ok(api.state_cas("fresh", std::nullopt, Value("first")));
  BOOST_TEST_REQUIRE(created.has_value());
  BOOST_TEST(read_cell(api, "fresh").version == *created);
  const auto before = visible();
  BOOST_TEST(!ok(api.state_cas("fresh", std::nullopt, Value("second"))).has_value());
  BOOST_TEST((read_cell(api, "fresh").value == Value("first")));
  BOOST_TEST(visible() == before);
}

STRATA_FRONTEND_TEST(a_chain_of_cas_calls_sees_each_version_once) {
  Api api(db, front);
  auto v = ok(api.state_cas("ctr", std::nullopt, Value(0)));
  BOOST_TEST_REQUIRE(v.has_value());
  for (int i = 1; i <= 20; ++i) {
    const Version prev = *v;
    v = ok(api.state_cas("ctr", prev, Value(i)));
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST(!ok(api.state_cas("ctr", prev, Value(-1))).has_value());  // already used
  }
  BOOST_TEST((read_cell(api, "ctr").value == Value(20)));
}

// ---- validation -------------------------------------------------------------------

STRATA_FRONTEND_TEST(bad_cell_names_are_rejected_by_every_call) {
  Api api(db, front);
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
    check_fails(api.state_set(c.cell, Value(1)), c.code);
    check_fails(api.state_read(c.cell), c.code);
    check_fails(api.state_init(c.cell, Value(1)), c.code);
    check_fails(api.state_cas(c.cell, std::nullopt, Value(1)), c.code);
    // The harness keeps no value from a failed call, yet the error_code
    // overload's nullopt on failure is part of its contract.
    if (front == Front::ErrorCode) {
      error_code ec;
      BOOST_TEST(!db.state_cas(c.cell, std::nullopt, Value(1), ec).has_value());
      BOOST_TEST(is(ec, c.code));
    }
  }
  BOOST_TEST(visible() == before);
  BOOST_TEST(db.info().keys["state"] == 0u);
  BOOST_TEST(ok(api.state_set(std::string(1024, 'c'), Value(1))) == before + 1);  // the limit is inclusive
}

STRATA_FRONTEND_TEST(value_limits_are_enforced_and_change_nothing) {
  Api api(db, front);
  const Version v = ok(api.state_set("c", Value("keep")));
  const Value deep = strata::test::nested_array(129);
  const Value big = Value(std::string(strata::kMaxValueBytes + 1, 'x'));
  check_fails(api.state_set("c", deep), errc::nesting_too_deep);
  check_fails(api.state_init("d", deep), errc::nesting_too_deep);
  check_fails(api.state_cas("c", v, deep), errc::nesting_too_deep);
  check_fails(api.state_set("c", big), errc::value_too_large);
  check_fails(api.state_cas("c", v, big), errc::value_too_large);
  BOOST_TEST(visible() == v);
  BOOST_TEST(read_cell(api, "c").version == v);
  BOOST_TEST((read_cell(api, "c").value == Value("keep")));
  BOOST_TEST(!ok(api.state_read("d")).has_value());
  BOOST_TEST(ok(api.state_set("c", strata::test::nested_array(128))) == v + 1);
}

// The error_code overloads themselves (a success clears a dirty code, checked
// after every call): this case is about one front end, so it runs once.
BOOST_FIXTURE_TEST_CASE(error_code_overloads_clear_on_success, DbFixture) {
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

STRATA_FRONTEND_TEST(cells_are_isolated_by_run_and_deleted_with_it) {
  Api api(db, front);
  db.create_run("a");
  db.create_run("ab");
  // Each Api wraps its own handle, so the async front names that handle's run.
  Api a(other_handle(), front), ab(other_handle(), front);
  a.handle().set_run("a");
  ab.handle().set_run("ab");
  const Version va = ok(a.state_set("c", Value("a")));
  BOOST_TEST(!ok(ab.state_read("c")).has_value());
  BOOST_TEST(!ok(api.state_read("c")).has_value());
  // A version from another run's cell does not match here.
  BOOST_TEST(!ok(ab.state_cas("c", va, Value("x"))).has_value());
  BOOST_TEST(ok(ab.state_init("c", Value("ab"))) > va);
  BOOST_TEST((read_cell(a, "c").value == Value("a")));
  ok(api.delete_run("a"));
  db.create_run("a");
  Api again(other_handle(), front);
  again.handle().set_run("a");
  BOOST_TEST(!ok(again.state_read("c")).has_value());
  BOOST_TEST((read_cell(ab, "c").value == Value("ab")));
}

BOOST_AUTO_TEST_SUITE_END()
