// The JSON store (docs/design/primitives.md), every case run through each front end of the
// public API (throwing, error_code&, async; support/frontends.hpp): the path
// grammar as json_set/get/delete see it, creation of intermediate objects,
// array semantics (replace, append at the length, past the end, [-1]), the
// root, listing with cursors, value limits, and the atomic json_array_append
// and json_incr. Every rejected edit leaves the document and the version as
// they were.
#define BOOST_TEST_MODULE json_store
#include "support/frontends.hpp"

#include <strata/strata.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using strata::errc;
using strata::error_code;
using strata::KeyPage;
using strata::PageRequest;
using strata::Strata;
using strata::Value;
using strata::Version;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::Front;
using strata::test::is;
using strata::test::ok;

namespace {

Value json(std::string_view text) { return Value::parse_json(text); }

}  // namespace

// Not in the anonymous namespace: the test cases' lambdas capture a DocApi,
// and a test case class must not hold a member of internal linkage
// (-Wsubobject-linkage).
namespace json_store {

/// An Api on a database with one document "doc" holding a small tree (the
/// seeding is setup, so it goes through the handle directly).
struct DocApi : Api {
  DocApi(Strata db, Front front) : Api(std::move(db), front) {
    handle().json_set("doc", "$", json(R"({"a":{"b":1},"list":[10,20,30],"k k":"spaced","s":"str"})"));
  }
  /// The document or the value at `path`, read through the front end.
  std::optional<Value> get(std::string_view key, std::string_view path) { return ok(json_get(key, path)); }
  Value doc() { return *get("doc", "$"); }
  Version visible() { return handle().info().visible_version; }
};

}  // namespace json_store

using json_store::DocApi;

