// run_digest: a SHA-256 of a run's content at a version — equal for equal
// content however it was produced (written directly, replayed, forked), so
// it is the check that a replay or a fork reproduced a run exactly.
//
// Canonical, not a hash of the log: what is hashed is what readers see —
// every live KV pair, event, state cell and JSON document, and every vector
// collection with its vectors — in a fixed order and framing
// (docs/guides/runs.md, "Digests"). Versions, commit timestamps, the run's
// name, id and metadata, and internal ids (a collection's id) are left out;
// the event log's own hashes and timestamps are part of each event, so they
// count. Internal keys that are derived from others (the event-log head, the
// per-type index) are skipped.
#pragma once

#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/types.hpp>

#include <optional>
#include <string>

namespace strata::ops {

/// -> the digest of run `name` at `as_of` (default: the newest visible
/// commit). Errors: run_not_found, invalid_run_name, invalid_input (a point
/// after the newest commit).
struct DigestRun {
  using Result = RunDigest;
  std::string_view name;
  std::optional<AsOf> as_of;
  detail::Outcome<Result> read(detail::Engine& e) const;
};

}  // namespace strata::ops
