// Run-lifecycle operations (docs/guides/runs.md). Changes run as the
// coordinator's owner — no commit is in flight meanwhile — and log a record
// of their own; they are applied immediately, never inside a transaction.
// Asynchronous forms own their inputs (they may wait in the coordinator's
// queue).
#pragma once

#include "engine/commit_driver.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/types.hpp>

#include <optional>
#include <string>
#include <vector>

namespace strata::ops {

/// -> the new run's info. Errors: invalid_run_name, run_exists.
struct CreateRun {
  using Result = RunInfo;
  std::string name;
  Object metadata;
  error_code check(detail::Engine& e, std::string& detail) const;
  detail::OwnerStep<Result> as_owner(detail::Engine& e);
};

/// Forks run `source` into a new run `name` whose content is the source's
/// at `at` (unset: the newest visible commit) in every primitive; nothing is
/// copied — the fork reads its parent's chains at the fork version beneath
/// its own writes (actors/read_view.hpp). -> the fork's info (parent and
/// fork_version set). Errors: invalid_run_name, run_not_found (source),
/// run_exists (name), invalid_input (at after the newest commit).
struct ForkRun {
  using Result = RunInfo;
  std::string source;
  std::string name;
  std::optional<AsOf> at;
  Object metadata;
  error_code check(detail::Engine& e, std::string& detail) const;
  detail::OwnerStep<Result> as_owner(detail::Engine& e);
};

/// Updates status and/or metadata (unset: keep). -> the updated info.
struct UpdateRun {
  using Result = RunInfo;
  std::string name;
  std::optional<RunStatus> status;
  std::optional<Object> metadata;
  error_code check(detail::Engine& e, std::string& detail) const;
  detail::OwnerStep<Result> as_owner(detail::Engine& e);
};

/// Deletes a run and all of its data. -> the number of entries removed:
/// live KV keys, state cells, JSON documents and events (internal keys such
/// as the event-log head and type index are not counted). The run is gone
/// (commits to it fail, its name is free) once the deletion is logged; its
/// data is then freed in bounded steps — inline for the synchronous form,
/// as messages on the shards' strands for the asynchronous one, so its
/// initiation never waits for a large run to be erased.
/// Errors: run_is_default, run_not_found, invalid_run_name,
/// run_has_children (the run has forks: they read its data).
struct DeleteRun {
  using Result = std::size_t;
  std::string name;
  detail::RunRef removed;  // set by as_owner
  error_code check(detail::Engine& e, std::string& detail) const;
  detail::OwnerStep<Result> as_owner(detail::Engine& e);
  void finish(detail::Engine& e, Result& removed_entries);
  void finish_async(detail::Engine& e, Result, detail::Completion<Result> c);
};

struct ListRuns {
  using Result = std::vector<RunInfo>;
  detail::Outcome<Result> read(detail::Engine& e) const;
};

struct GetRunInfo {
  using Result = RunInfo;
  std::string_view name;
  detail::Outcome<Result> read(detail::Engine& e) const;
};

struct RunExists {
  using Result = bool;
  std::string_view name;
  detail::Outcome<Result> read(detail::Engine& e) const;
};

}  // namespace strata::ops