namespace {

/// The keys of a listing that must succeed (REQUIREs success).
std::vector<std::string> keys_of(strata::test::Result<KeyPage> r) { return ok(std::move(r)).keys; }

/// Asserts that `call` (an Api call) fails with `code` and changes neither
/// "doc" nor the visible version.
template <class Call>
void rejected_without_change(DocApi& api, errc code, Call call) {
  const Value before = api.doc();
  const Version v = api.visible();
  check_fails(call(), code);
  BOOST_TEST((api.doc() == before));
  BOOST_TEST(api.visible() == v);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_paths)

STRATA_FRONTEND_TEST(get_follows_every_path_form) {
  DocApi api(db, front);
  BOOST_TEST((api.get("doc", "$.a") == json(R"({"b":1})")));
  BOOST_TEST((api.get("doc", "$.a.b") == Value(1)));
  BOOST_TEST((api.get("doc", "$[\"a\"][\"b\"]") == Value(1)));
  BOOST_TEST((api.get("doc", "$.list[0]") == Value(10)));
  BOOST_TEST((api.get("doc", "$.list[2]") == Value(30)));
  BOOST_TEST((api.get("doc", "$.list[-1]") == Value(30)));
  BOOST_TEST((api.get("doc", "$.list[-3]") == Value(10)));
  BOOST_TEST((api.get("doc", "$[\"k k\"]") == Value("spaced")));
  BOOST_TEST((api.get("doc", "$[\"k\\u0020k\"]") == Value("spaced")));
}

STRATA_FRONTEND_TEST(get_of_absent_things_is_nullopt) {
  DocApi api(db, front);
  BOOST_TEST(!api.get("nodoc", "$").has_value());
  BOOST_TEST(!api.get("nodoc", "$.a").has_value());
  BOOST_TEST(!api.get("doc", "$.zz").has_value());
  BOOST_TEST(!api.get("doc", "$.a.b.c").has_value());  // through a scalar
  BOOST_TEST(!api.get("doc", "$.list[3]").has_value());
  BOOST_TEST(!api.get("doc", "$.list[-4]").has_value());
  BOOST_TEST(!api.get("doc", "$.a[0]").has_value());    // index into an object
  BOOST_TEST(!api.get("doc", "$.list.x").has_value());  // field of an array
}

STRATA_FRONTEND_TEST(malformed_paths_are_invalid_path_everywhere) {
  DocApi api(db, front);
  const std::string bad[] = {"", "a", "$.", "$..a", "$[", "$[1", "$[01]", "$[-0]", "$['a']", "$[\"a]",
                             "$ .a", "$.a ", "$[1.5]", "$[\"\\x\"]", "$[99999999999999999999]", "$a"};
  const Version v = api.visible();
  for (const auto& p : bad) {
    BOOST_TEST_CONTEXT("path " << p) {
      check_fails(api.json_get("doc", p), errc::invalid_path);
      check_fails(api.json_set("doc", p, Value(1)), errc::invalid_path);
      check_fails(api.json_delete("doc", p), errc::invalid_path);
      check_fails(api.json_array_append("doc", p, Value(1)), errc::invalid_path);
      check_fails(api.json_incr("doc", p, Value(1)), errc::invalid_path);
    }
  }
  BOOST_TEST(api.visible() == v);
}

STRATA_FRONTEND_TEST(bad_document_keys_are_rejected) {
  DocApi api(db, front);
  check_fails(api.json_set("", "$", Value(1)), errc::key_empty);
  check_fails(api.json_get("_strata/x", "$"), errc::key_reserved);
  check_fails(api.json_delete(std::string(1025, 'k'), "$"), errc::key_too_long);
  check_fails(api.json_set(std::string("a\0", 2), "$", Value(1)), errc::key_contains_nul);
  if (front == Front::ErrorCode) {
    // The Api drops a failed call's value; the error_code& form must return 0.
    error_code ec;
    BOOST_TEST(db.json_set(std::string("a\0", 2), "$", Value(1), ec) == 0u);
    BOOST_TEST(is(ec, errc::key_contains_nul));
  }
}

// ---- set -----------------------------------------------------------------------------

STRATA_FRONTEND_TEST(set_replaces_and_adds_fields) {
  DocApi api(db, front);
  ok(api.json_set("doc", "$.a.b", Value(2)));
  ok(api.json_set("doc", "$.a.c", Value("new")));
  ok(api.json_set("doc", "$[\"with space\"]", Value(true)));
  BOOST_TEST((api.get("doc", "$.a") == json(R"({"b":2,"c":"new"})")));
  BOOST_TEST((api.get("doc", "$[\"with space\"]") == Value(true)));
}

STRATA_FRONTEND_TEST(set_creates_intermediate_objects) {
  DocApi api(db, front);
  ok(api.json_set("doc", "$.x.y.z", Value(1)));
  BOOST_TEST((api.get("doc", "$.x") == json(R"({"y":{"z":1}})")));
  ok(api.json_set("fresh", "$.p.q", Value("v")));  // a missing document becomes an object
  BOOST_TEST((api.get("fresh", "$") == json(R"({"p":{"q":"v"}})")));
}

STRATA_FRONTEND_TEST(set_never_creates_arrays_or_walks_through_scalars) {
  DocApi api(db, front);
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_set("doc", "$.nothing[0]", Value(1)); });
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_set("doc", "$.a.b.c", Value(1)); });
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_set("doc", "$.list.x", Value(1)); });
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_set("doc", "$.a[0]", Value(1)); });
  check_fails(api.json_set("nodoc", "$[0]", Value(1)), errc::invalid_path);
  BOOST_TEST(!api.get("nodoc", "$").has_value());
}

STRATA_FRONTEND_TEST(array_index_replace_append_and_past_end) {
  DocApi api(db, front);
  ok(api.json_set("doc", "$.list[1]", Value(21)));
  ok(api.json_set("doc", "$.list[-1]", Value(31)));
  BOOST_TEST((api.get("doc", "$.list") == json("[10,21,31]")));
  ok(api.json_set("doc", "$.list[3]", Value(40)));  // index == length appends
  BOOST_TEST((api.get("doc", "$.list") == json("[10,21,31,40]")));
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_set("doc", "$.list[5]", Value(1)); });
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_set("doc", "$.list[-5]", Value(1)); });
  // An append position cannot be walked through.
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_set("doc", "$.list[4].x", Value(1)); });
}

STRATA_FRONTEND_TEST(append_to_an_empty_array_at_index_zero) {
  DocApi api(db, front);
  ok(api.json_set("e", "$", Value::array({})));
  ok(api.json_set("e", "$[0]", Value("first")));
  BOOST_TEST((api.get("e", "$") == json(R"(["first"])")));
  ok(api.json_set("empty2", "$", Value::array({})));
  check_fails(api.json_set("empty2", "$[-1]", Value(1)), errc::invalid_path);  // no last element
  check_fails(api.json_set("empty2", "$[1]", Value(1)), errc::invalid_path);
}

