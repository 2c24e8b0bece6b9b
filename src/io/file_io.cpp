#include "io/file_io.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::io {

IoStatus io_error(const char* what, const std::filesystem::path& p, int err) {
  return {make_error_code(errc::io),
          std::string(what) + " " + p.string() + ": " + std::strerror(err) + " (errno " + std::to_string(err) + ")"};
}

IoStatus FileIo::inject(IoOp op, const std::filesystem::path& p, std::size_t bytes, std::size_t* short_write) {
  if (!faults_) return {};
  error_code ec = faults_->before(op, p.string(), bytes, short_write);
  if (!ec) return {};
  return {make_error_code(errc::io), "injected fault on " + p.string() + ": " + ec.message()};
}

IoStatus FileIo::open(const std::filesystem::path& p, int flags, int& fd) {
  if (auto s = inject(IoOp::Open, p, 0, nullptr); !s) return s;
  fd = ::open(p.c_str(), flags | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("open", p, errno);
  return {};
}

IoStatus FileIo::write_all(int fd, const std::filesystem::path& p, std::string_view data) {
  std::size_t allowed = data.size();
  if (auto s = inject(IoOp::Write, p, data.size(), &allowed); !s) return s;
  const bool short_write = allowed < data.size();
  std::string_view todo = data.substr(0, allowed);
  while (!todo.empty()) {
    ssize_t n = ::write(fd, todo.data(), todo.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", p, errno);
    }
    todo.remove_prefix(static_cast<std::size_t>(n));
  }
  if (short_write) return io_error("short write to", p, EIO);
  return {};
}

IoStatus FileIo::datasync(int fd, const std::filesystem::path& p) {
  if (auto s = inject(IoOp::Sync, p, 0, nullptr); !s) return s;
  if (::fdatasync(fd) != 0) return io_error("fdatasync", p, errno);
  return {};
}

IoStatus FileIo::truncate(int fd, const std::filesystem::path& p, std::uint64_t size) {
  if (auto s = inject(IoOp::Truncate, p, 0, nullptr); !s) return s;
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) return io_error("ftruncate", p, errno);
  return {};
}

IoStatus FileIo::rename(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (auto s = inject(IoOp::Rename, from, 0, nullptr); !s) return s;
  if (::rename(from.c_str(), to.c_str()) != 0) return io_error("rename", from, errno);
  return {};
}

IoStatus FileIo::remove(const std::filesystem::path& p) {
  if (auto s = inject(IoOp::Remove, p, 0, nullptr); !s) return s;
  if (::unlink(p.c_str()) != 0 && errno != ENOENT) return io_error("unlink", p, errno);
  return {};
}

IoStatus FileIo::sync_dir(const std::filesystem::path& dir) {
  if (auto s = inject(IoOp::SyncDir, dir, 0, nullptr); !s) return s;
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open directory", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("fsync directory", dir, err);
  return {};
}

IoStatus FileIo::read_file(const std::filesystem::path& p, std::string& out) {
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("open", p, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return io_error("stat", p, err);
  }
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      ::close(fd);
      return io_error("read", p, err);
    }
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return {};
}

IoStatus FileIo::write_file_atomic(const std::filesystem::path& p, std::string_view data) {
  const auto tmp = std::filesystem::path(p.string() + ".tmp");
  int fd = -1;
  if (auto s = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, fd); !s) return s;
  IoStatus s = write_all(fd, tmp, data);
  if (s) s = datasync(fd, tmp);
  close(fd);
  if (s) s = rename(tmp, p);
  if (s) s = sync_dir(p.parent_path());
  if (!s) ::unlink(tmp.c_str());
  return s;
}

IoStatus FileIo::make_private_dir(const std::filesystem::path& dir) {
  if (auto s = inject(IoOp::MakeDir, dir, 0, nullptr); !s) return s;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io_error("create directory", dir, ec.value());
  if (::chmod(dir.c_str(), 0700) != 0) return io_error("chmod", dir, errno);
  return {};
}

std::vector<std::string> FileIo::list_dir(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
  return names;
}

bool FileIo::exists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

void FileIo::close(int fd) noexcept {
  if (fd >= 0) ::close(fd);
}

}  // namespace strata::io
