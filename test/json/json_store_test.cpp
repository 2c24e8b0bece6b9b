// The JSON store through the synchronous facade (SPEC §5): the path grammar
// as json_set/get/delete see it, creation of intermediate objects, array
// semantics (replace, append at the length, past the end, [-1]), the root,
// listing with cursors, value limits, and the atomic json_array_append and
// json_incr. Every rejected edit leaves the document and the version as
// they were.
#define BOOST_TEST_MODULE json_store
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"

#include <strata/strata.hpp>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

using strata::errc;
using strata::error_code;
using strata::PageRequest;
using strata::Strata;
using strata::Value;
using strata::Version;
using strata::test::DbFixture;
using strata::test::is;

namespace {

Value json(std::string_view text) { return Value::parse_json(text); }

/// Fixture with one document "doc" holding a small tree.
struct DocFixture : DbFixture {
  DocFixture() { db.json_set("doc", "$", json(R"({"a":{"b":1},"list":[10,20,30],"k k":"spaced","s":"str"})")); }
  Value doc() { return *db.json_get("doc", "$"); }
};

/// Asserts that `call` throws `code` and changes neither "doc" nor the
/// visible version.
template <class Call>
void rejected_without_change(DocFixture& f, errc code, Call call) {
  const Value before = f.doc();
  const Version v = f.visible();
  BOOST_CHECK_EXCEPTION(call(), strata::Error, strata::test::CodeIs{code});
  BOOST_TEST((f.doc() == before));
  BOOST_TEST(f.visible() == v);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(json_paths, DocFixture)

BOOST_AUTO_TEST_CASE(get_follows_every_path_form) {
  BOOST_TEST((db.json_get("doc", "$.a") == json(R"({"b":1})")));
  BOOST_TEST((db.json_get("doc", "$.a.b") == Value(1)));
  BOOST_TEST((db.json_get("doc", "$[\"a\"][\"b\"]") == Value(1)));
  BOOST_TEST((db.json_get("doc", "$.list[0]") == Value(10)));
  BOOST_TEST((db.json_get("doc", "$.list[2]") == Value(30)));
  BOOST_TEST((db.json_get("doc", "$.list[-1]") == Value(30)));
  BOOST_TEST((db.json_get("doc", "$.list[-3]") == Value(10)));
  BOOST_TEST((db.json_get("doc", "$[\"k k\"]") == Value("spaced")));
  BOOST_TEST((db.json_get("doc", "$[\"k\\u0020k\"]") == Value("spaced")));
}

BOOST_AUTO_TEST_CASE(get_of_absent_things_is_nullopt) {
  BOOST_TEST(!db.json_get("nodoc", "$").has_value());
  BOOST_TEST(!db.json_get("nodoc", "$.a").has_value());
  BOOST_TEST(!db.json_get("doc", "$.zz").has_value());
  BOOST_TEST(!db.json_get("doc", "$.a.b.c").has_value());  // through a scalar
  BOOST_TEST(!db.json_get("doc", "$.list[3]").has_value());
  BOOST_TEST(!db.json_get("doc", "$.list[-4]").has_value());
  BOOST_TEST(!db.json_get("doc", "$.a[0]").has_value());   // index into an object
  BOOST_TEST(!db.json_get("doc", "$.list.x").has_value());  // field of an array
}

BOOST_AUTO_TEST_CASE(malformed_paths_are_invalid_path_everywhere) {
  const std::string bad[] = {"", "a", "$.", "$..a", "$[", "$[1", "$[01]", "$[-0]", "$['a']", "$[\"a]",
                             "$ .a", "$.a ", "$[1.5]", "$[\"\\x\"]", "$[99999999999999999999]", "$a"};
  const Version v = visible();
  for (const auto& p : bad) {
    BOOST_TEST_CONTEXT("path " << p) {
      STRATA_CHECK_ERRC(db.json_get("doc", p), errc::invalid_path);
      STRATA_CHECK_ERRC(db.json_set("doc", p, Value(1)), errc::invalid_path);
      STRATA_CHECK_ERRC(db.json_delete("doc", p), errc::invalid_path);
      STRATA_CHECK_ERRC(db.json_array_append("doc", p, Value(1)), errc::invalid_path);
      STRATA_CHECK_ERRC(db.json_incr("doc", p, Value(1)), errc::invalid_path);
    }
  }
  BOOST_TEST(visible() == v);
}

BOOST_AUTO_TEST_CASE(bad_document_keys_are_rejected) {
  STRATA_CHECK_ERRC(db.json_set("", "$", Value(1)), errc::key_empty);
  STRATA_CHECK_ERRC(db.json_get("_strata/x", "$"), errc::key_reserved);
  STRATA_CHECK_ERRC(db.json_delete(std::string(1025, 'k'), "$"), errc::key_too_long);
  error_code ec;
  BOOST_TEST(db.json_set(std::string("a\0", 2), "$", Value(1), ec) == 0u);
  BOOST_TEST(is(ec, errc::key_contains_nul));
}

// ---- set -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(set_replaces_and_adds_fields) {
  db.json_set("doc", "$.a.b", Value(2));
  db.json_set("doc", "$.a.c", Value("new"));
  db.json_set("doc", "$[\"with space\"]", Value(true));
  BOOST_TEST((db.json_get("doc", "$.a") == json(R"({"b":2,"c":"new"})")));
  BOOST_TEST((db.json_get("doc", "$[\"with space\"]") == Value(true)));
}

BOOST_AUTO_TEST_CASE(set_creates_intermediate_objects) {
  db.json_set("doc", "$.x.y.z", Value(1));
  BOOST_TEST((db.json_get("doc", "$.x") == json(R"({"y":{"z":1}})")));
  db.json_set("fresh", "$.p.q", Value("v"));  // a missing document becomes an object
  BOOST_TEST((db.json_get("fresh", "$") == json(R"({"p":{"q":"v"}})")));
}

BOOST_AUTO_TEST_CASE(set_never_creates_arrays_or_walks_through_scalars) {
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_set("doc", "$.nothing[0]", Value(1)); });
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_set("doc", "$.a.b.c", Value(1)); });
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_set("doc", "$.list.x", Value(1)); });
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_set("doc", "$.a[0]", Value(1)); });
  STRATA_CHECK_ERRC(db.json_set("nodoc", "$[0]", Value(1)), errc::invalid_path);
  BOOST_TEST(!db.json_get("nodoc", "$").has_value());
}

