// RocksDB peer: default options (what a user would pick), writes with the WAL
// disabled — the closest RocksDB gets to an in-memory put — one Put per op.
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

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

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
}

}  // namespace strata_bench
