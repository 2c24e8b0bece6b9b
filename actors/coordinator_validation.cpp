// Coordinator: the checks a commit passes before anything is written — the
// read set, JSON paths, listed ranges and expectations, all against the
// newest state (published or not). Everything here runs as the
// coordinator's owner.
#include "actors/coordinator.hpp"

#include "actors/read_view.hpp"
#include "keys/key_rules.hpp"

namespace strata::actors {

namespace {
std::string quoted_user_key(std::string_view storage_key) { return keys::quote_for_message(keys::user_key_of(storage_key)); }
}  // namespace

bool Coordinator::conditions_hold(const CommitRequest& request, CommitOutcome& out) {
  if (!request.run->alive.load(std::memory_order_acquire)) {
    out.ec = make_error_code(errc::run_not_found);
    out.detail = "run \"" + request.run->name() + "\" was deleted";
    return false;
  }
  if ((out.ec = check_writable(out.detail))) return false;
  if (!read_before_fork(request, out.detail) || (!request.reads.empty() && !read_set_valid(request, out.detail)) ||
      (!request.json_reads.empty() && !json_reads_valid(request, out.detail)) ||
      (!request.ranges.empty() && !ranges_valid(request, out.detail))) {
    conflicts_.fetch_add(1, std::memory_order_relaxed);
    out.ec = make_error_code(errc::transaction_conflict);
    return false;
  }
  return request.expectations.empty() || expectations_hold(request, out);
}

bool Coordinator::read_before_fork(const CommitRequest& request, std::string& detail) {
  // A fork's parent layer is frozen at the fork version, so validation only
  // looks at the fork's own chains — which is exact only for snapshots at
  // or after the fork point. A fork made while commits were still being
  // acknowledged can be read at an older snapshot; such reads are refused.
  const auto& run = *request.run;
  if (!run.parent || request.snapshot >= run.fork_version) return true;
  if (request.reads.empty() && request.json_reads.empty() && request.ranges.empty()) return true;
  detail = "run \"" + run.name() + "\" was read at version " + std::to_string(request.snapshot) +
           ", before its fork point (version " + std::to_string(run.fork_version) + ")";
  return false;
}

bool Coordinator::read_set_valid(const CommitRequest& request, std::string& detail) {
  const ReadView newest(shards_, *request.run, ReadView::kNewest);
  for (const std::string& key : request.reads) {
    const Version latest = newest.latest_version(key);
    if (latest > request.snapshot) {
      detail = "key " + quoted_user_key(key) + " was read at version " + std::to_string(request.snapshot) +
               " and changed at version " + std::to_string(latest) + " by another transaction";
      return false;
    }
  }
  return true;
}

bool Coordinator::json_reads_valid(const CommitRequest& request, std::string& detail) {
  const ReadView newest(shards_, *request.run, ReadView::kNewest);
  for (const JsonRead& r : request.json_reads) {
    const Version changed_at = newest.find_newer(
        r.key, request.snapshot, [&](Version v) { return json_changes_.overlaps(v, r.key, r.path); });
    if (changed_at) {
      detail = "path " + json::format_path(r.path) + " of JSON document " + quoted_user_key(r.key) +
               " was read at version " + std::to_string(request.snapshot) + " and an overlapping path changed at version " +
               std::to_string(changed_at) + " by another transaction";
      return false;
    }
  }
  return true;
}

bool Coordinator::ranges_valid(const CommitRequest& request, std::string& detail) {
  const ReadView newest(shards_, *request.run, ReadView::kNewest);
  for (const ReadRange& r : request.ranges) {
    if (auto key = newest.first_written_after(r.prefix, r.from, r.to, request.snapshot)) {
      detail = "a listing of prefix " + quoted_user_key(r.prefix) + " at version " + std::to_string(request.snapshot) +
               " no longer holds: key " + quoted_user_key(*key) + " was written by another transaction since";
      return false;
    }
  }
  return true;
}

bool Coordinator::expectations_hold(const CommitRequest& request, CommitOutcome& out) {
  const ReadView newest(shards_, *request.run, ReadView::kNewest);
  for (const Expectation& e : request.expectations) {
    const auto [live, latest] = newest.latest(e.key);
    bool holds = false;
    switch (e.kind) {
      case Expectation::Kind::Live: holds = live; break;
      case Expectation::Kind::Absent: holds = !live; break;
      case Expectation::Kind::VersionIs: holds = live && latest == e.version; break;
      case Expectation::Kind::NewestIs: holds = latest == e.version; break;
    }
    if (!holds) {
      if (e.on_failure != errc::ok) {
        out.ec = make_error_code(e.on_failure);
        out.detail = e.failure_detail;
        return false;
      }
      out.expectation_failed = true;
      out.existing_version = live ? latest : 0;
      return false;
    }
  }
  return true;
}

}  // namespace strata::actors