BOOST_AUTO_TEST_CASE(array_index_replace_append_and_past_end) {
  db.json_set("doc", "$.list[1]", Value(21));
  db.json_set("doc", "$.list[-1]", Value(31));
  BOOST_TEST((db.json_get("doc", "$.list") == json("[10,21,31]")));
  db.json_set("doc", "$.list[3]", Value(40));  // index == length appends
  BOOST_TEST((db.json_get("doc", "$.list") == json("[10,21,31,40]")));
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_set("doc", "$.list[5]", Value(1)); });
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_set("doc", "$.list[-5]", Value(1)); });
  // An append position cannot be walked through.
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_set("doc", "$.list[4].x", Value(1)); });
}

BOOST_AUTO_TEST_CASE(append_to_an_empty_array_at_index_zero) {
  db.json_set("e", "$", Value::array({}));
  db.json_set("e", "$[0]", Value("first"));
  BOOST_TEST((db.json_get("e", "$") == json(R"(["first"])")));
  db.json_set("empty2", "$", Value::array({}));
  STRATA_CHECK_ERRC(db.json_set("empty2", "$[-1]", Value(1)), errc::invalid_path);  // no last element
  STRATA_CHECK_ERRC(db.json_set("empty2", "$[1]", Value(1)), errc::invalid_path);
}

BOOST_AUTO_TEST_CASE(root_set_replaces_the_document_with_any_kind) {
  db.json_set("doc", "$", Value(5));
  BOOST_TEST((db.json_get("doc", "$") == Value(5)));
  BOOST_TEST(!db.json_get("doc", "$.a").has_value());
  db.json_set("doc", "$", Value::array({1, 2}));
  BOOST_TEST((db.json_get("doc", "$[1]") == Value(2)));
  db.json_set("doc", "$", Value());  // a Null document still exists
  BOOST_TEST((db.json_get("doc", "$") == Value()));
  BOOST_TEST(db.json_list("doc").keys.size() == 1u);
}

