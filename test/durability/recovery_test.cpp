// Durability through the public API (docs/guides/durability.md): what is committed survives
// close + reopen exactly (versions, timestamps, runs), recovery is
// idempotent, compaction keeps everything, files are private, the
// directory lock refuses a second opener, and info() reports the mode.
#define BOOST_TEST_MODULE durability_recovery
#include <boost/test/unit_test.hpp>

#include "support/temp_dir.hpp"

#include <strata/strata.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace strata;

namespace {

struct TempDir : test::TempDir {
  TempDir() : test::TempDir("recovery") {}
};

Options opts(Durability d) {
  Options o;
  o.durability = d;
  o.shards = 2;
  o.threads = 1;
  return o;
}

bool has_code(const Error& e, errc want) {
  if (e.code() == make_error_code(want)) return true;
  BOOST_TEST_MESSAGE("got " << e.what());
  return false;
}

/// Everything observable about the database: runs, and the full history of
/// every key ever written in any run.
struct State {
  std::vector<RunInfo> runs;
  std::map<std::string, std::map<std::string, std::vector<VersionedValue>>> history;
  Version visible = 0;
  bool operator==(const State&) const = default;
};

State capture(Strata& db, const std::set<std::string>& key_universe) {
  State s;
  s.runs = db.list_runs();
  for (const auto& run : s.runs) {
    Strata h(db.database());
    h.set_run(run.name);
    std::set<std::string> keys = key_universe;
    for (auto& k : h.kv_list().keys) keys.insert(k);
    for (const auto& k : keys)
      if (auto hist = h.kv_history(k); !hist.empty()) s.history[run.name][k] = std::move(hist);
  }
  s.visible = db.info().visible_version;
  return s;
}

std::vector<std::uint64_t> wal_segments(const fs::path& db) {
  std::vector<std::uint64_t> out;
  for (const auto& e : fs::directory_iterator(db / "wal")) {
    const auto name = e.path().filename().string();
    if (name.starts_with("wal-") && name.ends_with(".log")) out.push_back(std::stoull(name.substr(4, 16)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> snapshots(const fs::path& db) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(db))
    if (e.path().extension() == ".snap") out.push_back(e.path());
  return out;
}

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  BOOST_TEST_REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

const std::set<std::string> kKeys{"a", "b", "c", "counter", "doc", "gone"};

/// A workload touching overwrites, deletes, several value kinds and runs.
void workload(Strata& db) {
  db.kv_put("a", Value("one"));
  db.kv_put("a", Value("two"));
  db.kv_put("b", Value(std::int64_t{-7}));
  Object doc;
  doc["nested"] = Value(Array{Value(1.5), Value(true), Value(nullptr)});
  db.kv_put("doc", Value(doc));
  db.kv_put("gone", Value(Bytes{1, 2, 3}));
  db.kv_delete("gone");
  db.transaction([](Transaction& tx) {
    tx.kv_put("c", Value("from a transaction"));
    tx.kv_put("counter", Value(1));
  });
  Object meta;
  meta["owner"] = Value("test");
  db.create_run("side", meta);
  Strata side(db.database());
  side.set_run("side");
  side.kv_put("a", Value("side a"));
  side.kv_put("counter", Value(100));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reopen)

BOOST_AUTO_TEST_CASE(data_survives_close_and_reopen_in_each_mode) {
  for (Durability mode : {Durability::Buffered, Durability::Strict}) {
    TempDir dir;
    State before;
    {
      auto db = Strata::open(dir.db(), opts(mode));
      workload(db);
      before = capture(db, kKeys);
      db.close();
    }
    auto db = Strata::open(dir.db(), opts(mode));
    BOOST_TEST_CONTEXT("mode " << static_cast<int>(mode)) {
      BOOST_TEST((capture(db, kKeys) == before));
      BOOST_TEST(db.kv_get("a")->as_string() == "two");
      BOOST_TEST(!db.kv_get("gone").has_value());
      BOOST_TEST(db.info().recovered_records > 0u);
      BOOST_TEST(db.info().truncated_bytes == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(versions_and_timestamps_are_exact) {
  TempDir dir;
  std::vector<VersionedValue> hist_before;
  Version last = 0;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict));
    for (int i = 0; i < 5; ++i) last = db.kv_put("k", Value(i));
    db.kv_delete("k");
    last = db.kv_put("k", Value("back"));
    hist_before = db.kv_history("k");
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  const auto hist_after = db.kv_history("k");
  BOOST_TEST_REQUIRE(hist_after.size() == hist_before.size());
  for (std::size_t i = 0; i < hist_after.size(); ++i) {
    BOOST_TEST(hist_after[i].version == hist_before[i].version);
    BOOST_TEST(hist_after[i].timestamp_us == hist_before[i].timestamp_us);
    BOOST_TEST(hist_after[i].tombstone == hist_before[i].tombstone);
    BOOST_TEST((hist_after[i].value == hist_before[i].value));
  }
  BOOST_TEST(db.info().visible_version == last);
  // Versions continue after the recovered ones, never reused.
  BOOST_TEST(db.kv_put("k", Value("next")) == last + 1);
}

BOOST_AUTO_TEST_CASE(run_lifecycle_is_durable) {
  TempDir dir;
  RunInfo def_before, paused_before;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Buffered));
    def_before = db.run_info("default");
    Object meta;
    meta["goal"] = Value("index docs");
    db.create_run("worker", meta);
    db.create_run("doomed");
    db.set_run_status("worker", RunStatus::Paused);
    Object meta2;
    meta2["goal"] = Value("changed");
    meta2["step"] = Value(3);
    paused_before = db.set_run_metadata("worker", meta2);
  }
  auto db = Strata::open(dir.db(), opts(Durability::Buffered));
  BOOST_TEST((db.run_info("default") == def_before));
  BOOST_TEST((db.run_info("worker") == paused_before));
  BOOST_TEST((db.run_info("worker").status == RunStatus::Paused));
  BOOST_TEST(db.run_info("worker").metadata.at("step").as_int() == 3);
  BOOST_TEST(db.run_exists("doomed"));
}

BOOST_AUTO_TEST_CASE(delete_run_is_durable_and_name_is_reusable) {
  TempDir dir;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Buffered));
    db.create_run("tmp");
    Strata h(db.database());
    h.set_run("tmp");
    h.kv_put("secret", Value("old data"));
    h.kv_put("other", Value(1));
    h.set_run("default");
    BOOST_TEST(db.delete_run("tmp") == 2u);
  }
  {
    auto db = Strata::open(dir.db(), opts(Durability::Buffered));
    BOOST_TEST(!db.run_exists("tmp"));
    db.create_run("tmp");
    db.set_run("tmp");
    BOOST_TEST(!db.kv_get("secret").has_value());
    BOOST_TEST(db.kv_history("secret").empty());
    db.kv_put("fresh", Value("new"));
  }
  // The re-created run and only its new data survive a second reopen.
  auto db = Strata::open(dir.db(), opts(Durability::Buffered));
  db.set_run("tmp");
  BOOST_TEST(db.kv_list().keys == std::vector<std::string>{"fresh"});
}

