#include "ops/run_merge.hpp"

#include "json/document_edit.hpp"
#include "keys/key_rules.hpp"
#include "ops/event_reads.hpp"
#include "ops/run_diff.hpp"
#include "ops/run_relation.hpp"

#include <algorithm>

namespace strata::ops {

using detail::Outcome;
using keys::Primitive;

namespace {

std::string describe(Primitive p, std::string_view suffix) {
  const std::string key = keys::quote_for_message(suffix.substr(1));
  switch (p) {
    case Primitive::Kv: return "kv " + key;
    case Primitive::State: return "state " + key;
    case Primitive::Json: return "json " + key;
    case Primitive::VectorCollection: return "collection " + key;
    default: return "vector " + keys::quote_for_message(suffix.substr(9));  // tag + collection id
  }
}

std::optional<Value> at(const Value& doc, const json::Path& p) {
  const Value* v = json::find(doc, p);
  return v ? std::optional<Value>(*v) : std::nullopt;
}

/// The source's changed paths that collide with the target's: overlapping
/// a path the target changed, with a different result there.
std::vector<json::Path> colliding(const Value& base, const Value& source, const Value& target) {
  const auto theirs = changed_json_paths(base, target);
  std::vector<json::Path> out;
  for (const json::Path& p : changed_json_paths(base, source)) {
    if (at(source, p) == at(target, p)) continue;  // the same change on both sides
    if (std::any_of(theirs.begin(), theirs.end(), [&](const json::Path& q) { return json::overlaps(p, q); }))
      out.push_back(p);
  }
  return out;
}

/// The target's document with the source's changes since the base applied,
/// path by path (the paths do not overlap the target's own changes).
Value merged_document(const Value& base, const Value& source, Value target) {
  for (const json::Path& p : changed_json_paths(base, source)) {
    if (const Value* v = json::find(source, p)) {
      std::string ignored;
      (void)json::set(target, p, *v, nullptr, &ignored);
    } else {
      (void)json::erase(target, p, nullptr);
    }
  }
  return target;
}

/// The target's record of its last merge from `source`: the source's
/// version and event count then (nullopt: never merged).
struct MergeBase {
  Version version = 0;
  std::uint64_t events = 0;
};

std::string merge_base_key(const detail::RunState& target, const detail::RunState& source) {
  std::string id;
  keys::append_run_prefix(id, source.id);
  return keys::storage_key(target.id, Primitive::MergeBase, id);
}

std::optional<MergeBase> merge_base_of(const actors::ReadView& target, const std::string& key) {
  auto v = target.get(key);
  if (!v || !v->is_object()) return std::nullopt;
  const Object& o = v->as_object();
  auto version = o.find("version"), events = o.find("events");
  if (version == o.end() || events == o.end() || !version->second.is_int() || !events->second.is_int())
    return std::nullopt;
  return MergeBase{static_cast<Version>(version->second.as_int()), static_cast<std::uint64_t>(events->second.as_int())};
}

std::string conflict_list(const std::vector<std::string>& conflicts) {
  constexpr std::size_t kShown = 20;
  std::string out;
  for (std::size_t i = 0; i < conflicts.size() && i < kShown; ++i) out += (i ? ", " : "") + conflicts[i];
  if (conflicts.size() > kShown) out += " and " + std::to_string(conflicts.size() - kShown) + " more";
  return out;
}

}  // namespace

Outcome<commit::PreparedCommit> MergeRun::prepare(detail::Engine& e) {
  using R = Outcome<commit::PreparedCommit>;
  auto src = e.resolve_run(source);
  if (!src) return R::fail(std::move(src));
  auto tgt = e.resolve_run(target);
  if (!tgt) return R::fail(std::move(tgt));
  if (src.value == tgt.value)
    return detail::fail<commit::PreparedCommit>(errc::invalid_input, "merge of run " + keys::quote_for_message(source) + " into itself");
  std::optional<Relation> rel = descends(*src.value, *tgt.value);
  if (!rel) rel = descends(*tgt.value, *src.value);
  if (!rel)
    return detail::fail<commit::PreparedCommit>(
        errc::invalid_input, "runs " + keys::quote_for_message(source) + " and " + keys::quote_for_message(target) +
                                 " have no common base: merge needs one to descend from the other (fork_run)");

  const Version snapshot = e.visible();
  const actors::ReadView vs(e.shards(), *src.value, snapshot), vt(e.shards(), *tgt.value, snapshot);
  // The base: the source as the target last merged it, else the common
  // ancestor at the fork point.
  const std::string base_key = merge_base_key(*tgt.value, *src.value);
  const std::optional<MergeBase> merged = merge_base_of(vt, base_key);
  const actors::ReadView base = merged ? actors::ReadView(e.shards(), *src.value, merged->version)
                                       : actors::ReadView(e.shards(), *rel->ancestor, std::min(snapshot, rel->fork));
  summary = MergeResult{0, merged ? merged->version : rel->fork, 0, 0, {}};

  commit::PreparedCommit p;
  p.run = tgt.value.get();
  p.keep_alive = tgt.value;
  p.read_set = std::make_unique<commit::ReadSet>();
  p.read_set->snapshot = snapshot;
  std::vector<std::string> conflicts;
  std::vector<commit::WriteIntent> collections, others;  // records first: a vector write needs its collection
  for (const Suffix& s : change_candidates(e, *rel, snapshot)) {
    const auto kind = static_cast<Primitive>(s[0]);
    if (kind == Primitive::Event || kind == Primitive::EventHead || kind == Primitive::EventType ||
        kind == Primitive::MergeBase)
      continue;
    const std::string target_key = in_run(*tgt.value, s);
    auto sv = vs.get(in_run(*src.value, s));
    auto tv = vt.get(target_key);
    if (sv == tv) continue;
    auto bv = base.get(in_run(base.run(), s));
    if (sv == bv) continue;  // only the target changed it
    p.read_set->reads.push_back(target_key);
    std::optional<Value> write = sv;
    if (tv != bv) {  // both changed it, differently
      const auto collisions = kind == Primitive::Json && sv && tv && bv ? colliding(*bv, *sv, *tv)
                                                                         : std::vector<json::Path>{};
      if (kind == Primitive::Json && sv && tv && bv && collisions.empty()) {
        write = merged_document(*bv, *sv, *tv);
        if (write == tv) continue;  // the target holds the source's changes already
      } else {
        std::string what = describe(kind, s);
        if (!collisions.empty()) {
          what += " at";
          for (const auto& path : collisions) what += " " + json::format_path(path);
        }
        conflicts.push_back(what);
        if (strategy == MergeStrategy::TargetWins) {
          summary.resolved.push_back(std::move(conflicts.back()));
          continue;
        }
        if (strategy == MergeStrategy::SourceWins) {
          summary.resolved.push_back(conflicts.back());
          // A document keeps the target's other changes; the source's win.
          if (kind == Primitive::Json && sv && tv && bv) write = merged_document(*bv, *sv, *tv);
        }
      }
    }
    auto& into = kind == Primitive::VectorCollection ? collections : others;
    into.push_back({target_key, !write, write ? std::move(*write) : Value()});
  }
  if (strategy == MergeStrategy::FailOnConflict && !conflicts.empty())
    return detail::fail<commit::PreparedCommit>(
        errc::merge_conflict, std::to_string(conflicts.size()) + " conflicting change" + (conflicts.size() == 1 ? "" : "s") +
                                  " merging run " + keys::quote_for_message(source) + " into " +
                                  keys::quote_for_message(target) + " (both changed since version " +
                                  std::to_string(rel->fork) + "): " + conflict_list(conflicts) + "; nothing was written");
  summary.entries = collections.size() + others.size();
  for (auto& w : collections) p.writes.push_back(std::move(w));
  for (auto& w : others) p.writes.push_back(std::move(w));

  // The source's events after those already in the target, in order.
  const std::uint64_t common = merged ? merged->events : event_len(base), len = event_len(vs);
  if (len > common)
    for (Event& ev : event_range(vs, common + 1, len, events::kNoLimit))
      p.events.push_back({std::move(ev.type), Value(std::move(ev.payload))});
  summary.events = p.events.size();
  // Nothing to apply: no commit (and no new merge base).
  if (p.writes.empty() && p.events.empty()) return p;
  // The next merge from this source starts here. Part of the same commit,
  // so it is exactly as durable as the merge, and forks of the target
  // inherit it.
  p.read_set->reads.push_back(base_key);
  p.writes.push_back({base_key, false,
                      Value::object({{"version", static_cast<std::int64_t>(snapshot)},
                                     {"events", static_cast<std::int64_t>(len)}})});
  return p;
}

}  // namespace strata::ops
