// StrataDB with a WAL: Buffered and Strict puts through the sync facade (one
// thread), Strict puts from kDurableWriters coroutines co_awaiting on the
// database's own pool (group commit), and the raw disk's append+fdatasync
// rate that Strict is judged against (docs/design/performance.md). Durable runs stop after
// num ops or cfg.seconds, whichever comes first.
#include "peer_util.hpp"
#include "workloads.hpp"

#include <strata/strata.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include <cerrno>
#include <cstring>
#include <exception>
#include <future>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace strata_bench {

namespace {

namespace asio = boost::asio;

/// Group-commit figures of the run: fsyncs per op shows how well commits
/// were batched (1.0 = none shared a flush).
void add_fsync_figures(strata::Strata& db, RunSample& r) {
  const auto info = db.info();
  r.extra.emplace_back("fsyncs", static_cast<double>(info.fsyncs));
  r.extra.emplace_back("ops_per_fsync", info.fsyncs ? static_cast<double>(r.ops) / static_cast<double>(info.fsyncs) : 0.0);
}

RunSample put_1t(const Config& cfg, const Dataset& ds, strata::Durability d) {
  ScratchDir dir("strata");
  auto db = strata::Strata::open(dir.path(), strata_options(cfg, d, dir.path()));
  auto r = timed_ops_for(ds.size(), cfg.seconds,
                         [&](std::size_t i) { db.kv_put(ds.key(i), strata::Value(ds.payload())); });
  add_fsync_figures(db, r);
  db.close();
  return r;
}

RunSample buffered_put(const Config& cfg, const Dataset& ds) { return put_1t(cfg, ds, strata::Durability::Buffered); }
RunSample strict_put(const Config& cfg, const Dataset& ds) { return put_1t(cfg, ds, strata::Durability::Strict); }

asio::awaitable<void> strict_writer(strata::Database& db, const Dataset& ds, OpClaimer& claimer, std::uint32_t* lat) {
  std::size_t i = 0;
  while (claimer.claim(i)) {
    const auto t0 = Clock::now();
    co_await db.async_kv_put("default", std::string(ds.key(i)), strata::Value(ds.payload()));
    lat[i] = elapsed_ns(t0, Clock::now());
  }
}

/// kDurableWriters coroutines on the database's pool, each waiting for its
/// own commit's fdatasync before writing again.
RunSample strict_put_64w(const Config& cfg, const Dataset& ds) {
  ScratchDir dir("strata");
  auto db = strata::Database::open(strata_options(cfg, strata::Durability::Strict, dir.path()));
  RunSample r;
  r.lat_ns.resize(ds.size());
  std::atomic<std::size_t> remaining{kDurableWriters};
  std::promise<void> all_done;
  std::exception_ptr first_error;
  std::atomic<bool> failed{false};
  const double cpu0 = process_cpu_seconds();
  const auto start = Clock::now();
  OpClaimer claimer(ds.size(), cfg.seconds);
  for (std::size_t w = 0; w < kDurableWriters; ++w)
    asio::co_spawn(db->get_executor(), strict_writer(*db, ds, claimer, r.lat_ns.data()), [&](std::exception_ptr e) {
      if (e && !failed.exchange(true)) first_error = e;
      if (remaining.fetch_sub(1) == 1) all_done.set_value();
    });
  all_done.get_future().wait();
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  r.start = start;
  r.ops = claimer.ops();
  r.lat_ns.resize(r.ops);
  if (first_error) std::rethrow_exception(first_error);
  strata::Strata facade(db);
  add_fsync_figures(facade, r);
  db->close();
  return r;
}

/// The yardstick of strict.*: 128-byte appends to a file in the same
/// filesystem as the databases, each followed by fdatasync.
RunSample disk_fdatasync(const Config& cfg, const Dataset& ds) {
  ScratchDir dir("disk");
  const auto file = dir.path() / "append.log";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + file.string());
  char record[128];
  std::memset(record, 'x', sizeof record);
  int err = 0;
  auto r = timed_ops_for(ds.size(), cfg.seconds, [&](std::size_t) {
    if (::write(fd, record, sizeof record) != static_cast<ssize_t>(sizeof record) || ::fdatasync(fd) != 0) err = errno;
  });
  ::close(fd);
  if (err) throw std::system_error(err, std::generic_category(), "append+fdatasync " + file.string());
  return r;
}

}  // namespace

void add_strata_durable_workloads(std::vector<Workload>& out) {
  out.push_back({"buffered.kv_put.sync.1t", "strata", buffered_put});
  out.push_back({"strict.kv_put.sync.1t", "strata", strict_put});
  out.push_back({"strict.kv_put.64w", "strata", strict_put_64w});
  out.push_back({"disk.fdatasync.1t", "disk", disk_fdatasync});
}

}  // namespace strata_bench
