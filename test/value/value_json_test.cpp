#define BOOST_TEST_MODULE value_json
#include <boost/test/unit_test.hpp>

#include <strata/value.hpp>

#include <boost/json.hpp>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace json = boost::json;
using strata::Bytes;
using strata::errc;
using strata::from_json;
using strata::to_json;
using strata::Value;

namespace {

template <class F>
std::string expect_error(F&& f, errc code) {
  try {
    f();
  } catch (const strata::Error& e) {
    BOOST_TEST(e.code() == make_error_code(code), "got " << e.code().message() << ": " << e.what());
    return e.detail();
  }
  BOOST_FAIL("no strata::Error thrown");
  return {};
}

std::string nested_arrays(std::size_t depth, std::string_view inner = "") {
  return std::string(depth, '[') + std::string(inner) + std::string(depth, ']');
}

Value sample() {
  return Value::object({{"null", nullptr},
                        {"bool", true},
                        {"int", -42},
                        {"float", 3.5},
                        {"string", "héllo \"quoted\"\n"},
                        {"bytes", Value::bytes(std::string_view("\x00\xff\x10", 3))},
                        {"array", Value::array({1, "two", Value::array({})})},
                        {"object", Value::object({{"k", Value::object({})}})}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(to_json_conversion)

BOOST_AUTO_TEST_CASE(every_kind_maps_to_its_json_form) {
  BOOST_TEST(to_json(Value()).is_null());
  BOOST_TEST(to_json(Value(true)) == json::value(true));
  BOOST_TEST(to_json(Value(-7)).is_int64());
  BOOST_TEST(to_json(Value(-7)).get_int64() == -7);
  BOOST_TEST(to_json(Value(2.5)).is_double());
  BOOST_TEST(to_json(Value(2.5)).get_double() == 2.5);
  BOOST_TEST(to_json(Value("s")) == json::value("s"));
  BOOST_TEST(to_json(Value::bytes("hi")) == json::parse(R"({"$bytes":"aGk="})"));
  BOOST_TEST(to_json(Value::array({1, nullptr})) == json::parse("[1,null]"));
  BOOST_TEST(to_json(Value::object({{"a", 1}})) == json::parse(R"({"a":1})"));
}

BOOST_AUTO_TEST_CASE(round_trip_through_json_value) {
  const Value v = sample();
  BOOST_TEST(from_json(to_json(v)) == v);
}

BOOST_AUTO_TEST_CASE(non_finite_floats_are_rejected) {
  expect_error([] { to_json(Value(std::numeric_limits<double>::quiet_NaN())); },
               errc::invalid_input);
  expect_error([] { to_json(Value::array({std::numeric_limits<double>::infinity()})); },
               errc::invalid_input);
  expect_error([] { (void)Value(-std::numeric_limits<double>::infinity()).to_json_string(); },
               errc::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(from_json_conversion)

BOOST_AUTO_TEST_CASE(every_json_kind_maps_to_a_value) {
  BOOST_TEST(from_json(json::value(nullptr)).is_null());
  BOOST_TEST(from_json(json::value(false)) == Value(false));
  BOOST_TEST(from_json(json::value(std::int64_t{5})) == Value(5));
  BOOST_TEST(from_json(json::value(std::uint64_t{5})) == Value(5));
  BOOST_TEST(from_json(json::value(1.0)) == Value(1.0));
  BOOST_TEST(from_json(json::value("x")) == Value("x"));
  BOOST_TEST(from_json(json::parse(R"([1,[2]])")) == Value::array({1, Value::array({2})}));
  BOOST_TEST(from_json(json::parse(R"({"b":1,"a":"s"})")) ==
             Value::object({{"a", "s"}, {"b", 1}}));
}

BOOST_AUTO_TEST_CASE(uint64_above_int64_max_is_out_of_range) {
  expect_error([] { from_json(json::value(std::uint64_t{9223372036854775808ULL})); },
               errc::integer_out_of_range);
  const std::string detail = expect_error(
      [] { Value::parse_json("[18446744073709551615]"); }, errc::integer_out_of_range);
  BOOST_TEST(detail.find("18446744073709551615") != std::string::npos, detail);
  BOOST_TEST(detail.find("at offset") != std::string::npos, detail);
  BOOST_TEST(Value::parse_json("9223372036854775807") == Value(INT64_MAX));
  BOOST_TEST(Value::parse_json("-9223372036854775808") == Value(INT64_MIN));
}

BOOST_AUTO_TEST_CASE(non_throwing_form_reports_codes) {
  strata::error_code ec;
  Value v = from_json(json::value(std::uint64_t{UINT64_MAX}), ec);
  BOOST_TEST(ec == make_error_code(errc::integer_out_of_range));
  BOOST_TEST(v.is_null());
  v = from_json(json::parse(R"({"$bytes":"!!!!"})"), ec);
  BOOST_TEST(ec == make_error_code(errc::invalid_json));
  v = from_json(json::parse("[1]"), ec);
  BOOST_TEST(!ec);
  BOOST_TEST(v == Value::array({1}));
}

BOOST_AUTO_TEST_CASE(non_finite_double_is_rejected) {
  expect_error([] { from_json(json::value(std::numeric_limits<double>::infinity())); },
               errc::invalid_json);
  expect_error([] { Value::parse_json("1e400"); }, errc::invalid_json);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bytes_as_base64)

BOOST_AUTO_TEST_CASE(base64_matches_rfc4648_vectors) {
  // RFC 4648 §10 test vectors.
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [raw, encoded] : vectors) {
    const std::string expected = std::string(R"({"$bytes":")") + encoded + "\"}";
    BOOST_TEST(Value::bytes(raw).to_json_string() == expected);
    BOOST_TEST(Value::parse_json(expected) == Value::bytes(raw));
  }
}

BOOST_AUTO_TEST_CASE(all_byte_values_and_lengths_round_trip) {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  for (std::size_t len = 0; len <= all.size(); len += 1) {
    const Value v(Bytes(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(len)));
    BOOST_TEST(Value::parse_json(v.to_json_string()) == v);
    BOOST_TEST(from_json(to_json(v)) == v);
  }
}

BOOST_AUTO_TEST_CASE(invalid_base64_is_invalid_json) {
  for (const char* bad : {"Zg", "Zg=", "Z===", "====", "Zm9v!A==", "Zm 9v", "Zg==Zg==", "Zh==",
                          "Zm9=", "Zm9vYg=a", "=Zm9"}) {
    const std::string text = std::string(R"({"$bytes":")") + bad + "\"}";
    BOOST_TEST_CONTEXT("base64 " << bad) {
      expect_error([&] { Value::parse_json(text); }, errc::invalid_json);
    }
  }
}

BOOST_AUTO_TEST_CASE(only_a_sole_string_member_means_bytes) {
  // Extra member or non-string payload: a plain Object.
  BOOST_TEST(Value::parse_json(R"({"$bytes":"Zg==","x":1})").is_object());
  BOOST_TEST(Value::parse_json(R"({"$bytes":1})").is_object());
  BOOST_TEST(Value::parse_json(R"({"$bytes":"Zg=="})").is_bytes());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_text)

BOOST_AUTO_TEST_CASE(to_json_string_is_compact_and_sorted) {
  BOOST_TEST(sample().to_json_string() ==
             R"({"array":[1,"two",[]],"bool":true,"bytes":{"$bytes":"AP8Q"},"float":3.5,)"
             R"("int":-42,"null":null,"object":{"k":{}},"string":"héllo \"quoted\"\n"})");
}

BOOST_AUTO_TEST_CASE(text_round_trip_of_every_kind) {
  const Value v = sample();
  BOOST_TEST(Value::parse_json(v.to_json_string()) == v);
}

BOOST_AUTO_TEST_CASE(floats_stay_floats_and_round_trip) {
  BOOST_TEST(Value(1.0).to_json_string() == "1.0");
  BOOST_TEST(Value::parse_json(Value(1.0).to_json_string()).is_float());
  BOOST_TEST(Value(-0.0).to_json_string() == "-0.0");
  BOOST_TEST(std::signbit(Value::parse_json("-0.0").as_float()));
  BOOST_TEST(Value::parse_json("1").is_int());
  BOOST_TEST(Value::parse_json("1e2").is_float());
  std::mt19937_64 rng(42);
  for (int i = 0; i < 10000; ++i) {
    double d = std::bit_cast<double>(rng());
    if (!std::isfinite(d)) continue;
    const std::string text = Value(d).to_json_string();
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(Value::parse_json(text).as_float() == d);
    }
  }
  for (double d : {0.1, 1e300, 5e-324, 1e16, 123456789012345678.0, DBL_MAX, -DBL_MIN}) {
    BOOST_TEST(Value::parse_json(Value(d).to_json_string()).as_float() == d);
  }
}

BOOST_AUTO_TEST_CASE(parse_errors_are_invalid_json_with_offset) {
  const std::string detail = expect_error([] { Value::parse_json("[1,2,x]"); }, errc::invalid_json);
  BOOST_TEST(detail.find("at offset 5") != std::string::npos, detail);
  BOOST_TEST(detail.find("in: [1,2,x]") != std::string::npos, detail);
  expect_error([] { Value::parse_json(""); }, errc::invalid_json);
  expect_error([] { Value::parse_json("{\"a\":1,}"); }, errc::invalid_json);
  expect_error([] { Value::parse_json("[1] 2"); }, errc::invalid_json);
  expect_error([] { Value::parse_json("\"abc"); }, errc::invalid_json);
  expect_error([] { Value::parse_json("\"\xff\""); }, errc::invalid_json);  // bad UTF-8
}

BOOST_AUTO_TEST_CASE(parse_error_quotes_only_the_first_60_chars) {
  const std::string text = "[" + std::string(100, 't') + "]";
  const std::string detail = expect_error([&] { Value::parse_json(text); }, errc::invalid_json);
  BOOST_TEST(detail.find(text.substr(0, 60)) != std::string::npos);
  BOOST_TEST(detail.find(text.substr(0, 61)) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(depth_128_ok_129_rejected) {
  BOOST_TEST(Value::parse_json(nested_arrays(128, "1")).depth() == 128u);
  expect_error([] { Value::parse_json(nested_arrays(129, "1")); }, errc::nesting_too_deep);
  expect_error([] { Value::parse_json(nested_arrays(100000)); }, errc::nesting_too_deep);
  // {"$bytes":...} is a scalar Value, so it may sit at the innermost level.
  BOOST_TEST(Value::parse_json(nested_arrays(128, R"({"$bytes":"Zg=="})")).depth() == 128u);
  expect_error([] { Value::parse_json(nested_arrays(128, R"({"a":1})")); },
               errc::nesting_too_deep);
}

BOOST_AUTO_TEST_CASE(to_json_rejects_over_deep_values) {
  Value v = 1;
  for (int i = 0; i < 129; ++i) v = Value::array({v});
  expect_error([&] { to_json(v); }, errc::nesting_too_deep);
  expect_error([&] { (void)v.to_json_string(); }, errc::nesting_too_deep);
  expect_error([&] { from_json(json::parse(nested_arrays(129), {}, [] {
                   json::parse_options o;
                   o.max_depth = 1000;
                   return o;
                 }())); },
               errc::nesting_too_deep);
}

BOOST_AUTO_TEST_CASE(escapes_in_keys_and_strings) {
  const Value v = Value::parse_json(R"({"a\nb":"x\u00e9\"y","\ud83d\ude00":[]})");
  BOOST_TEST(v == Value::object({{"a\nb", "x\xc3\xa9\"y"}, {"\xf0\x9f\x98\x80", Value::array({})}}));
  BOOST_TEST(Value::parse_json(v.to_json_string()) == v);
}

BOOST_AUTO_TEST_CASE(number_edge_cases) {
  // Underflow rounds to zero (still a Float); overflow has no Float.
  BOOST_TEST(Value::parse_json("1e-400") == Value(0.0));
  BOOST_TEST(Value::parse_json("4.9406564584124654e-324").as_float() == 5e-324);
  BOOST_TEST(Value::parse_json("-0").is_int());
  BOOST_TEST(Value::parse_json("[1.5e3,-2E-2]") == Value::array({1500.0, -0.02}));
  expect_error([] { Value::parse_json("-1e400"); }, errc::invalid_json);
  BOOST_TEST(Value::parse_json("1e20").as_float() == 1e20);  // an exponent makes it a Float
}

// Regression: an integer literal beyond uint64 used to become a Float while
// 2^63 was integer_out_of_range; one rule holds for every integer that does
// not fit an Int.
BOOST_AUTO_TEST_CASE(integer_literals_beyond_int64_are_out_of_range_at_any_size) {
  for (const char* text : {"9223372036854775808", "18446744073709551615", "18446744073709551616",
                           "100000000000000000000", "-9223372036854775809", "[1,-99999999999999999999]"})
    BOOST_TEST_CONTEXT(text) { expect_error([&] { Value::parse_json(text); }, errc::integer_out_of_range); }
  BOOST_TEST(Value::parse_json("-9223372036854775808") == Value(std::numeric_limits<std::int64_t>::min()));
}

BOOST_AUTO_TEST_CASE(values_over_16_mib_are_rejected) {
  const std::string text = "\"" + std::string(strata::kMaxValueBytes, 'x') + "\"";
  expect_error([&] { Value::parse_json(text); }, errc::value_too_large);
  strata::error_code ec;
  from_json(json::value(std::string(strata::kMaxValueBytes, 'x')), ec);
  BOOST_TEST(ec == make_error_code(errc::value_too_large));
}

BOOST_AUTO_TEST_CASE(duplicate_keys_last_wins) {
  BOOST_TEST(Value::parse_json(R"({"a":1,"a":2})") == Value::object({{"a", 2}}));
}

BOOST_AUTO_TEST_SUITE_END()
