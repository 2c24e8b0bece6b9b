// Regression: in Buffered mode a write arriving after an idle spell was never
// synced on its own (the WAL thread slept with no deadline), breaking the
// "a crash loses at most flush_interval" promise for lone writes.
#define BOOST_TEST_MODULE buffered_interval
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include <chrono>
#include <filesystem>
#include <thread>
#include <unistd.h>

using namespace strata;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(lone_write_after_idle_is_synced_within_the_interval) {
  const auto dir = std::filesystem::temp_directory_path() / ("strata-lone-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    Options o;
    o.flush_interval = 50ms;
    auto db = Strata::open(dir, o);
    std::this_thread::sleep_for(150ms);  // idle: the WAL thread goes to sleep
    const auto before = db.info();
    db.kv_put("lone", 1);
    // Generous margin over the 50 ms interval; the fix makes it ~50 ms.
    DatabaseInfo after;
    for (int i = 0; i < 40; ++i) {
      std::this_thread::sleep_for(25ms);
      after = db.info();
      if (after.fsyncs > before.fsyncs) break;
    }
    BOOST_TEST(after.fsyncs > before.fsyncs);
    BOOST_TEST(after.wal_bytes > before.wal_bytes);
  }
  std::filesystem::remove_all(dir);
}
