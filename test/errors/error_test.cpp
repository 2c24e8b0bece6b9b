#define BOOST_TEST_MODULE errors
#include <boost/test/unit_test.hpp>

#include <strata/error.hpp>

#include <set>
#include <string>

using strata::errc;

namespace {
// Keep in step with the last enumerator of strata::errc.
constexpr int kLastCode = static_cast<int>(errc::replay_divergence);
}  // namespace

BOOST_AUTO_TEST_CASE(category_is_named_strata) {
  BOOST_TEST(std::string(strata::strata_category().name()) == "strata");
  BOOST_TEST((make_error_code(errc::key_not_found).category() == strata::strata_category()));
}

BOOST_AUTO_TEST_CASE(every_code_has_a_distinct_non_empty_message) {
  std::set<std::string> seen;
  for (int i = 0; i <= kLastCode; ++i) {
    const std::string message = strata::strata_category().message(i);
    BOOST_TEST_CONTEXT("code " << i) {
      BOOST_TEST(!message.empty());
      BOOST_TEST(message != "unknown strata error");
      BOOST_TEST(seen.insert(message).second, "duplicate message: " << message);
    }
  }
  BOOST_TEST(strata::strata_category().message(kLastCode + 1) == "unknown strata error");
  BOOST_TEST(strata::strata_category().message(-1) == "unknown strata error");
}

BOOST_AUTO_TEST_CASE(messages_name_the_limits) {
  BOOST_TEST(make_error_code(errc::key_too_long).message() == "key is longer than 1024 bytes");
  BOOST_TEST(make_error_code(errc::run_is_default).message() ==
             "the \"default\" run cannot be deleted");
  BOOST_TEST(make_error_code(errc::nesting_too_deep).message().find("128") != std::string::npos);
  BOOST_TEST(make_error_code(errc::value_too_large).message().find("16 MiB") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(error_code_comparisons) {
  strata::error_code ec = errc::run_not_found;  // implicit via is_error_code_enum
  // Double parentheses: errc itself has no operator<< for Boost.Test to print.
  BOOST_TEST((ec == errc::run_not_found));
  BOOST_TEST((ec != errc::key_not_found));
  BOOST_TEST((errc::run_not_found == ec));
  BOOST_TEST(ec.value() == static_cast<int>(errc::run_not_found));
  BOOST_TEST(static_cast<bool>(ec));
  BOOST_TEST(!make_error_code(errc::ok));
  // Same value in another category is a different error.
  BOOST_TEST(ec != strata::error_code(ec.value(), boost::system::generic_category()));
}

BOOST_AUTO_TEST_CASE(error_carries_code_and_detail) {
  const strata::Error e(errc::key_too_long, "key \"aaa...\" is 2000 bytes; the limit is 1024");
  BOOST_TEST((e.code() == errc::key_too_long));
  BOOST_TEST(e.detail() == "key \"aaa...\" is 2000 bytes; the limit is 1024");
  const std::string what = e.what();
  BOOST_TEST(what.find("is 2000 bytes; the limit is 1024") != std::string::npos, what);
  BOOST_TEST(what.find("key is longer than 1024 bytes") != std::string::npos, what);
}

BOOST_AUTO_TEST_CASE(error_without_detail) {
  const strata::Error e(make_error_code(errc::database_closed));
  BOOST_TEST(e.detail().empty());
  BOOST_TEST(std::string(e.what()).find("database is closed") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(error_is_catchable_as_system_error) {
  try {
    throw strata::Error(errc::read_only, "kv_put on a read-only database");
  } catch (const boost::system::system_error& e) {
    BOOST_TEST((e.code() == errc::read_only));
    return;
  }
  BOOST_FAIL("not caught");
}
