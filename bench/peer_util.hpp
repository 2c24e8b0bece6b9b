// A scratch directory for the on-disk peers, removed afterwards.
#pragma once

#include "harness.hpp"

#include <filesystem>
#include <string>

namespace strata_bench {

/// A fresh empty directory under the system temp dir, removed on scope exit.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace strata_bench
