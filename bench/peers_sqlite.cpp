// SQLite peer, WAL mode (what a user would pick for an embedded KV table):
// `CREATE TABLE kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID`, one prepared
// INSERT OR REPLACE per op, each its own (autocommit) transaction.
// synchronous=OFF -> inmemory.*, NORMAL -> buffered.* (WAL synced only at
// checkpoints), FULL -> strict.* (WAL synced at every commit). Puts stop at
// num ops or cfg.seconds (a transaction per op makes 1M puts take minutes).
#include "peer_util.hpp"
#include "workloads.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace strata_bench {

namespace {

/// A connection to kv.sqlite in a scratch directory, with the two prepared
/// statements; everything finalized and closed on scope exit.
class Db {
 public:
  Db(const ScratchDir& dir, const char* synchronous) {
    const auto file = (dir.path() / "kv.sqlite").string();
    check(sqlite3_open(file.c_str(), &db_), "open");
    exec("PRAGMA journal_mode=WAL");
    exec(std::string("PRAGMA synchronous=") + synchronous);
    exec("CREATE TABLE kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID");
    check(sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO kv(k, v) VALUES(?1, ?2)", -1, &put_, nullptr), "prepare");
    check(sqlite3_prepare_v2(db_, "SELECT v FROM kv WHERE k = ?1", -1, &get_, nullptr), "prepare");
  }
  ~Db() {
    sqlite3_finalize(put_);
    sqlite3_finalize(get_);
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("sqlite " + sql + ": " + msg);
    }
  }

  void put(std::string_view key, std::string_view value) {
    sqlite3_bind_blob(put_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    sqlite3_bind_blob(put_, 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(put_);
    sqlite3_reset(put_);
    if (rc != SQLITE_DONE) check(rc, "insert");
  }

  /// True when the key exists (the value is read, as a caller would).
  bool get(std::string_view key) {
    sqlite3_bind_blob(get_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(get_);
    const bool found = rc == SQLITE_ROW && sqlite3_column_bytes(get_, 0) == static_cast<int>(kValueBytes);
    sqlite3_reset(get_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) check(rc, "select");
    return found;
  }

 private:
  void check(int rc, const char* what) {
    if (rc != SQLITE_OK) throw std::runtime_error(std::string("sqlite ") + what + ": " + sqlite3_errmsg(db_));
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
};

RunSample put(const Config& cfg, const Dataset& ds, const char* synchronous) {
  ScratchDir dir("sqlite");
  Db db(dir, synchronous);
  return timed_ops_for(ds.size(), cfg.seconds, [&](std::size_t i) { db.put(ds.key(i), ds.payload()); });
}

RunSample inmemory_put(const Config& cfg, const Dataset& ds) { return put(cfg, ds, "OFF"); }
RunSample buffered_put(const Config& cfg, const Dataset& ds) { return put(cfg, ds, "NORMAL"); }
RunSample strict_put(const Config& cfg, const Dataset& ds) { return put(cfg, ds, "FULL"); }

/// Preloads in one transaction (untimed), then one SELECT per op.
RunSample inmemory_get(const Config&, const Dataset& ds) {
  ScratchDir dir("sqlite");
  Db db(dir, "OFF");
  db.exec("BEGIN");
  for (std::size_t i = 0; i < ds.size(); ++i) db.put(ds.key(i), ds.payload());
  db.exec("COMMIT");
  std::uint64_t misses = 0;
  auto r = timed_ops(ds.size(), [&](std::size_t i) {
    if (!db.get(ds.read_key(i))) ++misses;
  });
  require_no_misses(misses, "sqlite get");
  return r;
}

}  // namespace

std::string sqlite_version() { return sqlite3_libversion(); }

void add_sqlite_workloads(std::vector<Workload>& out) {
  out.push_back({"inmemory.kv_put.sync.1t", "sqlite", inmemory_put});
  out.push_back({"inmemory.kv_get.sync.1t", "sqlite", inmemory_get});
  out.push_back({"buffered.kv_put.sync.1t", "sqlite", buffered_put});
  out.push_back({"strict.kv_put.sync.1t", "sqlite", strict_put});
}

}  // namespace strata_bench