BOOST_AUTO_TEST_CASE(reopening_twice_gives_identical_state) {
  TempDir dir;
  State first, second;
  std::uint64_t records_first = 0, records_second = 0;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Buffered));
    workload(db);
  }
  {
    auto db = Strata::open(dir.db(), opts(Durability::Buffered));
    first = capture(db, kKeys);
    records_first = db.info().recovered_records;
  }
  {
    auto db = Strata::open(dir.db(), opts(Durability::Buffered));
    second = capture(db, kKeys);
    records_second = db.info().recovered_records;
  }
  BOOST_TEST((first == second));
  BOOST_TEST(records_first == records_second);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(compaction)

BOOST_AUTO_TEST_CASE(compact_then_write_then_reopen) {
  TempDir dir;
  State before;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Buffered));
    workload(db);
    const auto segs_before = wal_segments(dir.db());
    db.compact();
    BOOST_TEST(db.info().compactions == 1u);
    BOOST_TEST(snapshots(dir.db()).size() == 1u);
    // Every segment that existed before the snapshot is covered by it.
    const auto segs_after = wal_segments(dir.db());
    BOOST_TEST_REQUIRE(!segs_after.empty());
    BOOST_TEST(segs_after.front() > segs_before.back());
    db.kv_put("a", Value("after compact"));
    db.kv_delete("b");
    db.set_run_status("side", RunStatus::Completed);
    before = capture(db, kKeys);
  }
  auto db = Strata::open(dir.db(), opts(Durability::Buffered));
  BOOST_TEST((capture(db, kKeys) == before));
  BOOST_TEST(db.kv_get("a")->as_string() == "after compact");
  // Only the records written after the snapshot were replayed.
  BOOST_TEST(db.info().recovered_records == 3u);
}

