// State-cell operations (docs/guides/state.md). Conditions are coordinator
// expectations checked against the newest version at commit, so of two
// racing CAS calls on one version exactly one wins.
#pragma once

#include "commit/commit_request.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <optional>
#include <string_view>

namespace strata::ops {

/// One write of a cell, unconditional (set), if absent (init) or if its
/// version is `expected` (cas; nullopt expected = if absent).
struct StateWrite {
  enum class Mode : std::uint8_t { Set, Init, Cas };
  const detail::RunRef& run;
  std::string_view cell;
  Value value;
  Mode mode = Mode::Set;
  std::optional<Version> expected;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
};

/// -> the commit version.
struct StateSet : StateWrite {
  using Result = Version;
  StateSet(const detail::RunRef& r, std::string_view c, Value v) : StateWrite{r, c, std::move(v), Mode::Set, {}} {}
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};
/// -> the new version, or the existing one (no write) when the cell is set.
struct StateInit : StateWrite {
  using Result = Version;
  StateInit(const detail::RunRef& r, std::string_view c, Value v) : StateWrite{r, c, std::move(v), Mode::Init, {}} {}
  static Result finish(const commit::CommitOutcome& out) {
    return out.expectation_failed ? out.existing_version : out.version;
  }
};
/// -> the new version, or nullopt on a version mismatch (no write).
struct StateCas : StateWrite {
  using Result = std::optional<Version>;
  StateCas(const detail::RunRef& r, std::string_view c, std::optional<Version> exp, Value v)
      : StateWrite{r, c, std::move(v), Mode::Cas, exp} {}
  static Result finish(const commit::CommitOutcome& out) {
    if (out.expectation_failed) return std::nullopt;
    return out.version;
  }
};

/// -> the cell's value with the version that wrote it, or nullopt.
struct StateRead {
  using Result = std::optional<VersionedValue>;
  const detail::RunRef& run;
  std::string_view cell;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<std::string> point(detail::Engine& e) const;
  static Result project(const mvcc::VersionNode* node) { return mvcc::live_versioned(node); }
};

}  // namespace strata::ops