BOOST_AUTO_TEST_CASE(each_set_commits_one_version) {
  const Version v = visible();
  BOOST_TEST(db.json_set("doc", "$.a.b", Value(7)) == v + 1);
  BOOST_TEST(db.json_set("other", "$", Value(1)) == v + 2);
  BOOST_TEST(visible() == v + 2);
}

// ---- delete --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(delete_counts_what_it_removed) {
  BOOST_TEST(db.json_delete("doc", "$.a.b") == 1u);
  BOOST_TEST((db.json_get("doc", "$.a") == json("{}")));
  BOOST_TEST(db.json_delete("doc", "$.list[0]") == 1u);
  BOOST_TEST((db.json_get("doc", "$.list") == json("[20,30]")));
  BOOST_TEST(db.json_delete("doc", "$.list[-1]") == 1u);
  BOOST_TEST((db.json_get("doc", "$.list") == json("[20]")));
  BOOST_TEST(db.json_delete("doc", "$[\"k k\"]") == 1u);
  BOOST_TEST(!db.json_get("doc", "$[\"k k\"]").has_value());
}

BOOST_AUTO_TEST_CASE(deleting_absent_paths_removes_nothing_and_writes_nothing) {
  const Value before = doc();
  const Version v = visible();
  BOOST_TEST(db.json_delete("doc", "$.zz") == 0u);
  BOOST_TEST(db.json_delete("doc", "$.a.b.c") == 0u);
  BOOST_TEST(db.json_delete("doc", "$.list[3]") == 0u);
  BOOST_TEST(db.json_delete("doc", "$.list[-4]") == 0u);
  BOOST_TEST(db.json_delete("nodoc", "$.x") == 0u);
  BOOST_TEST(db.json_delete("nodoc", "$") == 0u);
  BOOST_TEST((doc() == before));
  BOOST_TEST(visible() == v);
}

BOOST_AUTO_TEST_CASE(deleting_the_root_deletes_the_document) {
  BOOST_TEST(db.json_delete("doc", "$") == 1u);
  BOOST_TEST(!db.json_get("doc", "$").has_value());
  BOOST_TEST(db.json_list().keys.empty());
  BOOST_TEST(db.json_delete("doc", "$") == 0u);
  db.json_set("doc", "$.again", Value(1));  // a new document under the same key
  BOOST_TEST((db.json_get("doc", "$") == json(R"({"again":1})")));
}

// ---- array_append ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(array_append_adds_at_the_end) {
  db.json_array_append("doc", "$.list", Value(40));
  db.json_array_append("doc", "$.list", json(R"({"o":1})"));
  BOOST_TEST((db.json_get("doc", "$.list") == json(R"([10,20,30,40,{"o":1}])")));
  db.json_set("arr", "$", Value::array({}));
  db.json_array_append("arr", "$", Value("x"));
  BOOST_TEST((db.json_get("arr", "$") == json(R"(["x"])")));
}

BOOST_AUTO_TEST_CASE(array_append_errors_change_nothing) {
  rejected_without_change(*this, errc::document_not_found,
                          [&] { db.json_array_append("nodoc", "$.list", Value(1)); });
  BOOST_TEST(!db.json_get("nodoc", "$").has_value());
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_array_append("doc", "$.missing", Value(1)); });
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_array_append("doc", "$.a", Value(1)); });
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_array_append("doc", "$.s", Value(1)); });
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_array_append("doc", "$", Value(1)); });
  error_code ec;
  BOOST_TEST(db.json_array_append("doc", "$.a", Value(1), ec) == 0u);
  BOOST_TEST(is(ec, errc::wrong_type));
}