STRATA_FRONTEND_TEST(root_set_replaces_the_document_with_any_kind) {
  DocApi api(db, front);
  ok(api.json_set("doc", "$", Value(5)));
  BOOST_TEST((api.get("doc", "$") == Value(5)));
  BOOST_TEST(!api.get("doc", "$.a").has_value());
  ok(api.json_set("doc", "$", Value::array({1, 2})));
  BOOST_TEST((api.get("doc", "$[1]") == Value(2)));
  ok(api.json_set("doc", "$", Value()));  // a Null document still exists
  BOOST_TEST((api.get("doc", "$") == Value()));
  BOOST_TEST(keys_of(api.json_list("doc")).size() == 1u);
}

STRATA_FRONTEND_TEST(each_set_commits_one_version) {
  DocApi api(db, front);
  const Version v = api.visible();
  BOOST_TEST(ok(api.json_set("doc", "$.a.b", Value(7))) == v + 1);
  BOOST_TEST(ok(api.json_set("other", "$", Value(1))) == v + 2);
  BOOST_TEST(api.visible() == v + 2);
}

// ---- delete --------------------------------------------------------------------------

STRATA_FRONTEND_TEST(delete_counts_what_it_removed) {
  DocApi api(db, front);
  BOOST_TEST(ok(api.json_delete("doc", "$.a.b")) == 1u);
  BOOST_TEST((api.get("doc", "$.a") == json("{}")));
  BOOST_TEST(ok(api.json_delete("doc", "$.list[0]")) == 1u);
  BOOST_TEST((api.get("doc", "$.list") == json("[20,30]")));
  BOOST_TEST(ok(api.json_delete("doc", "$.list[-1]")) == 1u);
  BOOST_TEST((api.get("doc", "$.list") == json("[20]")));
  BOOST_TEST(ok(api.json_delete("doc", "$[\"k k\"]")) == 1u);
  BOOST_TEST(!api.get("doc", "$[\"k k\"]").has_value());
}

STRATA_FRONTEND_TEST(deleting_absent_paths_removes_nothing_and_writes_nothing) {
  DocApi api(db, front);
  const Value before = api.doc();
  const Version v = api.visible();
  BOOST_TEST(ok(api.json_delete("doc", "$.zz")) == 0u);
  BOOST_TEST(ok(api.json_delete("doc", "$.a.b.c")) == 0u);
  BOOST_TEST(ok(api.json_delete("doc", "$.list[3]")) == 0u);
  BOOST_TEST(ok(api.json_delete("doc", "$.list[-4]")) == 0u);
  BOOST_TEST(ok(api.json_delete("nodoc", "$.x")) == 0u);
  BOOST_TEST(ok(api.json_delete("nodoc", "$")) == 0u);
  BOOST_TEST((api.doc() == before));
  BOOST_TEST(api.visible() == v);
}

STRATA_FRONTEND_TEST(deleting_the_root_deletes_the_document) {
  DocApi api(db, front);
  BOOST_TEST(ok(api.json_delete("doc", "$")) == 1u);
  BOOST_TEST(!api.get("doc", "$").has_value());
  BOOST_TEST(keys_of(api.json_list()).empty());
  BOOST_TEST(ok(api.json_delete("doc", "$")) == 0u);
  ok(api.json_set("doc", "$.again", Value(1)));  // a new document under the same key
  BOOST_TEST((api.get("doc", "$") == json(R"({"again":1})")));
}

// ---- array_append ---------------------------------------------------------------------

STRATA_FRONTEND_TEST(array_append_adds_at_the_end) {
  DocApi api(db, front);
  ok(api.json_array_append("doc", "$.list", Value(40)));
  ok(api.json_array_append("doc", "$.list", json(R"({"o":1})")));
  BOOST_TEST((api.get("doc", "$.list") == json(R"([10,20,30,40,{"o":1}])")));
  ok(api.json_set("arr", "$", Value::array({})));
  ok(api.json_array_append("arr", "$", Value("x")));
  BOOST_TEST((api.get("arr", "$") == json(R"(["x"])")));
}

STRATA_FRONTEND_TEST(array_append_errors_change_nothing) {
  DocApi api(db, front);
  rejected_without_change(api, errc::document_not_found,
                          [&] { return api.json_array_append("nodoc", "$.list", Value(1)); });
  BOOST_TEST(!api.get("nodoc", "$").has_value());
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_array_append("doc", "$.missing", Value(1)); });
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_array_append("doc", "$.a", Value(1)); });
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_array_append("doc", "$.s", Value(1)); });
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_array_append("doc", "$", Value(1)); });
  if (front == Front::ErrorCode) {
    // The Api drops a failed call's value; the error_code& form must return 0.
    error_code ec;
    BOOST_TEST(db.json_array_append("doc", "$.a", Value(1), ec) == 0u);
    BOOST_TEST(is(ec, errc::wrong_type));
  }
}

