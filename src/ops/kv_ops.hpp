// KV operations (docs/guides/kv.md), one struct each; the drivers in
// engine/op_driver.hpp run them synchronously or asynchronously. Views
// (string_view) need only live until the operation's initiation returns:
// the driver copies what must outlive it.
#pragma once

#include "commit/commit_request.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace strata::ops {

/// Creates or overwrites a key. -> the commit version.
struct KvPut {
  using Result = Version;
  const detail::RunRef& run;
  std::string_view key;
  Value value;
  PutOptions options{};
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};

/// -> the live value, or nullopt.
struct KvGet {
  using Result = std::optional<Value>;
  const detail::RunRef& run;
  std::string_view key;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<std::string> point(detail::Engine& e) const;
  static Result project(const mvcc::VersionNode* node) { return mvcc::live_value(node); }
};

/// Deletes a key. -> whether it existed (deleting an absent key writes nothing).
struct KvDelete {
  using Result = bool;
  const detail::RunRef& run;
  std::string_view key;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
  static Result finish(const commit::CommitOutcome& out) { return !out.expectation_failed; }
};

/// -> one page of keys under `prefix`, in byte order.
struct KvList {
  using Result = KeyPage;
  const detail::RunRef& run;
  std::string_view prefix;
  PageRequest page;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<Result> read(detail::Engine& e) const;
};


}  // namespace strata::ops
