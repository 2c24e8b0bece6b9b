// Options for opening a database. Every field has a default; the defaults
// are what `Strata::open_temp()` and `Database::open({})` use.
#pragma once

#include <strata/fault_injection.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>

namespace strata {

/// How much a crash may lose (docs/guides/durability.md).
enum class Durability {
  InMemory,  ///< nothing on disk; everything is lost at close. Acknowledged when applied.
  Buffered,  ///< WAL fsynced every flush_interval; a crash loses at most that window.
  Strict,    ///< acknowledged only after the fdatasync covering the commit.
};

struct Options {
  /// Database directory. Empty means in memory (durability must then be
  /// InMemory). Default: empty.
  std::filesystem::path path{};

  /// Unset (the default): Buffered when `path` is set, InMemory otherwise.
  /// Buffered and Strict need a path; InMemory must not have one.
  std::optional<Durability> durability{};

  /// Number of shard actors. 0 = std::thread::hardware_concurrency().
  /// Default: 0.
  std::size_t shards = 0;

  /// Threads of the internal pool that runs the actors and completes
  /// handlers. 0 = hardware concurrency. Ignored when `executor` is set.
  /// Default: 0.
  std::size_t threads = 0;

  /// When set, the database runs entirely on this executor (typically the
  /// embedder's io_context); the embedder must keep it running. Default:
  /// unset (internal pool).
  std::optional<boost::asio::any_io_executor> executor{};

  /// Buffered mode: fsync at least this often. Default: 100 ms.
  std::chrono::milliseconds flush_interval{100};
  /// Buffered mode: also fsync once this many WAL bytes are unsynced.
  /// Default: 1 MiB.
  std::size_t flush_bytes = 1u << 20;

  /// transaction(fn) gives up with TransactionConflict after this many
  /// attempts. Default: 16.
  int max_transaction_attempts = 16;
  /// First back-off between attempts; doubled each attempt (capped at 64x)
  /// with full jitter. Default: 20 µs.
  std::chrono::microseconds transaction_backoff{20};

  /// A WAL segment file is closed and a new one started past this size.
  /// Default: 64 MiB.
  std::size_t wal_segment_bytes = 64u << 20;
  /// compact() runs automatically (in the background) once the WAL written
  /// since the last snapshot exceeds this. 0 disables. Default: 256 MiB.
  std::size_t auto_compact_wal_bytes = 256u << 20;
  /// How often the TTL reaper looks for expired KV values to delete (an
  /// expired value reads as absent at once either way). Default: 100 ms.
  std::chrono::milliseconds ttl_reap_interval{100};
  /// Testing seam: every disk operation consults it (see
  /// fault_injection.hpp). Default: unset.
  std::shared_ptr<FaultInjector> fault_injector{};
};

}  // namespace strata