// ---- incr -----------------------------------------------------------------------------

STRATA_FRONTEND_TEST(incr_keeps_int_and_promotes_to_float) {
  DocApi api(db, front);
  BOOST_TEST((ok(api.json_incr("doc", "$.a.b", Value(4))) == Value(5)));
  BOOST_TEST((api.get("doc", "$.a.b") == Value(5)));
  BOOST_TEST((ok(api.json_incr("doc", "$.a.b", Value(-10))) == Value(-5)));
  const Value f = ok(api.json_incr("doc", "$.a.b", Value(0.5)));
  BOOST_TEST(f.is_float());
  BOOST_TEST(f.as_float() == -4.5);
  BOOST_TEST((api.get("doc", "$.a.b") == Value(-4.5)));
  ok(api.json_set("doc", "$.f", Value(1.25)));
  const Value g = ok(api.json_incr("doc", "$.f", Value(1)));  // Float + Int stays Float
  BOOST_TEST(g.is_float());
  BOOST_TEST(g.as_float() == 2.25);
  BOOST_TEST((ok(api.json_incr("doc", "$.list[-1]", Value(1))) == Value(31)));
}

STRATA_FRONTEND_TEST(incr_overflow_is_integer_out_of_range) {
  DocApi api(db, front);
  ok(api.json_set("doc", "$.big", Value(std::numeric_limits<std::int64_t>::max())));
  rejected_without_change(api, errc::integer_out_of_range, [&] { return api.json_incr("doc", "$.big", Value(1)); });
  ok(api.json_set("doc", "$.small", Value(std::numeric_limits<std::int64_t>::min())));
  rejected_without_change(api, errc::integer_out_of_range, [&] { return api.json_incr("doc", "$.small", Value(-1)); });
  BOOST_TEST((ok(api.json_incr("doc", "$.big", Value(-1))) == Value(std::numeric_limits<std::int64_t>::max() - 1)));
}

STRATA_FRONTEND_TEST(incr_errors_change_nothing) {
  DocApi api(db, front);
  rejected_without_change(api, errc::document_not_found, [&] { return api.json_incr("nodoc", "$.n", Value(1)); });
  rejected_without_change(api, errc::invalid_path, [&] { return api.json_incr("doc", "$.missing", Value(1)); });
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_incr("doc", "$.s", Value(1)); });
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_incr("doc", "$.a", Value(1)); });
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_incr("doc", "$.list", Value(1)); });
  // The delta itself must be a number.
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_incr("doc", "$.a.b", Value("1")); });
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_incr("doc", "$.a.b", Value(true)); });
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_incr("doc", "$.a.b", Value()); });
  ok(api.json_set("doc", "$.flag", Value(true)));
  rejected_without_change(api, errc::wrong_type, [&] { return api.json_incr("doc", "$.flag", Value(1)); });
}

// ---- limits ---------------------------------------------------------------------------

STRATA_FRONTEND_TEST(nesting_beyond_128_is_rejected) {
  DocApi api(db, front);
  using strata::test::nested_array;
  rejected_without_change(api, errc::nesting_too_deep, [&] { return api.json_set("doc", "$", nested_array(129)); });
  // Depth counts the path too: 1 segment + a value of depth 128.
  rejected_without_change(api, errc::nesting_too_deep,
                          [&] { return api.json_set("doc", "$.deep", nested_array(128)); });
  rejected_without_change(api, errc::nesting_too_deep,
                          [&] { return api.json_array_append("doc", "$.list", nested_array(127)); });
  ok(api.json_set("doc", "$.deep", nested_array(127)));  // 1 + 127 = 128 is fine
  BOOST_TEST(api.get("doc", "$.deep")->depth() == 127u);
}

STRATA_FRONTEND_TEST(oversized_values_are_rejected) {
  DocApi api(db, front);
  const Value big(std::string(strata::kMaxValueBytes + 1, 'x'));
  rejected_without_change(api, errc::value_too_large, [&] { return api.json_set("doc", "$.big", big); });
  rejected_without_change(api, errc::value_too_large, [&] { return api.json_set("doc", "$", big); });
  // Two halves that fit alone but not together in one document.
  const Value half(std::string(strata::kMaxValueBytes / 2 + 16, 'y'));
  ok(api.json_set("doc", "$.h1", half));
  rejected_without_change(api, errc::value_too_large, [&] { return api.json_set("doc", "$.h2", half); });
  rejected_without_change(api, errc::value_too_large, [&] { return api.json_array_append("doc", "$.list", half); });
}

