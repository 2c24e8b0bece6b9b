// LMDB peer: one write transaction per put (like an auto-committed kv_put).
// inmemory.* and buffered.*: MDB_NOSYNC | MDB_WRITEMAP (no fsync, writes
// straight into the map — LMDB's fastest non-durable setup); strict.*: the
// default flags (every commit is synced before it returns); reads reuse one read transaction handle
// via mdb_txn_reset/renew, the documented fast path.
#include "peer_util.hpp"
#include "workloads.hpp"

#include <lmdb.h>

#include <stdexcept>

namespace strata_bench {

namespace {

void check(int rc, const char* what) {
  if (rc != MDB_SUCCESS) throw std::runtime_error(std::string("lmdb ") + what + ": " + mdb_strerror(rc));
}

/// An environment with its one database, closed on scope exit.
class Env {
 public:
  explicit Env(const ScratchDir& dir, unsigned flags = MDB_NOSYNC | MDB_WRITEMAP) {
    check(mdb_env_create(&env_), "env_create");
    check(mdb_env_set_mapsize(env_, std::size_t{4} << 30), "set_mapsize");
    check(mdb_env_open(env_, dir.path().c_str(), flags, 0644), "env_open");
    MDB_txn* txn = nullptr;
    check(mdb_txn_begin(env_, nullptr, 0, &txn), "txn_begin");
    check(mdb_dbi_open(txn, nullptr, 0, &dbi_), "dbi_open");
    check(mdb_txn_commit(txn), "txn_commit");
  }
  ~Env() { mdb_env_close(env_); }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  void put(std::string_view key, std::string_view value) {
    MDB_txn* txn = nullptr;
    check(mdb_txn_begin(env_, nullptr, 0, &txn), "txn_begin");
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{value.size(), const_cast<char*>(value.data())};
    if (int rc = mdb_put(txn, dbi_, &k, &v, 0); rc != MDB_SUCCESS) {
      mdb_txn_abort(txn);
      check(rc, "put");
    }
    check(mdb_txn_commit(txn), "txn_commit");
  }

  MDB_env* env() const noexcept { return env_; }
  MDB_dbi dbi() const noexcept { return dbi_; }

 private:
  MDB_env* env_ = nullptr;
  MDB_dbi dbi_ = 0;
};

RunSample kv_put(const Config&, const Dataset& ds) {
  ScratchDir dir("lmdb");
  Env env(dir);
  return timed_ops(ds.size(), [&](std::size_t i) { env.put(ds.key(i), ds.payload()); });
}

/// Durable modes stop at num ops or cfg.seconds like every durable workload.
RunSample put_capped(const Config& cfg, const Dataset& ds, unsigned flags) {
  ScratchDir dir("lmdb");
  Env env(dir, flags);
  return timed_ops_for(ds.size(), cfg.seconds, [&](std::size_t i) { env.put(ds.key(i), ds.payload()); });
}

RunSample buffered_put(const Config& cfg, const Dataset& ds) { return put_capped(cfg, ds, MDB_NOSYNC | MDB_WRITEMAP); }
RunSample strict_put(const Config& cfg, const Dataset& ds) { return put_capped(cfg, ds, 0); }

RunSample kv_get(const Config&, const Dataset& ds) {
  ScratchDir dir("lmdb");
  Env env(dir);
  for (std::size_t i = 0; i < ds.size(); ++i) env.put(ds.key(i), ds.payload());
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(env.env(), nullptr, MDB_RDONLY, &txn), "txn_begin");
  mdb_txn_reset(txn);
  std::uint64_t misses = 0;
  auto r = timed_ops(ds.size(), [&](std::size_t i) {
    check(mdb_txn_renew(txn), "txn_renew");
    auto key = ds.read_key(i);
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v;
    if (mdb_get(txn, env.dbi(), &k, &v) != MDB_SUCCESS) ++misses;
    mdb_txn_reset(txn);
  });
  mdb_txn_abort(txn);
  require_no_misses(misses, "lmdb get");
  return r;
}

}  // namespace

std::string lmdb_version() {
  return std::to_string(MDB_VERSION_MAJOR) + "." + std::to_string(MDB_VERSION_MINOR) + "." +
         std::to_string(MDB_VERSION_PATCH);
}

void add_lmdb_workloads(std::vector<Workload>& out) {
  out.push_back({"inmemory.kv_put.sync.1t", "lmdb", kv_put});
  out.push_back({"inmemory.kv_get.sync.1t", "lmdb", kv_get});
  out.push_back({"buffered.kv_put.sync.1t", "lmdb", buffered_put});
  out.push_back({"strict.kv_put.sync.1t", "lmdb", strict_put});
}

}  // namespace strata_bench
