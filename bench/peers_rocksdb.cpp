// RocksDB peer: default options (what a user would pick), one Put per op.
// inmemory.*: WAL disabled (the closest RocksDB gets to an in-memory put);
// buffered.*: WAL without sync; strict.*: WriteOptions::sync (RocksDB groups
// concurrent writers' syncs itself); recovery.*: reopen after a WAL-only load.
#include "peer_util.hpp"
#include "workloads.hpp"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/version.h>

#include <memory>
#include <stdexcept>

namespace strata_bench {

namespace {

void check(const rocksdb::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string("rocksdb ") + what + ": " + s.ToString());
}

std::unique_ptr<rocksdb::DB> open_db(const ScratchDir& dir) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  check(rocksdb::DB::Open(o, dir.path().string(), &raw), "open");
  return std::unique_ptr<rocksdb::DB>(raw);
}

rocksdb::WriteOptions no_wal() {
  rocksdb::WriteOptions w;
  w.disableWAL = true;
  return w;
}

rocksdb::WriteOptions wal(bool sync) {
  rocksdb::WriteOptions w;
  w.sync = sync;
  return w;
}

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

/// One writer, WAL on, stopping at num ops or cfg.seconds.
RunSample wal_put(const Config& cfg, const Dataset& ds, bool sync) {
  ScratchDir dir("rocksdb");
  auto db = open_db(dir);
  const auto wo = wal(sync);
  auto r = timed_ops_for(ds.size(), cfg.seconds,
                         [&](std::size_t i) { check(db->Put(wo, slice(ds.key(i)), slice(ds.payload())), "put"); });
  check(db->Close(), "close");
  return r;
}

RunSample buffered_put(const Config& cfg, const Dataset& ds) { return wal_put(cfg, ds, false); }
RunSample strict_put(const Config& cfg, const Dataset& ds) { return wal_put(cfg, ds, true); }

RunSample strict_put_64w(const Config& cfg, const Dataset& ds) {
  ScratchDir dir("rocksdb");
  auto db = open_db(dir);
  const auto wo = wal(true);
  auto r = timed_threads(kDurableWriters, ds.size(), cfg.seconds,
                         [&](std::size_t i) { check(db->Put(wo, slice(ds.key(i)), slice(ds.payload())), "put"); });
  check(db->Close(), "close");
  return r;
}

/// A directory loaded with every key through the WAL (no sync), built once.
struct RecoveryFixture {
  std::unique_ptr<ScratchDir> dir;
  void ensure(const Dataset& ds) {
    if (dir) return;
    dir = std::make_unique<ScratchDir>("rocksdb-recovery");
    auto db = open_db(*dir);
    const auto wo = wal(false);
    for (std::size_t i = 0; i < ds.size(); ++i) check(db->Put(wo, slice(ds.key(i)), slice(ds.payload())), "put");
    check(db->Close(), "close");
  }
};

/// Times DB::Open (WAL replay of the unflushed memtable, table files opened
/// lazily); the key count is checked untimed afterwards.
RunSample reopen(const Config&, const Dataset& ds, RecoveryFixture& fx) {
  fx.ensure(ds);
  RunSample r;
  r.cpu_seconds = process_cpu_seconds();
  r.start = Clock::now();
  auto db = open_db(*fx.dir);
  const auto end = Clock::now();
  r.cpu_seconds = process_cpu_seconds() - r.cpu_seconds;
  r.seconds = std::chrono::duration<double>(end - r.start).count();
  r.lat_ns = {elapsed_ns(r.start, end)};
  std::string value;
  check(db->Get(rocksdb::ReadOptions(), slice(ds.key(ds.size() - 1)), &value), "get after reopen");
  check(db->Close(), "close");
  r.ops = ds.size();
  r.extra.emplace_back("seconds", r.seconds);
  return r;
}

RunSample kv_put(const Config&, const Dataset& ds) {
  ScratchDir dir("rocksdb");
  auto db = open_db(dir);
  const auto wo = no_wal();
  auto r = timed_ops(ds.size(), [&](std::size_t i) { check(db->Put(wo, slice(ds.key(i)), slice(ds.payload())), "put"); });
  check(db->Close(), "close");
  return r;
}

RunSample kv_get(const Config&, const Dataset& ds) {
  ScratchDir dir("rocksdb");
  auto db = open_db(dir);
  const auto wo = no_wal();
  for (std::size_t i = 0; i < ds.size(); ++i) check(db->Put(wo, slice(ds.key(i)), slice(ds.payload())), "put");
  const rocksdb::ReadOptions ro;
  std::string value;
  std::uint64_t misses = 0;
  auto r = timed_ops(ds.size(), [&](std::size_t i) {
    if (!db->Get(ro, slice(ds.read_key(i)), &value).ok()) ++misses;
  });
  check(db->Close(), "close");
  require_no_misses(misses, "rocksdb get");
  return r;
}

}  // namespace

std::string rocksdb_version() {
  return std::to_string(ROCKSDB_MAJOR) + "." + std::to_string(ROCKSDB_MINOR) + "." + std::to_string(ROCKSDB_PATCH);
}

void add_rocksdb_workloads(std::vector<Workload>& out) {
  out.push_back({"inmemory.kv_put.sync.1t", "rocksdb", kv_put});
  out.push_back({"inmemory.kv_get.sync.1t", "rocksdb", kv_get});
  out.push_back({"buffered.kv_put.sync.1t", "rocksdb", buffered_put});
  out.push_back({"strict.kv_put.sync.1t", "rocksdb", strict_put});
  out.push_back({"strict.kv_put.64w", "rocksdb", strict_put_64w});
  auto fx = std::make_shared<RecoveryFixture>();
  out.push_back({"recovery.open.1m_keys", "rocksdb",
                 [fx](const Config& cfg, const Dataset& ds) { return reopen(cfg, ds, *fx); }});
}

}  // namespace strata_bench