BOOST_AUTO_TEST_CASE(compacting_twice_keeps_one_snapshot) {
  TempDir dir;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict));
    db.kv_put("x", Value(1));
    db.compact();
    db.kv_put("x", Value(2));
    db.compact();
    BOOST_TEST(snapshots(dir.db()).size() == 1u);
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  BOOST_TEST(db.kv_get("x")->as_int() == 2);
  BOOST_TEST(db.kv_history("x").size() == 2u);
  BOOST_TEST(db.info().recovered_records == 0u);
}

BOOST_AUTO_TEST_CASE(auto_compaction_while_writing) {
  TempDir dir;
  Options o = opts(Durability::Buffered);
  o.auto_compact_wal_bytes = 64u << 10;
  o.wal_segment_bytes = 64u << 10;
  const std::string filler(200, 'f');
  constexpr int kWrites = 3000;
  {
    auto db = Strata::open(dir.db(), o);
    for (int i = 0; i < kWrites; ++i) db.kv_put("key" + std::to_string(i % 500), Value(filler + std::to_string(i)));
    // The compaction runs in the background: give it a moment.
    for (int i = 0; i < 200 && db.info().compactions == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    BOOST_TEST(db.info().compactions > 0u);
  }
  BOOST_TEST(!snapshots(dir.db()).empty());
  auto db = Strata::open(dir.db(), o);
  for (int k = 0; k < 500; ++k) {
    const int last = kWrites - 500 + k;  // the last i with i % 500 == k
    BOOST_TEST_REQUIRE(db.kv_get("key" + std::to_string(k))->as_string() == filler + std::to_string(last));
  }
  BOOST_TEST(db.info().visible_version >= Version{kWrites});
}

BOOST_AUTO_TEST_CASE(compactions_racing_writers_keep_every_write_when_segments_are_tiny) {
  // Regression: the WAL batch that carries a cut also carries the records
  // queued after it; when those filled the new segment, the WAL rotated
  // again and reported the *next* segment as the cut's, so the compaction
  // deleted the segment holding the post-cut records (lost on reopen, or
  // "commit version N follows M" corruption). Segments of 64 bytes make
  // every such batch rotate; writers on another thread put records behind
  // each cut.
  // Slow WAL writes keep the I/O thread busy, so records queue up behind
  // each cut and travel in the cut's batch.
  struct SlowWal final : FaultInjector {
    error_code before(IoOp op, const std::string& path, std::size_t, std::size_t*) override {
      if (op == IoOp::Write && path.find("/wal/") != std::string::npos)
        std::this_thread::sleep_for(std::chrono::microseconds(300));
      return {};
    }
  };
  TempDir dir;
  Options o = opts(Durability::Buffered);
  o.wal_segment_bytes = 64;
  o.fault_injector = std::make_shared<SlowWal>();
  std::atomic<bool> stop{false};
  int written = 0;
  {
    auto db = Strata::open(dir.db(), o);
    std::thread writer([&] {
      Strata w(db.database());
      for (; !stop.load() || written < 2000; ++written) w.kv_put("key" + std::to_string(written), Value(written));
    });
    for (int c = 0; c < 40; ++c) {
      db.compact();
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    stop.store(true);
    writer.join();
  }
  o.fault_injector = nullptr;
  auto db = Strata::open(dir.db(), o);
  int missing = 0;
  for (int i = 0; i < written; ++i) {
    const auto v = db.kv_get("key" + std::to_string(i));
    if (!v || *v != Value(i)) ++missing;
  }
  BOOST_TEST(missing == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(files_and_lock)

BOOST_AUTO_TEST_CASE(files_are_0600_and_directories_0700) {
  TempDir dir;
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  db.kv_put("k", Value("v"));
  db.compact();
  db.kv_put("k2", Value("v2"));
  BOOST_TEST(mode_of(dir.db()) == 0700u);
  BOOST_TEST(mode_of(dir.db() / "wal") == 0700u);
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir.db())) {
    if (!e.is_regular_file()) continue;
    ++files;
    BOOST_TEST(mode_of(e.path()) == 0600u, e.path());
  }
  BOOST_TEST(files >= 3u);  // LOCK, a snapshot, a WAL segment
  BOOST_TEST(fs::exists(dir.db() / "LOCK"));
}

BOOST_AUTO_TEST_CASE(second_open_in_process_is_locked_naming_the_pid) {
  TempDir dir;
  auto db = Strata::open(dir.db(), opts(Durability::Buffered));
  const std::string pid = std::to_string(::getpid());
  try {
    auto again = Strata::open(dir.db(), opts(Durability::Buffered));
    BOOST_FAIL("second open succeeded");
  } catch (const Error& e) {
    BOOST_TEST(has_code(e, errc::database_locked));
    BOOST_TEST(std::string(e.what()).find(pid) != std::string::npos, e.what());
  }
  error_code ec;
  auto raw = Database::open([&] {
    Options o = opts(Durability::Strict);
    o.path = dir.db();
    return o;
  }(), ec);
  BOOST_TEST((ec == make_error_code(errc::database_locked)));
  BOOST_TEST(!raw);
  // Closing releases the lock.
  db.close();
  auto reopened = Strata::open(dir.db(), opts(Durability::Buffered));
  BOOST_TEST(reopened.ping().size() > 0u);
}

BOOST_AUTO_TEST_CASE(another_process_is_locked_out) {
  TempDir dir;
  auto db = Strata::open(dir.db(), opts(Durability::Buffered));
  db.kv_put("k", Value(1));
  const pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    // Exit codes: 0 locked (expected), 1 opened, 2 other error.
    int code = 2;
    try {
      auto other = Strata::open(dir.db(), opts(Durability::Buffered));
      code = 1;
    } catch (const Error& e) {
      if (e.code() == make_error_code(errc::database_locked)) code = 0;
    } catch (...) {
    }
    ::_exit(code);
  }
  int status = 0;
  BOOST_TEST_REQUIRE(::waitpid(child, &status, 0) == child);
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  BOOST_TEST(db.kv_get("k")->as_int() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(options_and_info)

BOOST_AUTO_TEST_CASE(inconsistent_options_are_invalid_input) {
  TempDir dir;
  Options strict_no_path;
  strict_no_path.durability = Durability::Strict;
  BOOST_CHECK_EXCEPTION(Database::open(strict_no_path), Error, [](const Error& e) { return has_code(e, errc::invalid_input); });
  Options buffered_no_path;
  buffered_no_path.durability = Durability::Buffered;
  error_code ec;
  BOOST_TEST(!Database::open(buffered_no_path, ec));
  BOOST_TEST((ec == make_error_code(errc::invalid_input)));
  BOOST_CHECK_EXCEPTION(Strata::open(dir.db(), opts(Durability::InMemory)), Error,
                        [](const Error& e) { return has_code(e, errc::invalid_input); });
  BOOST_TEST(!fs::exists(dir.db()));  // rejected before touching the disk
}

BOOST_AUTO_TEST_CASE(default_durability_with_a_path_is_buffered) {
  TempDir dir;
  auto db = Strata::open(dir.db());
  const auto i = db.info();
  BOOST_TEST(i.durability == "buffered");
  BOOST_TEST(fs::path(i.path) == dir.db());
}

BOOST_AUTO_TEST_CASE(info_reports_mode_fsyncs_and_batches) {
  TempDir dir;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Buffered));
    db.kv_put("k", Value(1));
    db.flush();
    const auto i = db.info();
    BOOST_TEST(i.durability == "buffered");
    BOOST_TEST(i.fsyncs > 0u);
    BOOST_TEST(i.last_fsync_us >= 0);
    BOOST_TEST(i.wal_bytes > 0u);
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  for (int i = 0; i < 10; ++i) db.kv_put("s" + std::to_string(i), Value(i));
  const auto i = db.info();
  BOOST_TEST(i.durability == "strict");
  BOOST_TEST(!i.batch_histogram.empty());
  std::uint64_t batches = 0;
  for (auto n : i.batch_histogram) batches += n;
  BOOST_TEST(batches > 0u);
  BOOST_TEST(i.fsyncs >= batches);
  BOOST_TEST(Strata::open_temp().info().durability == "inmemory");
}

BOOST_AUTO_TEST_SUITE_END()