// ---- incr -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(incr_keeps_int_and_promotes_to_float) {
  BOOST_TEST((db.json_incr("doc", "$.a.b", Value(4)) == Value(5)));
  BOOST_TEST((db.json_get("doc", "$.a.b") == Value(5)));
  BOOST_TEST((db.json_incr("doc", "$.a.b", Value(-10)) == Value(-5)));
  const Value f = db.json_incr("doc", "$.a.b", Value(0.5));
  BOOST_TEST(f.is_float());
  BOOST_TEST(f.as_float() == -4.5);
  BOOST_TEST((db.json_get("doc", "$.a.b") == Value(-4.5)));
  db.json_set("doc", "$.f", Value(1.25));
  const Value g = db.json_incr("doc", "$.f", Value(1));  // Float + Int stays Float
  BOOST_TEST(g.is_float());
  BOOST_TEST(g.as_float() == 2.25);
  BOOST_TEST((db.json_incr("doc", "$.list[-1]", Value(1)) == Value(31)));
}

BOOST_AUTO_TEST_CASE(incr_overflow_is_integer_out_of_range) {
  db.json_set("doc", "$.big", Value(std::numeric_limits<std::int64_t>::max()));
  rejected_without_change(*this, errc::integer_out_of_range, [&] { db.json_incr("doc", "$.big", Value(1)); });
  db.json_set("doc", "$.small", Value(std::numeric_limits<std::int64_t>::min()));
  rejected_without_change(*this, errc::integer_out_of_range, [&] { db.json_incr("doc", "$.small", Value(-1)); });
  BOOST_TEST((db.json_incr("doc", "$.big", Value(-1)) == Value(std::numeric_limits<std::int64_t>::max() - 1)));
}

BOOST_AUTO_TEST_CASE(incr_errors_change_nothing) {
  rejected_without_change(*this, errc::document_not_found, [&] { db.json_incr("nodoc", "$.n", Value(1)); });
  rejected_without_change(*this, errc::invalid_path, [&] { db.json_incr("doc", "$.missing", Value(1)); });
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_incr("doc", "$.s", Value(1)); });
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_incr("doc", "$.a", Value(1)); });
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_incr("doc", "$.list", Value(1)); });
  // The delta itself must be a number.
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_incr("doc", "$.a.b", Value("1")); });
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_incr("doc", "$.a.b", Value(true)); });
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_incr("doc", "$.a.b", Value()); });
  db.json_set("doc", "$.flag", Value(true));
  rejected_without_change(*this, errc::wrong_type, [&] { db.json_incr("doc", "$.flag", Value(1)); });
}

// ---- limits ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(nesting_beyond_128_is_rejected) {
  rejected_without_change(*this, errc::nesting_too_deep,
                          [&] { db.json_set("doc", "$", strata::test::nested_array(129)); });
  // Depth counts the path too: 1 segment + a value of depth 128.
  rejected_without_change(*this, errc::nesting_too_deep,
                          [&] { db.json_set("doc", "$.deep", strata::test::nested_array(128)); });
  rejected_without_change(*this, errc::nesting_too_deep,
                          [&] { db.json_array_append("doc", "$.list", strata::test::nested_array(127)); });
  db.json_set("doc", "$.deep", strata::test::nested_array(127));  // 1 + 127 = 128 is fine
  BOOST_TEST(db.json_get("doc", "$.deep")->depth() == 127u);
}

BOOST_AUTO_TEST_CASE(oversized_values_are_rejected) {
  const Value big(std::string(strata::kMaxValueBytes + 1, 'x'));
  rejected_without_change(*this, errc::value_too_large, [&] { db.json_set("doc", "$.big", big); });
  rejected_without_change(*this, errc::value_too_large, [&] { db.json_set("doc", "$", big); });
  // Two halves that fit alone but not together in one document.
  const Value half(std::string(strata::kMaxValueBytes / 2 + 16, 'y'));
  db.json_set("doc", "$.h1", half);
  rejected_without_change(*this, errc::value_too_large, [&] { db.json_set("doc", "$.h2", half); });
  rejected_without_change(*this, errc::value_too_large, [&] { db.json_array_append("doc", "$.list", half); });
}

BOOST_AUTO_TEST_SUITE_END()