BOOST_AUTO_TEST_SUITE_END()

// ---- listing ----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(json_listing)

STRATA_FRONTEND_TEST(list_returns_document_keys_in_byte_order) {
  Api api(db, front);
  for (const char* k : {"b", "a/2", "a/1", "a/10", "c", "A"}) ok(api.json_set(k, "$", Value(1)));
  db.kv_put("a/kv-only", Value(1));
  db.state_set("a/state-only", Value(1));
  BOOST_TEST((keys_of(api.json_list()) == std::vector<std::string>{"A", "a/1", "a/10", "a/2", "b", "c"}));
  BOOST_TEST((keys_of(api.json_list("a/")) == std::vector<std::string>{"a/1", "a/10", "a/2"}));
  const KeyPage none = ok(api.json_list("zz"));
  BOOST_TEST(none.keys.empty());
  BOOST_TEST(!none.next_cursor.has_value());
}

STRATA_FRONTEND_TEST(list_paginates_with_cursors) {
  Api api(db, front);
  std::vector<std::string> expect;
  for (int i = 0; i < 37; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "doc%03d", i);
    ok(api.json_set(key, "$.i", Value(i)));
    expect.push_back(key);
  }
  for (std::size_t page : {1u, 5u, 36u, 37u, 100u}) {
    auto all = strata::test::list_all_pages(
        [&](std::string_view p, const PageRequest& r) { return ok(api.json_list(p, r)); }, "doc", page);
    BOOST_TEST((all == expect), "page size " << page);
  }
}

STRATA_FRONTEND_TEST(deleted_documents_leave_the_listing) {
  Api api(db, front);
  for (const char* k : {"a", "b", "c"}) ok(api.json_set(k, "$", Value(1)));
  ok(api.json_delete("b", "$"));
  ok(api.json_delete("c", "$.x"));  // not the root: the document stays
  BOOST_TEST((keys_of(api.json_list()) == std::vector<std::string>{"a", "c"}));
}

STRATA_FRONTEND_TEST(list_rejects_zero_limits_and_foreign_cursors) {
  Api api(db, front);
  for (const char* k : {"a", "b", "c"}) ok(api.json_set(k, "$", Value(1)));
  check_fails(api.json_list("", PageRequest{0, {}}), errc::invalid_limit);
  const KeyPage first = ok(api.json_list("", PageRequest{1, {}}));
  BOOST_TEST_REQUIRE(first.next_cursor.has_value());
  // The cursor belongs to the "default" run and the prefix "".
  db.create_run("other");
  Api other(other_handle(), front);
  ok(other.set_run("other"));
  check_fails(other.json_list("", PageRequest{1, *first.next_cursor}), errc::invalid_cursor);
  check_fails(api.json_list("b", PageRequest{1, *first.next_cursor}), errc::invalid_cursor);
  check_fails(api.json_list("", PageRequest{1, "garbage"}), errc::invalid_cursor);
  if (front == Front::ErrorCode) {
    // The Api drops a failed call's value; the error_code& form must return an empty page.
    error_code ec;
    BOOST_TEST(db.json_list("", PageRequest{1, "garbage"}, ec).keys.empty());
    BOOST_TEST(is(ec, errc::invalid_cursor));
  }
  BOOST_TEST((keys_of(api.json_list("", PageRequest{1, *first.next_cursor})) == std::vector<std::string>{"b"}));
}

STRATA_FRONTEND_TEST(documents_are_isolated_by_run) {
  db.create_run("a");
  db.create_run("ab");
  Api a(other_handle(), front), ab(other_handle(), front);
  ok(a.set_run("a"));
  ok(ab.set_run("ab"));
  ok(a.json_set("d", "$.x", Value(1)));
  BOOST_TEST(!ok(ab.json_get("d", "$")).has_value());
  BOOST_TEST(keys_of(ab.json_list()).empty());
  check_fails(ab.json_incr("d", "$.x", Value(1)), errc::document_not_found);
  ok(ab.json_set("d", "$.x", Value(100)));
  BOOST_TEST((ok(a.json_incr("d", "$.x", Value(1))) == Value(2)));
  BOOST_TEST((ok(ab.json_get("d", "$.x")) == Value(100)));
  db.delete_run("a");
  BOOST_TEST((keys_of(ab.json_list()) == std::vector<std::string>{"d"}));
}

BOOST_AUTO_TEST_SUITE_END()
