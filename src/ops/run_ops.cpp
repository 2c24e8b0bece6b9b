#include "ops/run_ops.hpp"

#include "actors/coordinator.hpp"
#include "keys/key_rules.hpp"
#include "wal/log_records.hpp"

#include <atomic>

namespace strata::ops {

using detail::OwnerStep;
using detail::Outcome;

namespace {

std::string not_found(std::string_view name, const char* how) {
  return "run " + keys::quote_for_message(name) + " " + how;
}

/// Logs a run record as the coordinator's owner (nothing in memory).
actors::WalWriter::Ticket log_run_record(detail::Engine& e, wal::RecordType type, const std::string& payload) {
  return e.wal().persistent() ? e.coordinator().log_as_owner(type, payload) : 0;
}

/// "\"a\", \"b\"" (empty for none).
std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + keys::quote_for_message(n);
  return out;
}

/// Fails the step when the log is no longer writable (a sticky WAL error).
template <class T>
bool writable(detail::Engine& e, OwnerStep<T>& s) {
  s.ec = e.coordinator().check_writable(s.detail);
  return !s.ec;
}

/// Frees up to `max` chains of `prefix` in one shard step.
storage::ShardStore::Erased erase_step(actors::ShardActor& shard, const std::string& prefix) {
  constexpr std::size_t kChainsPerStep = 4096;
  return shard.with_owner([&](storage::ShardStore& s) { return s.erase_prefix(prefix, kChainsPerStep); });
}

}  // namespace

// ---- create / update --------------------------------------------------------

/// The database is open and `name` is a valid run name.
static error_code open_and_named(detail::Engine& e, std::string_view name, std::string& detail) {
  if (auto ec = e.check_open(detail)) return ec;
  return keys::check_run_name(name, &detail);
}

error_code CreateRun::check(detail::Engine& e, std::string& detail) const { return open_and_named(e, name, detail); }

/// Registers run `name` (a fork of `parent` at `fork_version` when parent
/// is set) and logs its RunCreate record: the shared tail of create and fork.
/// Returns the new run (nullptr with s.ec set: the name is taken).
static detail::RunRef register_run(detail::Engine& e, const std::string& name, const detail::RunRef& parent,
                                   Version fork_version, Object metadata, OwnerStep<RunInfo>& s) {
  error_code ec;
  detail::RunRef run = e.runs().fork(name, parent, fork_version, std::move(metadata), actors::wall_clock_us(), ec);
  if (ec) {
    s.ec = ec;
    s.detail = "run " + keys::quote_for_message(name) + " already exists";
    return nullptr;
  }
  std::string payload;
  wal::encode_run_create(run->id, run->info(), payload, parent ? parent->id : 0);
  s.ticket = log_run_record(e, wal::RecordType::RunCreate, payload);
  s.value = run->info();
  return run;
}

OwnerStep<RunInfo> CreateRun::as_owner(detail::Engine& e) {
  OwnerStep<RunInfo> s;
  if (writable(e, s)) register_run(e, name, nullptr, 0, std::move(metadata), s);
  return s;
}

error_code ForkRun::check(detail::Engine& e, std::string& detail) const {
  if (auto ec = open_and_named(e, source, detail)) return ec;
  return keys::check_run_name(name, &detail);
}

OwnerStep<RunInfo> ForkRun::as_owner(detail::Engine& e) {
  // As the coordinator's owner no commit is in flight, so the fork version
  // is exact, and every later commit of the parent is in its journal.
  OwnerStep<RunInfo> s;
  if (!writable(e, s)) return s;
  detail::RunRef parent = e.runs().find(source);
  if (!parent) {
    s.ec = make_error_code(errc::run_not_found);
    s.detail = not_found(source, "does not exist");
    return s;
  }
  // Now: every commit ordered so far, acknowledged or about to be — the
  // fork's completion waits for its log record, which follows theirs.
  auto version = at ? e.resolve(at) : Outcome<Version>(e.coordinator().last_assigned());
  if (!version) {
    s.ec = version.ec;
    s.detail = "fork of run " + keys::quote_for_message(source) + ": " + version.detail;
    return s;
  }
  if (register_run(e, name, parent, version.value, std::move(metadata), s))
    detail::ForkTracker::forked(*parent, e.coordinator().last_assigned());
  return s;
}

error_code UpdateRun::check(detail::Engine& e, std::string& detail) const { return open_and_named(e, name, detail); }

