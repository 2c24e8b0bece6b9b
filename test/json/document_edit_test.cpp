// Document editing (src/json/document_edit): find / set / erase on objects
// and nested arrays, negative indexes, appending at the length, the error
// cases (which must leave the document untouched), Null-document creation,
// and the EditResult paths the transaction layer and redo log rely on.
#define BOOST_TEST_MODULE json_document_edit
#include <boost/test/unit_test.hpp>

#include "json/document_edit.hpp"

#include <strata/value.hpp>

#include <ostream>
#include <string>

namespace strata::json {
// Lets BOOST_TEST print paths in failure messages (found by ADL).
std::ostream& boost_test_print_type(std::ostream& os, const Path& p) { return os << format_path(p); }
}  // namespace strata::json

namespace {

using strata::errc;
using strata::Value;
using strata::json::EditResult;
using strata::json::Path;

Path path(std::string_view text) {
  Path p;
  std::string detail;
  const auto ec = strata::json::parse_path(text, p, &detail);
  BOOST_TEST_INFO(detail);
  BOOST_REQUIRE(!ec);
  return p;
}

Value json(std::string_view text) { return Value::parse_json(text); }

Value sample() {
  return json(R"({"a":{"b":1,"c":[10,20,30]},"list":[{"x":1},{"x":2}],"s":"str","n":null})");
}

const Value* find(const Value& doc, std::string_view p) { return strata::json::find(doc, path(p)); }

/// set() that must succeed; returns the EditResult.
EditResult set_ok(Value& doc, std::string_view p, Value v) {
  EditResult r;
  std::string detail;
  const auto ec = strata::json::set(doc, path(p), std::move(v), &r, &detail);
  BOOST_TEST_INFO("set " << p << ": " << detail);
  BOOST_TEST(!ec);
  return r;
}

/// set() that must fail with invalid_path, leave `doc` exactly as it was,
/// and name the path; returns the detail for further checks.
std::string set_fails(Value& doc, std::string_view p, errc expected = errc::invalid_path) {
  const Value before = doc;
  std::string detail;
  const auto ec = strata::json::set(doc, path(p), Value(7), nullptr, &detail);
  BOOST_TEST_CONTEXT("set " << p << ": " << detail) {
    BOOST_TEST((ec == expected));
    BOOST_TEST(doc == before);
    BOOST_TEST(!detail.empty());
  }
  return detail;
}

std::size_t erase(Value& doc, std::string_view p, EditResult* r = nullptr) {
  return strata::json::erase(doc, path(p), r);
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(finding)

BOOST_AUTO_TEST_CASE(existing_values) {
  const Value doc = sample();
  BOOST_TEST(find(doc, "$") == &doc);
  BOOST_TEST(*find(doc, "$.a.b") == Value(1));
  BOOST_TEST(*find(doc, "$.a.c[0]") == Value(10));
  BOOST_TEST(*find(doc, "$.a.c[2]") == Value(30));
  BOOST_TEST(*find(doc, "$.list[1].x") == Value(2));
  BOOST_TEST(*find(doc, "$.n") == Value());
  BOOST_TEST(*find(doc, "$.a.c") == json("[10,20,30]"));
}

BOOST_AUTO_TEST_CASE(negative_indexes_count_from_the_end) {
  const Value doc = sample();
  BOOST_TEST(*find(doc, "$.a.c[-1]") == Value(30));
  BOOST_TEST(*find(doc, "$.a.c[-3]") == Value(10));
  BOOST_TEST(find(doc, "$.a.c[-4]") == nullptr);
  BOOST_TEST(find(doc, "$.a.c[-9223372036854775808]") == nullptr);
  BOOST_TEST(*find(doc, "$.list[-1].x") == Value(2));
}

BOOST_AUTO_TEST_CASE(missing_steps_give_null) {
  const Value doc = sample();
  BOOST_TEST(find(doc, "$.missing") == nullptr);
  BOOST_TEST(find(doc, "$.missing.deeper") == nullptr);
  BOOST_TEST(find(doc, "$.a.c[3]") == nullptr);
  BOOST_TEST(find(doc, "$.a.c[9223372036854775807]") == nullptr);
  BOOST_TEST(find(doc, "$.s.x") == nullptr);     // into a String
  BOOST_TEST(find(doc, "$.n.x") == nullptr);     // into a nested Null
  BOOST_TEST(find(doc, "$.a[0]") == nullptr);    // index into an Object
  BOOST_TEST(find(doc, "$.a.c.x") == nullptr);   // field into an Array
  BOOST_TEST(find(doc, "$.a.b[0]") == nullptr);  // index into an Int
  BOOST_TEST(find(Value(), "$.a") == nullptr);
  BOOST_TEST(find(Value(), "$[0]") == nullptr);
}

BOOST_AUTO_TEST_CASE(mutable_find_edits_in_place) {
  Value doc = sample();
  Value* c1 = strata::json::find(doc, path("$.a.c[-2]"));
  BOOST_REQUIRE(c1 != nullptr);
  *c1 = Value("twenty");
  BOOST_TEST(*find(doc, "$.a.c[1]") == Value("twenty"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(setting)

BOOST_AUTO_TEST_CASE(replace_and_add_object_fields) {
  Value doc = sample();
  auto r = set_ok(doc, "$.a.b", Value(2));
  BOOST_TEST(*find(doc, "$.a.b") == Value(2));
  BOOST_TEST(r.changed == path("$.a.b"));
  BOOST_TEST(r.resolved == path("$.a.b"));

  r = set_ok(doc, "$.a[\"new key\"]", Value("v"));
  BOOST_TEST(*find(doc, "$.a[\"new key\"]") == Value("v"));
  BOOST_TEST(r.changed == path("$.a[\"new key\"]"));

  // A container can be replaced by a scalar and vice versa.
  set_ok(doc, "$.list", Value(false));
  set_ok(doc, "$.s", json(R"({"k":[1]})"));
  BOOST_TEST(*find(doc, "$.s.k[0]") == Value(1));
  BOOST_TEST(*find(doc, "$.list") == Value(false));
}

BOOST_AUTO_TEST_CASE(root_replaces_the_document) {
  Value doc = sample();
  const auto r = set_ok(doc, "$", Value(42));
  BOOST_TEST(doc == Value(42));
  BOOST_TEST(r.changed.is_root());
  BOOST_TEST(r.resolved.is_root());
  set_ok(doc, "$", json("[1]"));
  BOOST_TEST(doc == json("[1]"));
}

BOOST_AUTO_TEST_CASE(intermediate_objects_are_created) {
  Value doc = sample();
  const auto r = set_ok(doc, "$.x.y.z", Value(1));
  BOOST_TEST(*find(doc, "$.x") == json(R"({"y":{"z":1}})"));
  BOOST_TEST(r.changed == path("$.x.y.z"));
  BOOST_TEST(r.resolved == path("$.x.y.z"));
  set_ok(doc, "$.a.deep.er", Value(2));  // creation below an existing object
  BOOST_TEST(*find(doc, "$.a") == json(R"({"b":1,"c":[10,20,30],"deep":{"er":2}})"));
  set_ok(doc, "$.list[0].y.z", Value(3));  // creation below an array element
  BOOST_TEST(*find(doc, "$.list[0]") == json(R"({"x":1,"y":{"z":3}})"));
}

BOOST_AUTO_TEST_CASE(null_document_is_created) {
  Value doc;
  auto r = set_ok(doc, "$.a.b", Value("v"));
  BOOST_TEST(doc == json(R"({"a":{"b":"v"}})"));
  BOOST_TEST(r.changed == path("$.a.b"));

  Value single;
  set_ok(single, "$.a", Value(1));
  BOOST_TEST(single == json(R"({"a":1})"));

  Value root;
  set_ok(root, "$", json("[1,2]"));
  BOOST_TEST(root == json("[1,2]"));
}

BOOST_AUTO_TEST_CASE(null_document_rejects_index_steps) {
  Value doc;
  BOOST_TEST(contains(set_fails(doc, "$[0]"), "does not exist"));
  set_fails(doc, "$.a[0]");  // arrays are never created, not even inside created objects
  set_fails(doc, "$.a.b[-1].c");
  BOOST_TEST(doc.is_null());
}

BOOST_AUTO_TEST_CASE(array_replace_by_index) {
  Value doc = sample();
  const auto r = set_ok(doc, "$.a.c[1]", Value(99));
  BOOST_TEST(*find(doc, "$.a.c") == json("[10,99,30]"));
  BOOST_TEST(r.changed == path("$.a.c[1]"));
  BOOST_TEST(r.resolved == path("$.a.c[1]"));
}

BOOST_AUTO_TEST_CASE(array_replace_by_negative_index) {
  Value doc = sample();
  auto r = set_ok(doc, "$.a.c[-1]", Value(99));
  BOOST_TEST(*find(doc, "$.a.c") == json("[10,20,99]"));
  BOOST_TEST(r.changed == path("$.a.c[2]"));
  BOOST_TEST(r.resolved == path("$.a.c[2]"));

  r = set_ok(doc, "$.a.c[-3]", Value(0));
  BOOST_TEST(*find(doc, "$.a.c") == json("[0,20,99]"));
  BOOST_TEST(r.resolved == path("$.a.c[0]"));

  r = set_ok(doc, "$.list[-2].x", Value(5));  // a negative intermediate step
  BOOST_TEST(*find(doc, "$.list[0].x") == Value(5));
  BOOST_TEST(r.changed == path("$.list[0].x"));
  BOOST_TEST(r.resolved == path("$.list[0].x"));
}

BOOST_AUTO_TEST_CASE(append_at_the_length) {
  Value doc = sample();
  auto r = set_ok(doc, "$.a.c[3]", Value(40));
  BOOST_TEST(*find(doc, "$.a.c") == json("[10,20,30,40]"));
  BOOST_TEST(r.changed == path("$.a.c"));  // the array: a new element appeared
  BOOST_TEST(r.resolved == path("$.a.c[3]"));

  Value empty = json(R"({"e":[]})");
  r = set_ok(empty, "$.e[0]", json(R"({"k":1})"));
  BOOST_TEST(empty == json(R"({"e":[{"k":1}]})"));
  BOOST_TEST(r.changed == path("$.e"));
  BOOST_TEST(r.resolved == path("$.e[0]"));

  Value top = json("[]");
  r = set_ok(top, "$[0]", Value(1));
  BOOST_TEST(top == json("[1]"));
  BOOST_TEST(r.changed.is_root());
}

BOOST_AUTO_TEST_CASE(nested_arrays) {
  Value doc = json("[[1,2],[3]]");
  auto r = set_ok(doc, "$[0][-1]", Value(9));
  BOOST_TEST(doc == json("[[1,9],[3]]"));
  BOOST_TEST(r.changed == path("$[0][1]"));

  r = set_ok(doc, "$[-1][1]", Value(4));
  BOOST_TEST(doc == json("[[1,9],[3,4]]"));
  BOOST_TEST(r.changed == path("$[1]"));
  BOOST_TEST(r.resolved == path("$[1][1]"));

  r = set_ok(doc, "$[2]", json("[]"));
  BOOST_TEST(doc == json("[[1,9],[3,4],[]]"));
  BOOST_TEST(r.changed.is_root());
  BOOST_TEST(r.resolved == path("$[2]"));
}

BOOST_AUTO_TEST_CASE(past_the_end_is_an_error) {
  Value doc = sample();
  const std::string detail = set_fails(doc, "$.a.c[5]");
  BOOST_TEST(contains(detail, "index 5"));
  BOOST_TEST(contains(detail, "length 3"));
  BOOST_TEST(contains(detail, "$.a.c"));
  set_fails(doc, "$.a.c[9223372036854775807]");
  Value empty = json("[]");
  set_fails(empty, "$[1]");
}

BOOST_AUTO_TEST_CASE(negative_before_the_start_is_an_error) {
  Value doc = sample();
  const std::string detail = set_fails(doc, "$.a.c[-4]");
  BOOST_TEST(contains(detail, "-4"));
  BOOST_TEST(contains(detail, "length 3"));
  set_fails(doc, "$.a.c[-9223372036854775808]");
  Value empty = json("[]");
  set_fails(empty, "$[-1]");  // nothing to address, and -1 never appends
}

BOOST_AUTO_TEST_CASE(arrays_never_grow_implicitly_below_the_target) {
  Value doc = sample();
  set_fails(doc, "$.list[2].x");  // index == length, but not the last step
  set_fails(doc, "$.list[3].x");
  set_fails(doc, "$.a.c[3][0]");
  set_fails(doc, "$.newarr[0]");  // a missing field is not turned into an array
  BOOST_TEST(find(doc, "$.newarr") == nullptr);
  set_fails(doc, "$.new.deeper[0]");
  BOOST_TEST(find(doc, "$.new") == nullptr);
}

BOOST_AUTO_TEST_CASE(wrong_kind_steps_name_the_segment_and_kind) {
  Value doc = sample();
  BOOST_TEST(contains(set_fails(doc, "$.s.x"), "String"));
  BOOST_TEST(contains(set_fails(doc, "$.s.x"), ".x"));
  BOOST_TEST(contains(set_fails(doc, "$.a.c.x"), "Array"));
  BOOST_TEST(contains(set_fails(doc, "$.a[0]"), "Object"));
  BOOST_TEST(contains(set_fails(doc, "$.a[0]"), "[0]"));
  BOOST_TEST(contains(set_fails(doc, "$.a.b[0]"), "Int"));
  BOOST_TEST(contains(set_fails(doc, "$.n.x"), "Null"));  // only the document itself may be Null
  BOOST_TEST(contains(set_fails(doc, "$.a.b.c.d"), "Int"));
  BOOST_TEST(contains(set_fails(doc, "$.list.x"), "Array"));

  Value scalar(5);
  BOOST_TEST(contains(set_fails(scalar, "$.a"), "Int"));
  BOOST_TEST(contains(set_fails(scalar, "$[0]"), "Int"));
  Value str("text");
  set_fails(str, "$[0]");
}

BOOST_AUTO_TEST_CASE(too_deep_documents_are_rejected) {
  std::string deep = "$";
  for (std::size_t i = 0; i < strata::kMaxNestingDepth; ++i) deep += ".k";
  Value doc;
  set_ok(doc, deep, Value(1));  // 128 object levels holding a scalar: the limit
  BOOST_TEST(find(doc, deep) != nullptr);
  BOOST_TEST(doc.depth() == strata::kMaxNestingDepth);

  Value other = sample();
  const Value before = other;
  const auto ec = strata::json::set(other, path(deep), json("[]"), nullptr, nullptr);  // one level more
  BOOST_TEST((ec == errc::nesting_too_deep));
  BOOST_TEST(other == before);
}

BOOST_AUTO_TEST_CASE(nesting_limit_counts_the_value_depth) {
  std::string deep = "$";
  for (std::size_t i = 0; i + 1 < strata::kMaxNestingDepth; ++i) deep += ".k";
  Value doc;
  std::string detail;
  BOOST_TEST(!strata::json::set(doc, path(deep), json("[1]"), nullptr, &detail));  // 127 + 1 levels
  Value other;
  const auto ec = strata::json::set(other, path(deep), json("[[1]]"), nullptr, &detail);  // 127 + 2
  BOOST_TEST((ec == errc::nesting_too_deep));
  BOOST_TEST(other.is_null());
  BOOST_TEST(contains(detail, "128"));
}

BOOST_AUTO_TEST_CASE(result_and_detail_may_be_null) {
  Value doc = sample();
  BOOST_TEST(!strata::json::set(doc, path("$.a.b"), Value(3), nullptr, nullptr));
  BOOST_TEST(*find(doc, "$.a.b") == Value(3));
  BOOST_TEST((strata::json::set(doc, path("$.a.c[9]"), Value(3), nullptr, nullptr) == errc::invalid_path));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(erasing)

BOOST_AUTO_TEST_CASE(root_is_never_erased) {
  Value doc = sample();
  const Value before = doc;
  BOOST_TEST(erase(doc, "$") == 0u);
  BOOST_TEST(doc == before);
}

BOOST_AUTO_TEST_CASE(object_field) {
  Value doc = sample();
  EditResult r;
  BOOST_TEST(erase(doc, "$.a.b", &r) == 1u);
  BOOST_TEST(*find(doc, "$.a") == json(R"({"c":[10,20,30]})"));
  BOOST_TEST(r.changed == path("$.a.b"));
  BOOST_TEST(r.resolved == path("$.a.b"));
  BOOST_TEST(erase(doc, "$.a.b") == 0u);  // already gone
}

BOOST_AUTO_TEST_CASE(array_element_shifts_the_rest) {
  Value doc = sample();
  EditResult r;
  BOOST_TEST(erase(doc, "$.a.c[0]", &r) == 1u);
  BOOST_TEST(*find(doc, "$.a.c") == json("[20,30]"));
  BOOST_TEST(r.changed == path("$.a.c"));
  BOOST_TEST(r.resolved == path("$.a.c[0]"));
}

BOOST_AUTO_TEST_CASE(negative_array_element) {
  Value doc = sample();
  EditResult r;
  BOOST_TEST(erase(doc, "$.a.c[-1]", &r) == 1u);
  BOOST_TEST(*find(doc, "$.a.c") == json("[10,20]"));
  BOOST_TEST(r.changed == path("$.a.c"));
  BOOST_TEST(r.resolved == path("$.a.c[2]"));

  BOOST_TEST(erase(doc, "$.list[-1].x", &r) == 1u);  // negative intermediate step
  BOOST_TEST(*find(doc, "$.list") == json(R"([{"x":1},{}])"));
  BOOST_TEST(r.changed == path("$.list[1].x"));
  BOOST_TEST(r.resolved == path("$.list[1].x"));
}

BOOST_AUTO_TEST_CASE(nested_arrays) {
  Value doc = json("[[1,2,3],[4]]");
  EditResult r;
  BOOST_TEST(erase(doc, "$[0][1]", &r) == 1u);
  BOOST_TEST(doc == json("[[1,3],[4]]"));
  BOOST_TEST(r.changed == path("$[0]"));
  BOOST_TEST(erase(doc, "$[-2]", &r) == 1u);
  BOOST_TEST(doc == json("[[4]]"));
  BOOST_TEST(r.changed.is_root());
  BOOST_TEST(r.resolved == path("$[0]"));
}

BOOST_AUTO_TEST_CASE(missing_paths_remove_nothing) {
  Value doc = sample();
  const Value before = doc;
  for (const char* p : {"$.missing", "$.missing.deeper", "$.a.c[3]", "$.a.c[-4]", "$.a.c[-9223372036854775808]",
                        "$.s.x", "$.n.x", "$.a[0]", "$.a.c.x", "$.list[5].x", "$.a.b[0]"}) {
    EditResult r;
    BOOST_TEST_CONTEXT(p) { BOOST_TEST(erase(doc, p, &r) == 0u); }
  }
  BOOST_TEST(doc == before);
  Value null_doc;
  BOOST_TEST(erase(null_doc, "$.a") == 0u);
  BOOST_TEST(erase(null_doc, "$[0]") == 0u);
  BOOST_TEST(null_doc.is_null());
}

BOOST_AUTO_TEST_CASE(set_then_erase_restores) {
  Value doc = sample();
  const Value before = doc;
  set_ok(doc, "$.a.c[3]", Value(40));
  BOOST_TEST(erase(doc, "$.a.c[-1]") == 1u);
  set_ok(doc, "$.fresh.k", Value(1));
  BOOST_TEST(erase(doc, "$.fresh") == 1u);
  BOOST_TEST(doc == before);
}

BOOST_AUTO_TEST_SUITE_END()
