// AutoCommit — a single-operation commit (an auto-committed put, append,
// CAS, JSON edit ...) that owns its inputs, so the same prepared commit can
// run inline (sync facade) or wait in the coordinator's mailbox (async).
#pragma once

#include "actors/commit_record.hpp"
#include "runs/run_registry.hpp"

#include <memory>
#include <vector>

namespace strata::detail {

struct AutoCommit {
  const RunState* run = nullptr;
  std::shared_ptr<const RunState> keep_alive;  // set when the commit may outlive the caller's reference
  std::vector<actors::WriteIntent> writes;
  std::vector<actors::Expectation> expectations;
  std::vector<actors::EventIntent> events;
  std::vector<actors::JsonIntent> json;

  /// No read set: an auto-commit applies to the newest state, so its only
  /// conditions are the expectations.
  actors::CommitRequest request() {
    actors::CommitRequest r;
    r.run = run;
    r.expectations = expectations;
    r.writes = writes;
    r.events = events;
    r.json = json;
    return r;
  }
};

}  // namespace strata::detail
