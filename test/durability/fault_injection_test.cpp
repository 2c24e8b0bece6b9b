// I/O faults through Options::fault_injector (docs/guides/durability.md, docs/design/reliability.md): the affected
// commit fails with errc::io, the error is sticky until reopening, nothing
// acknowledged before the fault is lost, and the database reopens cleanly
// without the injector (a short write leaves a torn tail that is cut off).
#define BOOST_TEST_MODULE durability_fault_injection
#include <boost/test/unit_test.hpp>

#include "support/temp_dir.hpp"

#include <strata/strata.hpp>

#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace strata;
namespace bsys = boost::system;

namespace {

struct TempDir : test::TempDir {
  TempDir() : test::TempDir("faults") {}
};

/// Fails the Nth operation `op` on a path containing `filter`, counted
/// from arm(); once. A short write passes half the bytes, then fails.
class NthFault final : public FaultInjector {
 public:
  NthFault(IoOp op, std::string filter, int nth, error_code err, bool short_write = false)
      : op_(op), filter_(std::move(filter)), nth_(nth), err_(err), short_(short_write) {}

  void arm() { armed_.store(true); }
  bool fired() const { return fired_.load(); }

  error_code before(IoOp op, const std::string& path, std::size_t bytes, std::size_t* short_write) override {
    std::lock_guard lock(mu_);
    if (!armed_.load() || fired_.load() || op != op_ || path.find(filter_) == std::string::npos) return {};
    if (++seen_ < nth_) return {};
    fired_.store(true);
    if (short_ && short_write) {
      *short_write = bytes / 2;
      return {};
    }
    return err_;
  }

 private:
  std::mutex mu_;
  IoOp op_;
  std::string filter_;
  int nth_;
  error_code err_;
  bool short_;
  int seen_ = 0;
  std::atomic<bool> armed_{false}, fired_{false};
};

const error_code kNoSpace = bsys::errc::make_error_code(bsys::errc::no_space_on_device);
const error_code kEio = bsys::errc::make_error_code(bsys::errc::io_error);

Options opts(Durability d, std::shared_ptr<FaultInjector> f = {}) {
  Options o;
  o.durability = d;
  o.shards = 2;
  o.threads = 1;
  o.auto_compact_wal_bytes = 0;
  o.fault_injector = std::move(f);
  return o;
}

bool is_io(const error_code& ec) { return ec == make_error_code(errc::io); }

/// Acknowledged writes: key -> value, and keys whose commit failed (which
/// may or may not have reached the disk).
struct Ledger {
  std::map<std::string, std::int64_t> acked;
  std::map<std::string, std::int64_t> failed;