OwnerStep<RunInfo> UpdateRun::as_owner(detail::Engine& e) {
  OwnerStep<RunInfo> s;
  if (!writable(e, s)) return s;
  detail::RunRef run = e.runs().find(name);
  if (!run) {
    s.ec = make_error_code(errc::run_not_found);
    s.detail = not_found(name, "does not exist");
    return s;
  }
  const RunInfo info = run->update(status, std::move(metadata));
  std::string payload;
  wal::encode_run_update(run->id, info, payload);
  s.ticket = log_run_record(e, wal::RecordType::RunUpdate, payload);
  s.value = info;
  return s;
}

// ---- delete -------------------------------------------------------------------

error_code DeleteRun::check(detail::Engine& e, std::string& detail) const {
  if (auto ec = open_and_named(e, name, detail)) return ec;
  if (name != "default") return {};
  detail = "the \"default\" run cannot be deleted";
  return make_error_code(errc::run_is_default);
}

OwnerStep<std::size_t> DeleteRun::as_owner(detail::Engine& e) {
  // As the coordinator's owner no commit is in flight, and every later
  // commit to this run sees alive == false and fails.
  OwnerStep<std::size_t> s;
  if (!writable(e, s)) return s;
  const detail::RunRef run = e.runs().find(name);
  if (!run) {
    s.ec = make_error_code(errc::run_not_found);
    s.detail = not_found(name, "does not exist");
    return s;
  }
  // Forks read their parent's chains, so a parent goes only after them.
  if (const auto forks = quoted_list(e.runs().children_of(*run)); !forks.empty()) {
    s.ec = make_error_code(errc::run_has_children);
    s.detail = "run " + keys::quote_for_message(name) + " has forks " + forks + "; delete them first";
    return s;
  }
  removed = e.runs().remove(name);
  removed->alive.store(false, std::memory_order_release);
  e.vectors().drop_run(removed->id);
  std::string payload;
  wal::encode_run_delete(removed->id, payload);
  s.ticket = log_run_record(e, wal::RecordType::RunDelete, payload);
  return s;
}

void DeleteRun::finish(detail::Engine& e, std::size_t& removed_entries) {
  const std::string prefix = keys::run_prefix(removed->id);
  for (std::size_t i = 0; i < e.shards().size(); ++i)
    for (auto step = erase_step(e.shards()[i], prefix); step.chains > 0; step = erase_step(e.shards()[i], prefix))
      removed_entries += step.entities;
}

namespace {

/// The state of one asynchronous erasure: each shard erases in steps, each
/// step a message on its strand that queues the next; the last shard to
/// finish completes.
struct Erasure {
  std::string prefix;
  std::atomic<std::size_t> shards_left;
  std::atomic<std::size_t> entities{0};
  detail::Completion<std::size_t> done;
};

void erase_async(actors::ShardActor& shard, std::shared_ptr<Erasure> job) {
  shard.post([&shard, job](storage::ShardStore& s) {
    constexpr std::size_t kChainsPerStep = 4096;
    const auto step = s.erase_prefix(job->prefix, kChainsPerStep);
    job->entities.fetch_add(step.entities, std::memory_order_relaxed);
    if (step.chains > 0) return erase_async(shard, job);
    if (job->shards_left.fetch_sub(1, std::memory_order_acq_rel) == 1)
      job->done({}, {}, job->entities.load(std::memory_order_relaxed));
  });
}

}  // namespace

void DeleteRun::finish_async(detail::Engine& e, std::size_t, detail::Completion<std::size_t> c) {
  auto job = std::make_shared<Erasure>();
  job->prefix = keys::run_prefix(removed->id);
  job->shards_left = e.shards().size();
  job->done = std::move(c);
  for (std::size_t i = 0; i < e.shards().size(); ++i) erase_async(e.shards()[i], job);
}

// ---- reads ------------------------------------------------------------------------

Outcome<std::vector<RunInfo>> ListRuns::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (!(o.ec = e.check_open(o.detail))) o.value = e.runs().list();
  return o;
}

Outcome<RunInfo> GetRunInfo::read(detail::Engine& e) const {
  auto run = e.resolve_run(name);
  if (!run) return Outcome<RunInfo>::fail(std::move(run));
  return run.value->info();
}

Outcome<bool> RunExists::read(detail::Engine& e) const {
  Outcome<bool> o;
  if ((o.ec = e.check_open(o.detail)) || (o.ec = keys::check_run_name(name, &o.detail))) return o;
  o.value = e.runs().find(name) != nullptr;
  return o;
}

}  // namespace strata::ops
