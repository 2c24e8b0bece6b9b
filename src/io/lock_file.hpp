// LockFile — one process (and one open Database) per directory. Holds an
// exclusive flock(2) on <dir>/LOCK for the database's lifetime and writes
// the holder's PID into it, so that a second open can say who holds it.
#pragma once

#include "io/file_io.hpp"

#include <filesystem>

namespace strata::io {

class LockFile {
 public:
  LockFile() = default;
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  ~LockFile() { release(); }

  /// Errors: database_locked (naming the holder's PID), io.
  IoStatus acquire(FileIo& io, const std::filesystem::path& dir);
  void release() noexcept;

 private:
  int fd_ = -1;
};

}  // namespace strata::io
