#include "ops/run_replay.hpp"

#include "engine/op_driver.hpp"
#include "events/event_log.hpp"
#include "keys/key_rules.hpp"
#include "ops/run_ops.hpp"
#include "ops/run_relation.hpp"

#include <map>
#include <memory>
#include <set>

namespace strata::ops {

using detail::Outcome;
using keys::Primitive;

namespace {

/// One source commit as the replay applies it.
struct Step {
  std::vector<commit::WriteIntent> writes;  // suffixes until bound to the destination
  std::vector<commit::EventIntent> events;  // in sequence order
};

/// The source's commits up to `up_to`, by version: every key the run (or
/// an ancestor, up to the fork point) ever wrote, read through the layered
/// history.
std::map<Version, Step> plan(detail::Engine& e, const detail::RunState& source, Version up_to) {
  std::set<Suffix> keys;
  for (const detail::RunState* r = &source; r; r = r->parent.get()) own_keys(e, *r, std::nullopt, keys);
  const actors::ReadView view(e.shards(), source, up_to);
  std::map<Version, Step> steps;
  std::map<Version, std::map<std::uint64_t, commit::EventIntent>> events;  // version -> sequence -> event
  for (const Suffix& s : keys) {
    const auto kind = static_cast<Primitive>(s[0]);
    // The log head and type index follow from the appends; merge bases
    // describe the source's merges, not its content.
    if (kind == Primitive::EventHead || kind == Primitive::EventType || kind == Primitive::MergeBase) continue;
    const std::string key = in_run(source, s);
    for (const VersionedValue& v : view.history(key)) {
      if (kind == Primitive::Event) {
        Event ev;
        const std::uint64_t seq = events::sequence_of(key);
        if (!v.tombstone && events::decode_event(v.value, seq, v.timestamp_us, ev))
          events[v.version][seq] = commit::EventIntent{std::move(ev.type), Value(std::move(ev.payload))};
        continue;
      }
      // A TTL replays as a TTL, counted from the replayed commit.
      steps[v.version].writes.push_back({s, v.tombstone, v.tombstone ? Value() : v.value, v.ttl_ms.value_or(0)});
    }
  }
  for (auto& [version, by_seq] : events)
    for (auto& [seq, intent] : by_seq) steps[version].events.push_back(std::move(intent));
  return steps;
}

/// Binds a step to the destination run: storage keys of its own, records
/// before vectors (a vector write needs its collection).
commit::PreparedCommit bind_to(Step& step, const detail::RunRef& dest) {
  commit::PreparedCommit p;
  p.run = dest.get();
  p.keep_alive = dest;
  std::stable_partition(step.writes.begin(), step.writes.end(), [](const commit::WriteIntent& w) {
    return static_cast<Primitive>(w.key[0]) == Primitive::VectorCollection;
  });
  for (auto& w : step.writes) p.writes.push_back({in_run(*dest, w.key), w.tombstone, std::move(w.value), w.ttl_ms});
  for (auto& ev : step.events) p.events.push_back(std::move(ev));
  return p;
}

/// Counts a step's commit (a step whose writes changed nothing commits none).
void count(const commit::CommitOutcome& out, ReplayResult& result) {
  if (out.nothing_written) return;
  ++result.commits;
  result.version = out.version;
}

std::string stopped(const std::string& dest, const ReplayResult& result, const std::string& why) {
  return "replay into run \"" + dest + "\" stopped after " + std::to_string(result.commits) + " commits: " + why;
}

struct Prepared {
  std::map<Version, Step> steps;
  Version up_to = 0;
  Object metadata;
};

Outcome<Prepared> prepare(detail::Engine& e, const std::string& source, const std::string& dest,
                          std::optional<AsOf> up_to) {
  auto src = e.resolve_run(source);
  if (!src) return Outcome<Prepared>::fail(std::move(src));
  std::string detail;
  if (auto ec = keys::check_run_name(dest, &detail)) return Outcome<Prepared>::fail(ec, std::move(detail));
  auto version = e.resolve(up_to);
  if (!version) return Outcome<Prepared>::fail(std::move(version));
  Prepared p;
  p.up_to = version.value;
  p.steps = plan(e, *src.value, version.value);
  p.metadata = Object{{"replay_of", Value(source)}, {"up_to", Value(static_cast<std::int64_t>(version.value))}};
  return p;
}

/// The state of an asynchronous replay: the steps left, committed one
/// after another (each one's completion submits the next).
struct AsyncReplay {
  detail::Engine* e;
  Prepared prepared;
  std::map<Version, Step>::iterator next;
  detail::RunRef dest;
  ReplayResult result;
  detail::Completion<ReplayResult> done;
};

void step_async(std::shared_ptr<AsyncReplay> r) {
  if (r->next == r->prepared.steps.end()) return r->done({}, {}, std::move(r->result));
  commit::PreparedCommit p = bind_to(r->next->second, r->dest);
  ++r->next;
  detail::submit_commit_async(*r->e, std::move(p), [r](commit::CommitOutcome out) mutable {
    if (out.ec) return r->done(out.ec, stopped(r->dest->name(), r->result, out.detail), ReplayResult{});
    count(out, r->result);
    step_async(std::move(r));
  });
}

}  // namespace

Outcome<ReplayResult> replay_run(detail::Engine& e, const std::string& source, const std::string& dest,
                                 std::optional<AsOf> up_to) {
  auto prepared = prepare(e, source, dest, up_to);
  if (!prepared) return Outcome<ReplayResult>::fail(std::move(prepared));
  auto created = detail::execute(e, CreateRun{dest, prepared.value.metadata});
  if (!created) return Outcome<ReplayResult>::fail(std::move(created));
  auto run = e.resolve_run(dest);
  if (!run) return Outcome<ReplayResult>::fail(std::move(run));
  ReplayResult result{0, prepared.value.up_to, 0};
  for (auto& [version, step] : prepared.value.steps) {
    commit::PreparedCommit p = bind_to(step, run.value);
    const commit::CommitOutcome out = detail::submit_commit(e, p);
    if (out.ec) return Outcome<ReplayResult>::fail(out.ec, stopped(dest, result, out.detail));
    count(out, result);
  }
  return result;
}

void replay_run_async(detail::Engine& e, std::string source, std::string dest, std::optional<AsOf> up_to,
                      detail::Completion<ReplayResult> done) {
  auto prepared = prepare(e, source, dest, up_to);
  if (!prepared) return detail::complete(done, Outcome<ReplayResult>::fail(std::move(prepared)));
  auto r = std::make_shared<AsyncReplay>();
  r->e = &e;
  r->prepared = std::move(prepared.value);
  r->result.up_to = r->prepared.up_to;
  r->done = std::move(done);
  Object metadata = r->prepared.metadata;
  detail::execute_async(e, CreateRun{dest, std::move(metadata)},
                        detail::Completion<RunInfo>([r, dest](error_code ec, std::string detail, RunInfo) mutable {
                          if (ec) return r->done(ec, std::move(detail), ReplayResult{});
                          auto run = r->e->resolve_run(dest);
                          if (!run) return r->done(run.ec, std::move(run.detail), ReplayResult{});
                          r->dest = std::move(run.value);
                          r->next = r->prepared.steps.begin();
                          step_async(std::move(r));
                        }));
}

}  // namespace strata::ops
