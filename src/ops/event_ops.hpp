// Event-log operations (docs/guides/events.md), one struct each; see
// kv_ops.hpp for how they are run.
#pragma once

#include "commit/commit_request.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace strata::ops {

/// -> the event's sequence (assigned at commit: dense, from 1).
struct EventAppend {
  using Result = std::uint64_t;
  const detail::RunRef& run;
  std::string_view type;
  Value payload;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
  static Result finish(const commit::CommitOutcome& out) { return out.first_sequence; }
};

struct EventRead {
  using Result = std::optional<Event>;
  const detail::RunRef& run;
  std::uint64_t sequence;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<Result> read(detail::Engine& e) const;
};

struct EventReadByType {
  using Result = std::vector<Event>;
  const detail::RunRef& run;
  std::string_view type;
  std::optional<std::size_t> limit;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<Result> read(detail::Engine& e) const;
};

struct EventRange {
  using Result = std::vector<Event>;
  const detail::RunRef& run;
  std::uint64_t from;
  std::uint64_t to;
  std::optional<std::size_t> limit;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<Result> read(detail::Engine& e) const;
};

struct EventLen {
  using Result = std::uint64_t;
  const detail::RunRef& run;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<Result> read(detail::Engine& e) const;
};

struct EventVerify {
  using Result = EventVerification;
  const detail::RunRef& run;
  detail::Outcome<Result> read(detail::Engine& e) const;
};

}  // namespace strata::ops
