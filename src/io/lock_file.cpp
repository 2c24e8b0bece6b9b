#include "io/lock_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace strata::io {

IoStatus LockFile::acquire(FileIo& io, const std::filesystem::path& dir) {
  const auto path = dir / "LOCK";
  int fd = -1;
  if (auto st = io.open(path, O_RDWR | O_CREAT, fd); !st) return st;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    if (err != EWOULDBLOCK) return io_error("flock", path, err);
    std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "unknown";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return {make_error_code(errc::database_locked),
            "database directory " + dir.string() + " is already open (lock held by process " + holder +
                "); close the other Database first, or open a different directory"};
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    ::close(fd);
    return io_error("write", path, err);
  }
  fd_ = fd;
  return {};
}

void LockFile::release() noexcept {
  if (fd_ >= 0) ::close(fd_);  // closing drops the flock
  fd_ = -1;
}

}  // namespace strata::io
