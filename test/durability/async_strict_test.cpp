// The async front end in Strict mode: puts, deletes, commits and run
// operations complete from the WAL's I/O thread after their fdatasync,
// without blocking the database's pool threads, so concurrent writers share
// fdatasyncs (group commit) — and everything acknowledged survives reopen.
#define BOOST_TEST_MODULE async_strict
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <filesystem>
#include <future>
#include <set>
#include <unistd.h>

namespace asio = boost::asio;
using namespace strata;

namespace {

struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("strata-async-strict-" + std::to_string(::getpid()));
  TempDir() { std::filesystem::remove_all(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

Options strict_at(const std::filesystem::path& p) {
  Options o;
  o.path = p;
  o.durability = Durability::Strict;
  o.threads = 2;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(concurrent_async_puts_share_fdatasyncs_and_survive_reopen) {
  TempDir dir;
  constexpr int kWriters = 64, kPerWriter = 5;
  std::set<Version> versions;
  {
    auto db = Database::open(strict_at(dir.path));
    std::mutex mu;
    std::promise<void> all_done;
    std::atomic<int> left{kWriters};
    for (int w = 0; w < kWriters; ++w) {
      asio::co_spawn(
          db->get_executor(),
          [&, w]() -> asio::awaitable<void> {
            for (int i = 0; i < kPerWriter; ++i) {
              Version v = co_await db->async_kv_put("default", "w" + std::to_string(w) + "/" + std::to_string(i), i);
              std::lock_guard lock(mu);
              versions.insert(v);
            }
            if (--left == 0) all_done.set_value();
          },
          asio::detached);
    }
    all_done.get_future().get();
    const auto info = Strata(db).info();
    BOOST_TEST(info.durability == "strict");
    // 320 Strict commits from 64 concurrent writers: if each had its own
    // fdatasync the pool would have been blocked one commit at a time.
    BOOST_TEST(info.fsyncs < static_cast<std::uint64_t>(kWriters * kPerWriter));
    auto created = db->async_create_run("async-run", {}, asio::use_future).get();
    BOOST_TEST(created.name == "async-run");
    auto tx = db->begin("async-run");
    tx.kv_put("in-run", "yes");
    BOOST_TEST(tx.async_commit(asio::use_future).get() > 0u);
    BOOST_TEST(db->async_kv_delete("default", "w0/0", asio::use_future).get());
  }
  BOOST_TEST(versions.size() == static_cast<std::size_t>(kWriters * kPerWriter));  // unique versions
  auto db = Strata::open(dir.path, strict_at(dir.path));
  for (int w = 0; w < kWriters; ++w)
    for (int i = 0; i < kPerWriter; ++i) {
      auto v = db.kv_get("w" + std::to_string(w) + "/" + std::to_string(i));
      if (w == 0 && i == 0) BOOST_TEST(!v.has_value());
      else BOOST_TEST((v && *v == Value(i)));
    }
  db.set_run("async-run");
  BOOST_TEST((db.kv_get("in-run") == std::optional<Value>(Value("yes"))));
}