// ---- listing ----------------------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(json_listing, DbFixture)

BOOST_AUTO_TEST_CASE(list_returns_document_keys_in_byte_order) {
  for (const char* k : {"b", "a/2", "a/1", "a/10", "c", "A"}) db.json_set(k, "$", Value(1));
  db.kv_put("a/kv-only", Value(1));
  db.state_set("a/state-only", Value(1));
  BOOST_TEST((db.json_list().keys == std::vector<std::string>{"A", "a/1", "a/10", "a/2", "b", "c"}));
  BOOST_TEST((db.json_list("a/").keys == std::vector<std::string>{"a/1", "a/10", "a/2"}));
  BOOST_TEST(db.json_list("zz").keys.empty());
  BOOST_TEST(!db.json_list("zz").next_cursor.has_value());
}

BOOST_AUTO_TEST_CASE(list_paginates_with_cursors) {
  std::vector<std::string> expect;
  for (int i = 0; i < 37; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "doc%03d", i);
    db.json_set(key, "$.i", Value(i));
    expect.push_back(key);
  }
  for (std::size_t page : {1u, 5u, 36u, 37u, 100u}) {
    auto all = strata::test::list_all_pages(
        [&](std::string_view p, const PageRequest& r) { return db.json_list(p, r); }, "doc", page);
    BOOST_TEST((all == expect), "page size " << page);
  }
}

BOOST_AUTO_TEST_CASE(deleted_documents_leave_the_listing) {
  for (const char* k : {"a", "b", "c"}) db.json_set(k, "$", Value(1));
  db.json_delete("b", "$");
  db.json_delete("c", "$.x");  // not the root: the document stays
  BOOST_TEST((db.json_list().keys == std::vector<std::string>{"a", "c"}));
}

BOOST_AUTO_TEST_CASE(list_rejects_zero_limits_and_foreign_cursors) {
  for (const char* k : {"a", "b", "c"}) db.json_set(k, "$", Value(1));
  STRATA_CHECK_ERRC(db.json_list("", PageRequest{0, {}}), errc::invalid_limit);
  const auto first = db.json_list("", PageRequest{1, {}});
  BOOST_TEST_REQUIRE(first.next_cursor.has_value());
  // The cursor belongs to the "default" run and the prefix "".
  db.create_run("other");
  Strata other = other_handle();
  other.set_run("other");
  STRATA_CHECK_ERRC(other.json_list("", PageRequest{1, *first.next_cursor}), errc::invalid_cursor);
  STRATA_CHECK_ERRC(db.json_list("b", PageRequest{1, *first.next_cursor}), errc::invalid_cursor);
  STRATA_CHECK_ERRC(db.json_list("", PageRequest{1, "garbage"}), errc::invalid_cursor);
  error_code ec;
  BOOST_TEST(db.json_list("", PageRequest{1, "garbage"}, ec).keys.empty());
  BOOST_TEST(is(ec, errc::invalid_cursor));
  const auto second = db.json_list("", PageRequest{1, *first.next_cursor});
  BOOST_TEST((second.keys == std::vector<std::string>{"b"}));
}

BOOST_AUTO_TEST_CASE(documents_are_isolated_by_run) {
  db.create_run("a");
  db.create_run("ab");
  Strata a = other_handle(), ab = other_handle();
  a.set_run("a");
  ab.set_run("ab");
  a.json_set("d", "$.x", Value(1));
  BOOST_TEST(!ab.json_get("d", "$").has_value());
  BOOST_TEST(ab.json_list().keys.empty());
  STRATA_CHECK_ERRC(ab.json_incr("d", "$.x", Value(1)), errc::document_not_found);
  ab.json_set("d", "$.x", Value(100));
  BOOST_TEST((a.json_incr("d", "$.x", Value(1)) == Value(2)));
  BOOST_TEST((ab.json_get("d", "$.x") == Value(100)));
  db.delete_run("a");
  BOOST_TEST((ab.json_list().keys == std::vector<std::string>{"d"}));
}

BOOST_AUTO_TEST_SUITE_END()
