// replay_run (docs/guides/replay.md): rebuilds a new run by re-applying
// another run's committed writes in commit order, one commit per source
// commit, up to a point.
//
// The source's history is read from its version chains (every version is
// kept; a fork's history includes its parent's up to the fork point): per
// commit version, the values and tombstones it wrote to KV keys, state
// cells, JSON documents (whole documents), vector collections and vectors,
// and the events it appended (re-appended: the replay's log has the same
// sequences, types and payloads, at new times with new hashes). The replay
// therefore holds the source's content at that point in every primitive —
// run_digest says so — while its own history has the same steps.
//
// Not atomic as a whole: a replay interrupted (a crash, a failed commit)
// leaves the commits made so far; delete the run and replay again.
#pragma once

#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/detail/completion.hpp>
#include <strata/types.hpp>

#include <optional>
#include <string>

namespace strata::ops {

/// Errors: run_not_found (source), run_exists / invalid_run_name (dest),
/// invalid_input (up_to after the newest commit), and those of a commit.
detail::Outcome<ReplayResult> replay_run(detail::Engine& e, const std::string& source, const std::string& dest,
                                         std::optional<AsOf> up_to);
void replay_run_async(detail::Engine& e, std::string source, std::string dest, std::optional<AsOf> up_to,
                      detail::Completion<ReplayResult> done);

/// replay_run as an operation, for the front ends (the drivers below).
struct ReplayRun {
  using Result = ReplayResult;
  std::string source;
  std::string dest;
  std::optional<AsOf> up_to{};
};

}  // namespace strata::ops

namespace strata::detail {

// A replay is many commits, not one of the driver's kinds: its own drivers.
inline Outcome<ReplayResult> execute(Engine& e, ops::ReplayRun op) {
  return ops::replay_run(e, op.source, op.dest, op.up_to);
}
inline void execute_async(Engine& e, ops::ReplayRun op, Completion<ReplayResult> c) {
  ops::replay_run_async(e, std::move(op.source), std::move(op.dest), op.up_to, std::move(c));
}

}  // namespace strata::detail
