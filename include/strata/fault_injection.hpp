// FaultInjector — a testing seam through which every disk operation of the
// database passes (docs/design/reliability.md). Production code leaves Options::fault_injector
// unset; tests install one to make a chosen write, fsync, rename, open,
// truncate or remove fail with ENOSPC, EIO, or to write only part of a
// buffer (a short write).
#pragma once

#include <strata/error.hpp>

#include <cstddef>
#include <string>

namespace strata {

/// MakeDir: creating a database directory (and setting its mode 0700).
enum class IoOp { Open, Write, Sync, Rename, Remove, Truncate, SyncDir, MakeDir };

class FaultInjector {
 public:
  virtual ~FaultInjector() = default;
  /// Called before each disk operation on `path` (`bytes` is the size of a
  /// write, else 0). Return a non-zero system error (e.g.
  /// boost::system::errc::no_space_on_device) to make the operation fail with
  /// it. For a Write, setting *short_write to n < bytes writes only the
  /// first n bytes and then fails with EIO (a short write).
  /// Called from the database's I/O threads: must be thread-safe.
  virtual error_code before(IoOp op, const std::string& path, std::size_t bytes, std::size_t* short_write) = 0;
};

}  // namespace strata
