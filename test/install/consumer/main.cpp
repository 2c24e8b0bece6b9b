// Uses the installed library through both front ends and checks the results;
// exits non-zero (with a message) when anything is off.
#include <strata/strata.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>
#include <optional>

namespace {

int fail(const char* what) {
  std::cerr << "strata_consumer: " << what << '\n';
  return 1;
}

}  // namespace

int main() {
  // Synchronous facade.
  auto db = strata::Strata::open_temp({.shards = 2, .threads = 1});
  const strata::Version v = db.kv_put("greeting", "hello");
  if (db.kv_get("greeting") != strata::Value("hello")) return fail("kv_get after kv_put");

  // Error codes from the installed error category.
  strata::error_code ec;
  db.set_run("no-such-run", ec);
  if (ec != strata::errc::run_not_found) return fail("set_run on a missing run");

  // Async core on the caller's io_context, with a plain callback.
  boost::asio::io_context io;
  auto adb = strata::Database::open({.executor = io.get_executor()});
  std::optional<strata::Value> got;
  adb->async_kv_put("default", "k", 7, [&](strata::error_code e, strata::Version) {
    if (!e) adb->async_kv_get("default", "k", [&](strata::error_code, std::optional<strata::Value> r) { got = r; });
  });
  io.run();
  if (got != strata::Value(7)) return fail("async put/get on the embedder's io_context");

  std::cout << "strata_consumer: installed StrataDB works (sync commit version " << v << ", async value "
            << *got << ", \"" << ec.message() << "\")\n";
  return 0;
}
