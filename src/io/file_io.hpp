// FileIo — every disk operation of the database, in one place, so that
// errors are reported uniformly (errc::io naming the file and the OS error)
// and the fault-injection seam (Options::fault_injector) sees all of them.
// Blocking: only called from the WAL's I/O thread, compaction, and open.
#pragma once

#include <strata/error.hpp>
#include <strata/fault_injection.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace strata::io {

/// error_code plus a message naming the file, the operation and the OS error.
struct IoStatus {
  error_code ec;
  std::string detail;
  explicit operator bool() const noexcept { return !ec; }
};

class FileIo {
 public:
  explicit FileIo(std::shared_ptr<FaultInjector> faults) : faults_(std::move(faults)) {}

  /// open(2) with O_CLOEXEC; files are created 0600.
  IoStatus open(const std::filesystem::path& p, int flags, int& fd);
  /// Writes all of `data` (retrying partial writes of the OS).
  IoStatus write_all(int fd, const std::filesystem::path& p, std::string_view data);
  IoStatus datasync(int fd, const std::filesystem::path& p);
  IoStatus truncate(int fd, const std::filesystem::path& p, std::uint64_t size);
  IoStatus rename(const std::filesystem::path& from, const std::filesystem::path& to);
  IoStatus remove(const std::filesystem::path& p);
  /// fsync of a directory, so that creations/renames in it are durable.
  IoStatus sync_dir(const std::filesystem::path& dir);
  /// Reads a whole file.
  IoStatus read_file(const std::filesystem::path& p, std::string& out);
  /// Creates `dir` (and missing parents) and makes it 0700: the database
  /// may hold an agent's secrets.
  IoStatus make_private_dir(const std::filesystem::path& dir);
  /// Names of the entries of `dir` (empty when it cannot be read).
  std::vector<std::string> list_dir(const std::filesystem::path& dir);
  /// Whether `p` exists.
  bool exists(const std::filesystem::path& p);
  /// Writes a file atomically: temp file, fsync, rename, directory fsync.
  IoStatus write_file_atomic(const std::filesystem::path& p, std::string_view data);
  static void close(int fd) noexcept;

 private:
  IoStatus inject(IoOp op, const std::filesystem::path& p, std::size_t bytes, std::size_t* short_write);
  std::shared_ptr<FaultInjector> faults_;
};

IoStatus io_error(const char* what, const std::filesystem::path& p, int err);

}  // namespace strata::io
