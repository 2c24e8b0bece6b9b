// The registry of workloads: every (name, system) pair strata-bench can run.
// A workload opens a fresh database, does its untimed setup (preloading),
// times `cfg.num` operations and closes the database again.
#pragma once

#include "config.hpp"
#include "dataset.hpp"
#include "harness.hpp"

#include <strata/options.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace strata_bench {

struct Workload {
  std::string name;    ///< e.g. "inmemory.kv_put.sync.1t"
  std::string system;  ///< "strata", "rocksdb", "lmdb", "sqlite", "disk"
  std::function<RunSample(const Config&, const Dataset&)> run;
};

/// StrataDB through the synchronous facade (workloads_sync.cpp).
void add_strata_sync_workloads(std::vector<Workload>& out);
/// StrataDB through the async core with concurrent coroutines
/// (workloads_async.cpp).
void add_strata_async_workloads(std::vector<Workload>& out);
/// StrataDB Buffered / Strict puts, and the raw disk (workloads_durable.cpp).
void add_strata_durable_workloads(std::vector<Workload>& out);
/// StrataDB reopen time and memory per record (workloads_recovery.cpp).
void add_strata_recovery_workloads(std::vector<Workload>& out);
/// StrataDB's event log, state cells (CAS from coroutines), JSON documents
/// and a transaction over all four primitives (workloads_primitives.cpp).
void add_strata_primitive_workloads(std::vector<Workload>& out);
/// StrataDB's vector store: upserts, exact and HNSW search, filtered
/// search, index build and reopen (workloads_vector.cpp).
void add_strata_vector_workloads(std::vector<Workload>& out);
/// StrataDB forks: fork cost and reads through a fork's layers
/// (workloads_branches.cpp).
void add_strata_branch_workloads(std::vector<Workload>& out);
/// The peers found at build time (peers.cpp); none when built without them.
void add_peer_workloads(std::vector<Workload>& out);
/// Names of the peers compiled in, e.g. "rocksdb 7.8.3, lmdb 0.9.24".
std::string peer_versions();

/// InMemory options with the pool size and shard count from the flags.
inline strata::Options strata_options(const Config& cfg) {
  strata::Options o;
  o.durability = strata::Durability::InMemory;
  o.shards = cfg.shards;
  o.threads = cfg.threads;
  return o;
}

/// Durable options on directory `dir`, same pool size and shard count.
inline strata::Options strata_options(const Config& cfg, strata::Durability d, const std::filesystem::path& dir) {
  strata::Options o = strata_options(cfg);
  o.durability = d;
  o.path = dir;
  return o;
}

/// Concurrent writers of the strict.kv_put.64w workload (coroutines for
/// StrataDB, threads for the peers).
inline constexpr std::size_t kDurableWriters = 64;

/// Throws std::runtime_error when a read workload missed a preloaded key:
/// a benchmark that silently measures misses would be meaningless.
void require_no_misses(std::uint64_t misses, const char* what);

}  // namespace strata_bench
