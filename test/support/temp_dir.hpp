// TempDir: a private directory per test (mkdtemp), removed afterwards. The
// database lives in db() = <root>/db so that the library creates it.
#pragma once

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace strata::test {

struct TempDir {
  std::filesystem::path root;
  /// `base`: where to create it (e.g. /dev/shm for tests that only need the
  /// bytes, not a real disk).
  explicit TempDir(const std::string& tag, const std::filesystem::path& base = "/tmp") {
    std::string tmpl = (base / ("strata-" + tag + "-XXXXXX")).string();
    BOOST_TEST_REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    root = tmpl;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  std::filesystem::path db() const { return root / "db"; }

  /// tmpfs (/dev/shm) when it is writable, else /tmp: for tests whose
  /// checks are about the bytes written, not the disk (Strict mode's
  /// fdatasync costs nothing there).
  static std::filesystem::path bytes_only_base() {
    std::error_code ec;
    return std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  }
};

}  // namespace strata::test
