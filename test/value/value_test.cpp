#define BOOST_TEST_MODULE value
#include <boost/test/unit_test.hpp>

#include <strata/value.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

using strata::Array;
using strata::Bytes;
using strata::errc;
using strata::Object;
using strata::Value;
using strata::ValueKind;

namespace {

// Runs `f`, which must throw strata::Error with `code`; returns the detail.
template <class F>
std::string expect_error(F&& f, errc code) {
  try {
    f();
  } catch (const strata::Error& e) {
    BOOST_TEST(e.code() == make_error_code(code), "got " << e.code().message());
    return e.detail();
  }
  BOOST_FAIL("no strata::Error thrown");
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(construction)

BOOST_AUTO_TEST_CASE(default_and_nullptr_are_null) {
  BOOST_TEST(Value().is_null());
  BOOST_TEST(Value(nullptr).is_null());
  BOOST_TEST(strata::kind_name(Value().kind()) == "Null");
}

BOOST_AUTO_TEST_CASE(integers_of_every_width_are_int) {
  BOOST_TEST(Value(30).as_int() == 30);
  BOOST_TEST(Value(-7L).as_int() == -7);
  BOOST_TEST(Value(5LL).as_int() == 5);
  BOOST_TEST(Value(short{-3}).as_int() == -3);
  BOOST_TEST(Value(std::uint8_t{200}).as_int() == 200);
  BOOST_TEST(Value(4000000000u).as_int() == 4000000000LL);
  BOOST_TEST(Value(std::numeric_limits<std::int64_t>::min()).as_int() ==
             std::numeric_limits<std::int64_t>::min());
  const auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  BOOST_TEST(Value(max).as_int() == std::numeric_limits<std::int64_t>::max());
}

BOOST_AUTO_TEST_CASE(uint64_above_int64_max_is_out_of_range) {
  const auto too_big = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  expect_error([&] { Value v(too_big); }, errc::integer_out_of_range);
  expect_error([] { Value v(std::numeric_limits<std::uint64_t>::max()); },
               errc::integer_out_of_range);
}

BOOST_AUTO_TEST_CASE(strings_from_every_string_type) {
  BOOST_TEST(Value("Alice").as_string() == "Alice");
  BOOST_TEST(Value(std::string("Bob")).as_string() == "Bob");
  BOOST_TEST(Value(std::string_view("Carol")).as_string() == "Carol");
  BOOST_TEST(Value("").is_string());
}

BOOST_AUTO_TEST_CASE(floats_and_bools) {
  BOOST_TEST(Value(3.5).as_float() == 3.5);
  BOOST_TEST(Value(0.25f).as_float() == 0.25);
  BOOST_TEST(Value(true).as_bool() == true);
  BOOST_TEST(Value(false).as_bool() == false);
  BOOST_TEST(strata::kind_name(Value(true).kind()) == "Bool");  // not promoted to Int
}

BOOST_AUTO_TEST_CASE(bytes_from_vector_and_factory) {
  const Bytes raw{0x00, 0xff, 0x10};
  BOOST_TEST(Value(raw).as_bytes() == raw);
  const Value b = Value::bytes(std::string_view("a\0b", 3));
  BOOST_TEST(b.is_bytes());
  BOOST_TEST(b.as_bytes() == (Bytes{'a', 0, 'b'}));
}

BOOST_AUTO_TEST_CASE(array_and_object_factories) {
  const Value a = Value::array({1, "two", 3.0, nullptr});
  BOOST_REQUIRE(a.is_array());
  BOOST_TEST(a.as_array().size() == 4u);
  BOOST_TEST(a.as_array()[1].as_string() == "two");
  BOOST_TEST(a.as_array()[3].is_null());

  const Value o = Value::object({{"name", "Alice"}, {"age", 30}});
  BOOST_REQUIRE(o.is_object());
  BOOST_TEST(o.as_object().at("age").as_int() == 30);
  // Keys are kept sorted by byte order.
  BOOST_TEST(o.as_object().begin()->first == "age");
}

BOOST_AUTO_TEST_CASE(object_factory_last_duplicate_wins) {
  const Value o = Value::object({{"k", 1}, {"k", 2}});
  BOOST_TEST(o.as_object().size() == 1u);
  BOOST_TEST(o.as_object().at("k").as_int() == 2);
}

BOOST_AUTO_TEST_CASE(mutable_accessors_edit_in_place) {
  Value a = Value::array({});
  a.as_array().push_back(1);
  BOOST_TEST(a == Value::array({1}));
  Value o = Value::object({});
  o.as_object()["x"] = true;
  BOOST_TEST(o == Value::object({{"x", true}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(accessors)

BOOST_AUTO_TEST_CASE(kind_names) {
  BOOST_TEST(strata::kind_name(ValueKind::Null) == "Null");
  BOOST_TEST(strata::kind_name(ValueKind::Bool) == "Bool");
  BOOST_TEST(strata::kind_name(ValueKind::Int) == "Int");
  BOOST_TEST(strata::kind_name(ValueKind::Float) == "Float");
  BOOST_TEST(strata::kind_name(ValueKind::String) == "String");
  BOOST_TEST(strata::kind_name(ValueKind::Bytes) == "Bytes");
  BOOST_TEST(strata::kind_name(ValueKind::Array) == "Array");
  BOOST_TEST(strata::kind_name(ValueKind::Object) == "Object");
}

BOOST_AUTO_TEST_CASE(wrong_type_names_both_kinds) {
  BOOST_TEST(expect_error([] { (void)Value("x").as_int(); }, errc::wrong_type) ==
             "expected Int, got String");
  BOOST_TEST(expect_error([] { (void)Value(1).as_float(); }, errc::wrong_type) ==
             "expected Float, got Int");
  BOOST_TEST(expect_error([] { (void)Value(1.0).as_int(); }, errc::wrong_type) ==
             "expected Int, got Float");
  BOOST_TEST(expect_error([] { (void)Value().as_bool(); }, errc::wrong_type) ==
             "expected Bool, got Null");
  BOOST_TEST(expect_error([] { (void)Value::bytes("a").as_string(); }, errc::wrong_type) ==
             "expected String, got Bytes");
  BOOST_TEST(expect_error([] { (void)Value("a").as_bytes(); }, errc::wrong_type) ==
             "expected Bytes, got String");
  BOOST_TEST(expect_error([] { (void)Value::object({}).as_array(); }, errc::wrong_type) ==
             "expected Array, got Object");
  BOOST_TEST(expect_error([] { (void)Value::array({}).as_object(); }, errc::wrong_type) ==
             "expected Object, got Array");
  Value mutable_int = 5;
  BOOST_TEST(expect_error([&] { mutable_int.as_array(); }, errc::wrong_type) ==
             "expected Array, got Int");
  BOOST_TEST(expect_error([&] { mutable_int.as_object(); }, errc::wrong_type) ==
             "expected Object, got Int");
}

BOOST_AUTO_TEST_CASE(wrong_type_what_contains_detail_and_category_message) {
  try {
    (void)Value(true).as_string();
    BOOST_FAIL("no throw");
  } catch (const strata::Error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("expected String, got Bool") != std::string::npos);
    BOOST_TEST(what.find(e.code().message()) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(if_accessors_return_null_on_other_kinds) {
  const Value i = 7;
  BOOST_REQUIRE(i.if_int() != nullptr);
  BOOST_TEST(*i.if_int() == 7);
  BOOST_TEST(i.if_float() == nullptr);
  BOOST_TEST(i.if_string() == nullptr);
  BOOST_TEST(i.if_bool() == nullptr);
  BOOST_TEST(Value("s").if_bytes() == nullptr);
  BOOST_TEST(Value::array({}).if_object() == nullptr);
  BOOST_TEST(Value::object({}).if_array() == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(equality)

BOOST_AUTO_TEST_CASE(different_kinds_never_equal) {
  BOOST_TEST(Value(1) != Value(1.0));
  BOOST_TEST(Value::bytes("a") != Value("a"));
  BOOST_TEST(Value(0) != Value(false));
  BOOST_TEST(Value() != Value(0));
  BOOST_TEST(Value::array({}) != Value::object({}));
  BOOST_TEST(Value("") != Value());
}

BOOST_AUTO_TEST_CASE(same_kind_compares_content) {
  BOOST_TEST(Value(1) == Value(1L));
  BOOST_TEST(Value(1) != Value(2));
  BOOST_TEST(Value("a") == Value(std::string("a")));
  BOOST_TEST(Value("a") != Value("b"));
  BOOST_TEST(Value() == Value(nullptr));
  BOOST_TEST(Value::bytes("ab") == Value(Bytes{'a', 'b'}));
}

BOOST_AUTO_TEST_CASE(float_equality_is_ieee) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  BOOST_TEST(!(Value(nan) == Value(nan)));
  BOOST_TEST(Value(0.0) == Value(-0.0));
  BOOST_TEST(Value(0.1 + 0.2) != Value(0.3));
}

BOOST_AUTO_TEST_CASE(object_key_order_is_irrelevant) {
  Object a;
  a["x"] = 1;
  a["y"] = Value::array({1, 2});
  Object b;
  b["y"] = Value::array({1, 2});
  b["x"] = 1;
  BOOST_TEST(Value(a) == Value(b));
  BOOST_TEST(Value::object({{"x", 1}, {"y", 2}}) == Value::object({{"y", 2}, {"x", 1}}));
}

BOOST_AUTO_TEST_CASE(containers_compare_recursively) {
  BOOST_TEST(Value::array({1, Value::array({2})}) == Value::array({1, Value::array({2})}));
  BOOST_TEST(Value::array({1, Value::array({2})}) != Value::array({1, Value::array({2.0})}));
  BOOST_TEST(Value::array({1, 2}) != Value::array({2, 1}));
  BOOST_TEST(Value::array({1}) != Value::array({1, 1}));
  BOOST_TEST(Value::object({{"a", Value::object({{"b", 1}})}}) !=
             Value::object({{"a", Value::object({{"b", 1.0}})}}));
  BOOST_TEST(Value::object({{"a", 1}}) != Value::object({{"b", 1}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(depth_and_printing)

BOOST_AUTO_TEST_CASE(depth_counts_container_levels) {
  BOOST_TEST(Value(1).depth() == 0u);
  BOOST_TEST(Value::bytes("x").depth() == 0u);
  BOOST_TEST(Value::array({}).depth() == 1u);
  BOOST_TEST(Value::array({Value::array({1})}).depth() == 2u);
  BOOST_TEST(Value::array({1, Value::object({{"a", Value::array({})}})}).depth() == 3u);
}

BOOST_AUTO_TEST_CASE(depth_of_a_very_deep_value_does_not_overflow) {
  Value v = 1;
  for (int i = 0; i < 100000; ++i) {
    Array wrapper;
    wrapper.push_back(std::move(v));
    v = Value(std::move(wrapper));
  }
  BOOST_TEST(v.depth() == 100000u);
  // Tear down iteratively too: the recursive destructor would overflow.
  while (v.is_array() && !v.as_array().empty()) {
    Value inner = std::move(v.as_array().front());
    v = std::move(inner);
  }
}

BOOST_AUTO_TEST_CASE(stream_output_is_json) {
  std::ostringstream os;
  os << Value::object({{"b", Value::bytes("hi")}, {"a", 1.5}});
  BOOST_TEST(os.str() == R"({"a":1.5,"b":{"$bytes":"aGk="}})");
}

BOOST_AUTO_TEST_CASE(stream_output_prints_non_finite_floats) {
  std::ostringstream os;
  os << Value::array({std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity(),
                      -std::numeric_limits<double>::infinity()});
  BOOST_TEST(os.str() == "[NaN,Infinity,-Infinity]");
}

BOOST_AUTO_TEST_SUITE_END()
