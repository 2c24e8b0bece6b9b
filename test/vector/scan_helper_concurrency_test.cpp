// ScanHelper (src/vector/parallel_scan.hpp), an internal that carries an
// invariant exact scans rely on: run_with_helper either runs both halves and
// returns true, or runs neither and returns false — under any number of
// concurrent callers — and an exception of the helper's half reaches the
// caller. Runs under TSan in CI (label "concurrency").
#define BOOST_TEST_MODULE scan_helper
#include <boost/test/unit_test.hpp>

#include "vector/parallel_scan.hpp"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using strata::vector::ScanHelper;

BOOST_AUTO_TEST_CASE(both_halves_or_neither_under_concurrent_callers) {
  ScanHelper helper;
  // Boost.Test assertions are not thread-safe: the threads count, the test
  // thread checks.
  std::atomic<long> theirs{0}, mine{0}, shared{0}, accepted{0}, refused{0}, ran_when_refused{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        long a = 0, b = 0;  // written by one half each, read after the call
        const bool ran = helper.run_with_helper([&] { a = 1; ++theirs; }, [&] { b = 1; ++mine; });
        if (ran) {
          ++accepted;
          shared += a + b;  // both halves' plain writes are visible here
        } else {
          ++refused;
          if (a != 0 || b != 0) ++ran_when_refused;
        }
      }
    });
  for (auto& c : callers) c.join();
  BOOST_TEST(accepted + refused == 8000);
  BOOST_TEST(accepted.load() > 0);
  BOOST_TEST(ran_when_refused.load() == 0);
  BOOST_TEST(theirs.load() == accepted.load());
  BOOST_TEST(mine.load() == accepted.load());
  BOOST_TEST(shared.load() == 2 * accepted.load());
}

BOOST_AUTO_TEST_CASE(an_exception_of_the_helpers_half_reaches_the_caller_after_both_finished) {
  ScanHelper helper;
  std::atomic<bool> mine_done{false};
  BOOST_CHECK_THROW(helper.run_with_helper([] { throw std::runtime_error("theirs"); }, [&] { mine_done = true; }),
                    std::runtime_error);
  BOOST_TEST(mine_done.load());
  // The helper is usable again afterwards.
  int x = 0;
  BOOST_TEST(helper.run_with_helper([&] { x += 1; }, [] {}));
  BOOST_TEST(x == 1);
}
