#define BOOST_TEST_MODULE value_codec
#include <boost/test/unit_test.hpp>

#include "codec/value_codec.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

using strata::Array;
using strata::Bytes;
using strata::errc;
using strata::Object;
using strata::Value;
namespace codec = strata::codec;

namespace {

std::string encode(const Value& v) {
  std::string out;
  codec::encode_value(v, out);
  return out;
}

std::string encode_versioned(const Value& v) {
  std::string out;
  codec::encode_value_versioned(v, out);
  return out;
}

Value decode_ok(std::string_view bytes) {
  strata::error_code ec;
  Value v = codec::decode_value_versioned(bytes, ec);
  BOOST_TEST(!ec, ec.message());
  return v;
}

strata::error_code decode_error(std::string_view bytes) {
  strata::error_code ec;
  codec::decode_value_versioned(bytes, ec);
  return ec;
}

strata::error_code code(errc e) { return make_error_code(e); }

// Bytes from a list of byte values (string literals would stop at NUL).
std::string raw(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

Value nested_arrays(std::size_t depth) {
  Value v = 1;
  for (std::size_t i = 0; i < depth; ++i) v = Value::array({v});
  return v;
}

Value sample() {
  return Value::object(
      {{"null", nullptr},
       {"t", true},
       {"f", false},
       {"ints", Value::array({0, 1, -1, 63, -64, 64, INT64_MAX, INT64_MIN})},
       {"floats", Value::array({0.0, -0.0, 3.5, 1e300, std::numeric_limits<double>::infinity()})},
       {"s", "héllo"},
       {"empty", ""},
       {"bytes", Value::bytes(std::string_view("\x00\xff\x01", 3))},
       {"nested", Value::object({{"a", Value::array({Value::object({}), Value::array({})})}})}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(round_trip)

BOOST_AUTO_TEST_CASE(every_kind_round_trips) {
  const Value whole = sample();
  for (const auto& [name, v] : whole.as_object()) {
    BOOST_TEST_CONTEXT(name) { BOOST_TEST(decode_ok(encode_versioned(v)) == v); }
  }
  BOOST_TEST(decode_ok(encode_versioned(whole)) == whole);
}

BOOST_AUTO_TEST_CASE(float_bits_are_preserved) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Value back = decode_ok(encode_versioned(Value(nan)));
  BOOST_TEST(std::isnan(back.as_float()));
  BOOST_TEST(std::signbit(decode_ok(encode_versioned(Value(-0.0))).as_float()));
}

BOOST_AUTO_TEST_CASE(exact_layout_of_scalars) {
  // The layout is a contract (docs/formats/value-encoding.md).
  BOOST_TEST(encode(Value()) == std::string("\x00", 1));
  BOOST_TEST(encode(Value(false)) == "\x01");
  BOOST_TEST(encode(Value(true)) == "\x02");
  BOOST_TEST(encode(Value(-1)) == "\x03\x01");  // zigzag(-1) = 1
  BOOST_TEST(encode(Value(64)) == "\x03\x80\x01");
  BOOST_TEST(encode(Value(1.0)) == std::string("\x04\x00\x00\x00\x00\x00\x00\xf0\x3f", 9));
  BOOST_TEST(encode(Value("ab")) == "\x05\x02" "ab");
  BOOST_TEST(encode(Value::bytes("ab")) == "\x06\x02" "ab");
  BOOST_TEST(encode(Value::array({true})) == "\x07\x01\x02");
  BOOST_TEST(encode(Value::object({{"k", true}})) == "\x08\x01\x01k\x02");
  BOOST_TEST(encode_versioned(Value(true)) == "\x01\x02");
}

BOOST_AUTO_TEST_CASE(decode_value_advances_past_one_value) {
  std::string two = encode(Value(7));
  codec::encode_value(Value("x"), two);
  std::string_view in = two;
  strata::error_code ec;
  BOOST_TEST(codec::decode_value(in, ec) == Value(7));
  BOOST_TEST(!ec);
  BOOST_TEST(codec::decode_value(in, ec) == Value("x"));
  BOOST_TEST(!ec);
  BOOST_TEST(in.empty());
}

BOOST_AUTO_TEST_CASE(failed_decode_leaves_input_unchanged) {
  const std::string bytes = "\x07\x02\x02";  // array of 2, only 1 item
  std::string_view in = bytes;
  strata::error_code ec;
  BOOST_TEST(codec::decode_value(in, ec).is_null());
  BOOST_TEST(ec == code(errc::codec_truncated));
  BOOST_TEST(in.size() == bytes.size());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(canonical)

BOOST_AUTO_TEST_CASE(objects_built_in_different_orders_encode_identically) {
  Object a;
  a["zeta"] = 1;
  a["alpha"] = Value::object({{"y", 2}, {"x", 1}});
  a["mid"] = "m";
  Object b;
  b["mid"] = "m";
  b["alpha"] = Value::object({{"x", 1}, {"y", 2}});
  b["zeta"] = 1;
  BOOST_TEST(encode(Value(a)) == encode(Value(b)));
}

BOOST_AUTO_TEST_CASE(keys_sort_by_unsigned_byte_order) {
  // "\xc3\xa9" (é) must sort after "z" whatever the signedness of char.
  const std::string e = encode(Value::object({{"\xc3\xa9", 1}, {"z", 2}}));
  BOOST_TEST(e.find('z') < e.find('\xc3'));
}

BOOST_AUTO_TEST_CASE(unsorted_or_duplicate_keys_are_rejected) {
  BOOST_TEST(decode_error(raw({1, 8, 2, 1, 'b', 0, 1, 'a', 0})) == code(errc::invalid_input));
  BOOST_TEST(decode_error(raw({1, 8, 2, 1, 'a', 0, 1, 'a', 0})) == code(errc::invalid_input));
  BOOST_TEST(decode_ok(raw({1, 8, 2, 1, 'a', 0, 1, 'b', 0})) ==
             Value::object({{"a", nullptr}, {"b", nullptr}}));
}

BOOST_AUTO_TEST_CASE(encoded_size_matches_actual_size) {
  for (const Value& v : {Value(), Value(0), Value(INT64_MIN), Value(300), Value(1.5), Value(""),
                         Value(std::string(200, 'x')), Value::bytes(std::string(70000, 'b')),
                         Value::array({}), sample()}) {
    BOOST_TEST(codec::encoded_size(v) == encode(v).size());
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(hostile_input)

BOOST_AUTO_TEST_CASE(every_truncation_is_an_error) {
  const std::string full = encode_versioned(sample());
  for (std::size_t len = 0; len < full.size(); ++len) {
    BOOST_TEST_CONTEXT("prefix " << len) {
      const strata::error_code ec = decode_error(std::string_view(full).substr(0, len));
      BOOST_TEST(ec == code(errc::codec_truncated));
    }
  }
  BOOST_TEST(decode_ok(full) == sample());
}

BOOST_AUTO_TEST_CASE(trailing_bytes_are_rejected) {
  BOOST_TEST(decode_error(encode_versioned(Value(1)) + '\x00') == code(errc::invalid_input));
}

BOOST_AUTO_TEST_CASE(bad_tag_and_bad_version) {
  BOOST_TEST(decode_error("\x01\x09") == code(errc::codec_bad_tag));
  BOOST_TEST(decode_error("\x01\xff") == code(errc::codec_bad_tag));
  BOOST_TEST(decode_error("\x01\x07\x01\x42") == code(errc::codec_bad_tag));  // inside an array
  BOOST_TEST(decode_error("\x02\x02") == code(errc::codec_bad_version));
  BOOST_TEST(decode_error(raw({0, 2})) == code(errc::codec_bad_version));
}

BOOST_AUTO_TEST_CASE(forged_lengths_and_counts_are_rejected_before_allocating) {
  // Each claims 2^63 elements / bytes with a handful of bytes of input; an
  // allocation of that size would throw bad_alloc or abort under ASan.
  std::string huge;
  codec::put_varint(huge, std::uint64_t{1} << 62);
  for (char tag : {'\x05', '\x06', '\x07', '\x08'}) {
    BOOST_TEST_CONTEXT("tag " << int(tag)) {
      BOOST_TEST(decode_error(std::string("\x01") + tag + huge + "abc") ==
                 code(errc::codec_truncated));
    }
  }
  // An object count that fits the input only at 1 byte per member.
  BOOST_TEST(decode_error(raw({1, 8, 4, 0, 0, 0, 0})) == code(errc::codec_truncated));
}

BOOST_AUTO_TEST_CASE(bad_varints_are_rejected) {
  // 11 continuation bytes: more than 64 bits.
  BOOST_TEST(decode_error("\x01\x03" + std::string(11, '\xff')) == code(errc::invalid_input));
  // 10th group holding more than bit 63.
  BOOST_TEST(decode_error("\x01\x03" + std::string(9, '\xff') + "\x02") ==
             code(errc::invalid_input));
  // Overlong zero: 0x80 0x00.
  BOOST_TEST(decode_error(raw({1, 3, 0x80, 0})) == code(errc::invalid_input));
}

BOOST_AUTO_TEST_CASE(depth_bomb_is_rejected) {
  // 100000 nested array headers: must fail on depth, not recurse 100000 deep.
  std::string bomb = "\x01";
  for (int i = 0; i < 100000; ++i) bomb += "\x07\x01";
  bomb += '\x00';
  BOOST_TEST(decode_error(bomb) == code(errc::nesting_too_deep));
  BOOST_TEST(decode_ok(encode_versioned(nested_arrays(128))).depth() == 128u);
}

BOOST_AUTO_TEST_CASE(over_deep_values_are_not_encoded) {
  const Value v = nested_arrays(129);
  BOOST_TEST(codec::encoded_size(v) == std::numeric_limits<std::size_t>::max());
  std::string out;
  BOOST_CHECK_THROW(codec::encode_value(v, out), strata::Error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(varints)

BOOST_AUTO_TEST_CASE(round_trip_and_size) {
  for (std::uint64_t x : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{127},
                          std::uint64_t{128}, std::uint64_t{16383}, std::uint64_t{16384},
                          std::uint64_t{1} << 63, UINT64_MAX}) {
    std::string out;
    codec::put_varint(out, x);
    BOOST_TEST(out.size() == codec::varint_size(x));
    std::string_view in = out;
    std::uint64_t back = 0;
    BOOST_TEST(codec::get_varint(in, back));
    BOOST_TEST(back == x);
    BOOST_TEST(in.empty());
  }
  BOOST_TEST(codec::varint_size(UINT64_MAX) == 10u);
}

BOOST_AUTO_TEST_CASE(get_varint_failure_leaves_input) {
  std::string_view in = "\x80\x80";
  std::uint64_t x = 99;
  BOOST_TEST(!codec::get_varint(in, x));
  BOOST_TEST(in.size() == 2u);
  BOOST_TEST(x == 99u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(limits)

BOOST_AUTO_TEST_CASE(value_within_limits_passes) {
  Value finite = sample();
  finite.as_object()["floats"] = Value::array({0.0, -0.0, 3.5, 1e300});
  BOOST_TEST(!codec::check_value_limits(finite));
  BOOST_TEST(!codec::check_value_limits(nested_arrays(128)));
}

BOOST_AUTO_TEST_CASE(string_over_16_mib_is_too_large) {
  const Value big(std::string(strata::kMaxValueBytes, 'x'));  // + tag + length > limit
  std::string detail;
  BOOST_TEST(codec::check_value_limits(big, &detail) == code(errc::value_too_large));
  BOOST_TEST(detail.find(std::to_string(codec::encoded_size(big))) != std::string::npos, detail);
  BOOST_TEST(detail.find("16777216") != std::string::npos, detail);
  // Exactly at the limit is fine: 1 tag + 4 length bytes + payload.
  const Value at_limit(std::string(strata::kMaxValueBytes - 5, 'x'));
  BOOST_TEST(codec::encoded_size(at_limit) == strata::kMaxValueBytes);
  BOOST_TEST(!codec::check_value_limits(at_limit));
}

BOOST_AUTO_TEST_CASE(depth_129_is_too_deep) {
  std::string detail;
  BOOST_TEST(codec::check_value_limits(nested_arrays(129), &detail) ==
             code(errc::nesting_too_deep));
  BOOST_TEST(detail.find("129") != std::string::npos, detail);
  BOOST_TEST(detail.find("128") != std::string::npos, detail);
}

BOOST_AUTO_TEST_SUITE_END()