  /// After reopening: every acknowledged write is there; a failed one is
  /// there with its value or absent — never anything else.
  void check(Strata& db) const {
    for (const auto& [k, v] : acked) {
      const auto got = db.kv_get(k);
      BOOST_TEST_REQUIRE(got.has_value(), "acknowledged " << k << " lost");
      BOOST_TEST(got->as_int() == v, k);
    }
    for (const auto& [k, v] : failed) {
      const auto got = db.kv_get(k);
      BOOST_TEST((!got || got->as_int() == v), "failed write " << k << " has a foreign value");
    }
  }
};

/// Writes key<i> = i through the error_code overload; records the outcome.
error_code put(Strata& db, Ledger& l, int i) {
  error_code ec;
  const std::string key = "key" + std::to_string(i);
  db.kv_put(key, Value(i), ec);
  (ec ? l.failed : l.acked)[key] = i;
  return ec;
}

/// Closes on another thread and reports a close that does not finish
/// within `limit` (it is left behind, holding the directory lock, so the
/// caller skips reopening) instead of stalling the suite until the CTest
/// timeout.
bool close_within(Strata& db, std::chrono::seconds limit, const std::string& what) {
  auto done = std::make_shared<std::promise<void>>();
  auto fut = done->get_future();
  std::thread([db, done]() mutable {
    db.close();
    done->set_value();
  }).detach();
  if (fut.wait_for(limit) == std::future_status::ready) return true;
  BOOST_ERROR(what << ": close() did not return within " << limit.count()
                   << " s (the WAL I/O thread never stops after a sticky error)");
  return false;
}

/// The common scenario of a WAL fault in Strict mode: some acknowledged
/// commits, then the fault fails a commit, then everything fails (sticky);
/// reopening without the injector finds every acknowledged commit.
void strict_wal_fault(const std::shared_ptr<NthFault>& fault, Options extra = {}) {
  TempDir dir;
  Ledger ledger;
  {
    Options o = opts(Durability::Strict, fault);
    o.wal_segment_bytes = extra.wal_segment_bytes;
    auto db = Strata::open(dir.db(), o);
    for (int i = 0; i < 10; ++i) BOOST_TEST_REQUIRE(!put(db, ledger, i));
    fault->arm();
    error_code first;
    int i = 10;
    for (; i < 200 && !first; ++i) first = put(db, ledger, i);
    BOOST_TEST_REQUIRE(fault->fired());
    BOOST_TEST(is_io(first), first.message());
    // Sticky: later writes and flush fail too, with io.
    BOOST_TEST(is_io(put(db, ledger, i)));
    BOOST_TEST(is_io(put(db, ledger, i + 1)));
    BOOST_CHECK_EXCEPTION(db.kv_put("thrown", Value(1)), Error, [](const Error& e) { return is_io(e.code()); });
    // Reads keep working from memory.
    BOOST_TEST(db.kv_get("key0")->as_int() == 0);
    if (!close_within(db, std::chrono::seconds(5), "strict wal fault")) return;
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  ledger.check(db);
  // The reopened database accepts writes again.
  BOOST_TEST(db.kv_put("after", Value(1)) > 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(strict_wal)

BOOST_AUTO_TEST_CASE(write_enospc) {
  strict_wal_fault(std::make_shared<NthFault>(IoOp::Write, "/wal/wal-", 1, kNoSpace));
}

BOOST_AUTO_TEST_CASE(write_eio_on_a_later_write) {
  strict_wal_fault(std::make_shared<NthFault>(IoOp::Write, "/wal/wal-", 3, kEio));
}

BOOST_AUTO_TEST_CASE(sync_eio) {
  strict_wal_fault(std::make_shared<NthFault>(IoOp::Sync, "/wal/wal-", 2, kEio));
}

BOOST_AUTO_TEST_CASE(sync_enospc) {
  strict_wal_fault(std::make_shared<NthFault>(IoOp::Sync, "/wal/wal-", 1, kNoSpace));
}

BOOST_AUTO_TEST_CASE(open_of_next_segment_fails) {
  // Segments rotate every few commits; creating the next one fails.
  Options small;
  small.wal_segment_bytes = 200;
  strict_wal_fault(std::make_shared<NthFault>(IoOp::Open, "/wal/wal-", 1, kNoSpace), small);
}

BOOST_AUTO_TEST_CASE(sync_dir_fails_at_rotation) {
  Options small;
  small.wal_segment_bytes = 200;
  strict_wal_fault(std::make_shared<NthFault>(IoOp::SyncDir, "/wal", 1, kEio), small);
}

BOOST_AUTO_TEST_CASE(flush_after_a_failed_commit_returns_io_and_close_completes) {
  TempDir dir;
  Ledger ledger;
  auto fault = std::make_shared<NthFault>(IoOp::Write, "/wal/wal-", 1, kEio);
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict, fault));
    for (int i = 0; i < 3; ++i) put(db, ledger, i);
    fault->arm();
    BOOST_TEST(is_io(put(db, ledger, 3)));
    error_code ec;
    db.flush(ec);
    BOOST_TEST(is_io(ec));
    BOOST_CHECK_EXCEPTION(db.flush(), Error, [](const Error& e) { return is_io(e.code()); });
    if (!close_within(db, std::chrono::seconds(5), "strict")) return;
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  ledger.check(db);
}

BOOST_AUTO_TEST_CASE(short_write_leaves_a_torn_tail_that_reopen_cuts) {
  TempDir dir;
  Ledger ledger;
  auto fault = std::make_shared<NthFault>(IoOp::Write, "/wal/wal-", 1, kEio, /*short_write=*/true);
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict, fault));
    for (int i = 0; i < 5; ++i) BOOST_TEST_REQUIRE(!put(db, ledger, i));
    fault->arm();
    BOOST_TEST(is_io(put(db, ledger, 5)));
    BOOST_TEST(fault->fired());
    BOOST_TEST(is_io(put(db, ledger, 6)));
  }
  Version v = 0;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict));
    BOOST_TEST(db.info().truncated_bytes > 0u);
    ledger.check(db);
    BOOST_TEST(!db.kv_get("key5").has_value());  // half a record is no record
    v = db.kv_put("after", Value(1));
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  BOOST_TEST(db.info().truncated_bytes == 0u);  // the cut was made durable
  BOOST_TEST(db.info().visible_version == v);
  ledger.check(db);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(buffered_wal)

BOOST_AUTO_TEST_CASE(write_failure_surfaces_on_flush_and_is_sticky) {
  TempDir dir;
  Ledger ledger;
  auto fault = std::make_shared<NthFault>(IoOp::Write, "/wal/wal-", 1, kNoSpace);
  {
    Options o = opts(Durability::Buffered, fault);
    o.flush_interval = std::chrono::milliseconds(10000);  // only flush() writes
    auto db = Strata::open(dir.db(), o);
    for (int i = 0; i < 10; ++i) BOOST_TEST_REQUIRE(!put(db, ledger, i));
    db.flush();  // these are durable now
    fault->arm();
    // Buffered acknowledges on append; the failure shows at the next flush.
    Ledger maybe;
    put(db, maybe, 10);
    for (auto& [k, v] : maybe.acked) ledger.failed[k] = v;
    error_code ec;
    db.flush(ec);
    BOOST_TEST(is_io(ec), ec.message());
    BOOST_TEST(fault->fired());
    BOOST_TEST(is_io(put(db, ledger, 11)));
    db.flush(ec);
    BOOST_TEST(is_io(ec));
    if (!close_within(db, std::chrono::seconds(5), "buffered")) return;
  }
  auto db = Strata::open(dir.db(), opts(Durability::Buffered));
  ledger.check(db);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(compaction)

void compaction_fault(IoOp op, const std::string& filter) {
  TempDir dir;
  Ledger ledger;
  auto fault = std::make_shared<NthFault>(op, filter, 1, kEio);
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict, fault));
    for (int i = 0; i < 20; ++i) BOOST_TEST_REQUIRE(!put(db, ledger, i));
    fault->arm();
    error_code ec;
    db.compact(ec);
    BOOST_TEST(fault->fired());
    BOOST_TEST(is_io(ec), ec.message());
  }
  // No temp file is left behind and no snapshot claims to exist.
  for (const auto& e : fs::directory_iterator(dir.db())) {
    const auto name = e.path().filename().string();
    BOOST_TEST(name.find(".tmp") == std::string::npos, name);
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  ledger.check(db);
  BOOST_TEST(db.info().truncated_bytes == 0u);
}

