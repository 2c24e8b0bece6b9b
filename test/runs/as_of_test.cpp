// AsOf's text forms (include/strata/types.hpp): what parse_as_of accepts —
// a version, µs since the epoch, a UTC time with up to 6 fraction digits —
// what it refuses (hostile and near-miss input), and to_string.
#define BOOST_TEST_MODULE as_of
#include <boost/test/unit_test.hpp>

#include <strata/types.hpp>

#include <string>
#include <vector>

using strata::AsOf;
using strata::parse_as_of;

BOOST_AUTO_TEST_CASE(versions_and_microseconds) {
  BOOST_TEST((parse_as_of("0") == AsOf::at_version(0)));
  BOOST_TEST((parse_as_of("42") == AsOf::at_version(42)));
  BOOST_TEST((parse_as_of("18446744073709551615") == AsOf::at_version(18446744073709551615ull)));
  BOOST_TEST((parse_as_of("1714564800000123us") == AsOf::at_time_us(1714564800000123)));
  BOOST_TEST((parse_as_of("0us") == AsOf::at_time_us(0)));
}

BOOST_AUTO_TEST_CASE(utc_times) {
  BOOST_TEST((parse_as_of("1970-01-01T00:00:00Z") == AsOf::at_time_us(0)));
  BOOST_TEST((parse_as_of("2024-05-01T12:00:00Z") == AsOf::at_time_us(1714564800000000)));
  BOOST_TEST((parse_as_of("2024-05-01T12:00:00.5Z") == AsOf::at_time_us(1714564800500000)));
  BOOST_TEST((parse_as_of("2024-05-01T12:00:00.000123Z") == AsOf::at_time_us(1714564800000123)));
  BOOST_TEST((parse_as_of("2024-02-29T00:00:00Z") == AsOf::at_time_us(1709164800000000)));  // a leap day
  BOOST_TEST((parse_as_of("1969-12-31T23:59:59Z") == AsOf::at_time_us(-1000000)));
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused) {
  for (const std::string& bad : std::vector<std::string>{"", " ", "-1", "+1", "1.5", "42 ", "0x10", "18446744073709551616", "us", "12u", "-5us", "99999999999999999999us",
        "2024-05-01", "2024-05-01T12:00:00", "2024-05-01 12:00:00Z", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z",
        "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z",
        "2024-05-01T12:00:60Z", "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00.1234567Z", "2024-05-01T12:00:00+01:00",
        "2024-05-01T12:00:00.-1Z", "yesterday", std::string(100000, '9'), std::string("4\0" "2", 3)})
    BOOST_TEST_CONTEXT("\"" << bad << "\"") { BOOST_TEST(!parse_as_of(bad).has_value()); }
}

BOOST_AUTO_TEST_CASE(to_string_names_the_point_and_round_trips_times) {
  BOOST_TEST(to_string(AsOf::at_version(42)) == "version 42");
  BOOST_TEST(to_string(AsOf::at_time_us(1714564800000123)) == "2024-05-01T12:00:00.000123Z");
  BOOST_TEST(to_string(AsOf::at_time_us(-1000000)) == "1969-12-31T23:59:59.000000Z");
  for (std::int64_t t : {0ll, 1ll, 951782400123456ll, 1709164800000000ll, 4102444799999999ll}) {
    const auto back = parse_as_of(to_string(AsOf::at_time_us(t)));
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(back->timestamp_us == t);
  }
}