BOOST_AUTO_TEST_CASE(compact_failing_at_rename_keeps_all_data) { compaction_fault(IoOp::Rename, ".snap"); }

BOOST_AUTO_TEST_CASE(compact_failing_at_snapshot_sync_keeps_all_data) { compaction_fault(IoOp::Sync, ".snap"); }

BOOST_AUTO_TEST_CASE(compact_failing_at_snapshot_write_keeps_all_data) { compaction_fault(IoOp::Write, ".snap"); }

BOOST_AUTO_TEST_CASE(writes_continue_after_a_failed_compaction) {
  // A snapshot failure is not a WAL failure: commits go on.
  TempDir dir;
  Ledger ledger;
  auto fault = std::make_shared<NthFault>(IoOp::Rename, ".snap", 1, kNoSpace);
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict, fault));
    for (int i = 0; i < 5; ++i) put(db, ledger, i);
    fault->arm();
    error_code ec;
    db.compact(ec);
    BOOST_TEST(is_io(ec));
    for (int i = 5; i < 10; ++i) BOOST_TEST(!put(db, ledger, i));
    db.compact();  // the injector fires once: this one succeeds
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  BOOST_TEST(ledger.failed.empty());
  ledger.check(db);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(opening)

std::map<std::string, std::uintmax_t> listing(const fs::path& dir) {
  std::map<std::string, std::uintmax_t> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    out[fs::relative(e.path(), dir).string()] = e.is_regular_file() ? e.file_size() : 0;
  return out;
}

BOOST_AUTO_TEST_CASE(open_failing_on_a_new_directory_creates_no_files) {
  TempDir dir;
  auto fault = std::make_shared<NthFault>(IoOp::Open, "", 1, kEio);
  fault->arm();
  BOOST_CHECK_EXCEPTION(Strata::open(dir.db(), opts(Durability::Strict, fault)), Error,
                        [](const Error& e) { return is_io(e.code()); });
  BOOST_TEST(fault->fired());
  BOOST_TEST(listing(dir.db()).empty());
}

BOOST_AUTO_TEST_CASE(open_failing_on_an_existing_database_changes_nothing) {
  TempDir dir;
  Ledger ledger;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict));
    for (int i = 0; i < 5; ++i) put(db, ledger, i);
  }
  const auto before = listing(dir.db());
  // 1st Open: the LOCK file; 2nd: the new WAL segment.
  for (int nth : {1, 2}) {
    auto fault = std::make_shared<NthFault>(IoOp::Open, "", nth, kNoSpace);
    fault->arm();
    try {
      auto db = Strata::open(dir.db(), opts(Durability::Strict, fault));
      BOOST_ERROR("open " << nth << " did not fail");
    } catch (const Error& e) {
      BOOST_TEST(is_io(e.code()), e.what());
      BOOST_TEST(std::string(e.what()).find(dir.db().string()) != std::string::npos, e.what());
    }
    BOOST_TEST(fault->fired());
    BOOST_TEST((listing(dir.db()) == before), "open " << nth << " left files behind");
  }
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  ledger.check(db);
}

BOOST_AUTO_TEST_CASE(sync_failing_while_creating_the_first_segment) {
  TempDir dir;
  auto fault = std::make_shared<NthFault>(IoOp::Sync, "/wal/wal-", 1, kEio);
  fault->arm();
  BOOST_CHECK_EXCEPTION(Strata::open(dir.db(), opts(Durability::Strict, fault)), Error,
                        [](const Error& e) { return is_io(e.code()); });
  // What was left is a database that opens (empty) without the injector,
  // and whose "default" run keeps its creation time from then on.
  std::int64_t created = 0;
  {
    auto db = Strata::open(dir.db(), opts(Durability::Strict));
    BOOST_TEST(db.run_exists("default"));
    created = db.run_info("default").created_us;
    db.kv_put("k", Value(1));
  }
  ::usleep(2000);
  auto db = Strata::open(dir.db(), opts(Durability::Strict));
  BOOST_TEST(db.kv_get("k")->as_int() == 1);
  BOOST_TEST(db.run_info("default").created_us == created, "default run's created_us is not durable");
}

BOOST_AUTO_TEST_SUITE_END()
