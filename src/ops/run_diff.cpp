#include "ops/run_diff.hpp"

#include "json/path.hpp"
#include "keys/storage_key.hpp"
#include "ops/event_reads.hpp"
#include "ops/run_relation.hpp"
#include "vector/layout.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace strata::ops {

using detail::Outcome;

namespace {

using keys::Primitive;

/// Every live entry of a run (layered), as suffixes.
void live_keys(const actors::ReadView& view, std::set<Suffix>& out) {
  view.each_live(keys::run_prefix(view.run().id),
                 [&](const std::string& key, const Value&) { out.insert(key.substr(4)); });
}

using Collections = std::map<vector::CollectionId, std::pair<std::string, vector::CollectionRecord>>;

Collections collections_of(const actors::ReadView& view) {
  Collections out;
  view.each_live(vector::collections_prefix(view.run().id), [&](const std::string& key, const Value& v) {
    vector::CollectionRecord record;
    if (vector::decode_record(v, record))
      out[record.id] = {std::string(keys::user_key_of(key)), record};
  });
  return out;
}

std::optional<vector::CollectionId> id_named(const Collections& cs, std::string_view name) {
  for (const auto& [id, entry] : cs)
    if (entry.first == name) return id;
  return std::nullopt;
}

Value collection_value(const vector::CollectionRecord& r) {
  return Value::object({{"dimension", static_cast<std::int64_t>(r.dimension)},
                        {"metric", std::string(metric_name(r.metric))},
                        {"m", static_cast<std::int64_t>(r.options.m)},
                        {"ef_construction", static_cast<std::int64_t>(r.options.ef_construction)}});
}

Value vector_value(const Value& stored) {
  Array floats;
  for (float f : vector::decode_floats(stored)) floats.emplace_back(static_cast<double>(f));
  const Value* meta = vector::metadata_of(stored);
  return Value::object({{"vector", Value(std::move(floats))}, {"metadata", meta ? *meta : Value()}});
}

void compare(const actors::ReadView& va, const actors::ReadView& vb, std::string_view suffix,
             std::vector<EntryChange>& out, bool json) {
  auto a = va.get(in_run(va.run(), suffix));
  auto b = vb.get(in_run(vb.run(), suffix));
  if (a == b) return;
  EntryChange c{std::string(suffix.substr(1)), {}, std::move(a), std::move(b), {}};
  if (json && c.a && c.b) c.paths = changed_paths(*c.a, *c.b);
  out.push_back(std::move(c));
}

void diff_vectors(const actors::ReadView& va, const actors::ReadView& vb, const std::set<Suffix>& keys, bool all,
                  RunDiff& d) {
  const Collections ca = collections_of(va), cb = collections_of(vb);
  // Collections: their records, by name.
  std::map<std::string, std::pair<const vector::CollectionRecord*, const vector::CollectionRecord*>> by_name;
  for (const auto& [id, e] : ca) by_name[e.first].first = &e.second;
  for (const auto& [id, e] : cb) by_name[e.first].second = &e.second;
  std::set<std::pair<std::string, std::string>> vectors;  // (collection, key) to compare
  for (const auto& [name, pair] : by_name) {
    const auto& [ra, rb] = pair;
    std::optional<Value> a = ra ? std::optional<Value>(collection_value(*ra)) : std::nullopt;
    std::optional<Value> b = rb ? std::optional<Value>(collection_value(*rb)) : std::nullopt;
    if (a != b) d.collections.push_back({name, {}, a, b, {}});
    // A collection on one side only, or a different one under the name:
    // every vector of it differs, whatever the change sets say.
    if (all || !ra || !rb || ra->id != rb->id)
      for (const auto* r : {ra, rb}) {
        if (!r) continue;
        const auto& view = r == ra ? va : vb;
        const std::string prefix = vector::vectors_prefix(view.run().id, r->id);
        view.each_live(prefix, [&](const std::string& key, const Value&) {
          vectors.insert({name, std::string(vector::user_key_of(key))});
        });
      }
  }
  for (const Suffix& s : keys) {
    if (static_cast<Primitive>(s[0]) != Primitive::Vector) continue;
    const std::string key = in_run(va.run(), s);
    const auto id = vector::id_of(key);
    const auto* named = ca.contains(id) ? &ca.at(id) : cb.contains(id) ? &cb.at(id) : nullptr;
    if (named) vectors.insert({named->first, std::string(vector::user_key_of(key))});
  }
  for (const auto& [name, key] : vectors) {
    auto read = [&](const actors::ReadView& view, const Collections& cs) -> std::optional<Value> {
      const auto id = id_named(cs, name);
      return id ? view.get(vector::vector_key(view.run().id, *id, key)) : std::nullopt;
    };
    auto a = read(va, ca), b = read(vb, cb);
    if (a == b) continue;
    d.vectors.push_back({key, name, a ? std::optional<Value>(vector_value(*a)) : std::nullopt,
                         b ? std::optional<Value>(vector_value(*b)) : std::nullopt, {}});
  }
}

void diff_events(detail::Engine& e, const actors::ReadView& va, const actors::ReadView& vb,
                 const std::optional<Relation>& r, RunDiff& d) {
  const std::uint64_t len_a = event_len(va), len_b = event_len(vb);
  if (r) {
    const actors::ReadView base(e.shards(), *r->ancestor, std::min(va.snapshot(), r->fork));
    d.common_events = std::min({event_len(base), len_a, len_b});
  } else {  // the longest common prefix of the two hash chains
    std::uint64_t n = 0;
    while (n < std::min(len_a, len_b)) {
      auto x = event_at(va, n + 1), y = event_at(vb, n + 1);
      if (!x || !y || x->hash != y->hash) break;
      ++n;
    }
    d.common_events = n;
  }
  if (len_a > d.common_events) d.events_a = event_range(va, d.common_events + 1, len_a, events::kNoLimit);
  if (len_b > d.common_events) d.events_b = event_range(vb, d.common_events + 1, len_b, events::kNoLimit);
}

void append_paths(const Value& a, const Value& b, json::Path& path, std::vector<json::Path>& out) {
  if (a == b) return;
  if (a.is_object() && b.is_object()) {
    std::set<std::string> names;
    for (const auto& [k, v] : a.as_object()) names.insert(k);
    for (const auto& [k, v] : b.as_object()) names.insert(k);
    for (const std::string& k : names) {
      path.segments.push_back({json::PathSegment::Kind::Field, k, 0});
      const auto ia = a.as_object().find(k), ib = b.as_object().find(k);
      if (ia == a.as_object().end() || ib == b.as_object().end()) out.push_back(path);
      else append_paths(ia->second, ib->second, path, out);
      path.segments.pop_back();
    }
    return;
  }
  if (a.is_array() && b.is_array() && a.as_array().size() == b.as_array().size()) {
    for (std::size_t i = 0; i < a.as_array().size(); ++i) {
      path.segments.push_back({json::PathSegment::Kind::Index, {}, static_cast<std::int64_t>(i)});
      append_paths(a.as_array()[i], b.as_array()[i], path, out);
      path.segments.pop_back();
    }
    return;
  }
  out.push_back(path);
}

}  // namespace

std::vector<json::Path> changed_json_paths(const Value& a, const Value& b) {
  std::vector<json::Path> out;
  json::Path root;
  append_paths(a, b, root, out);
  return out;
}

std::vector<std::string> changed_paths(const Value& a, const Value& b) {
  std::vector<std::string> out;
  for (const json::Path& p : changed_json_paths(a, b)) out.push_back(json::format_path(p));
  return out;
}

Outcome<RunDiff> DiffRuns::read(detail::Engine& e) const {
  auto ra = e.resolve_run(a);
  if (!ra) return Outcome<RunDiff>::fail(std::move(ra));
  auto rb = e.resolve_run(b);
  if (!rb) return Outcome<RunDiff>::fail(std::move(rb));
  auto snapshot = e.resolve(as_of);
  if (!snapshot) return Outcome<RunDiff>::fail(std::move(snapshot));
  const actors::ReadView va = e.view_as_of(*ra.value, as_of, snapshot.value),
                         vb = e.view_as_of(*rb.value, as_of, snapshot.value);
  RunDiff d;
  d.a = std::string(a);
  d.b = std::string(b);
  d.version = snapshot.value;

  std::optional<Relation> relation;
  if (ra.value != rb.value) {
    relation = descends(*rb.value, *ra.value);
    if (!relation) relation = descends(*ra.value, *rb.value);
  }
  std::set<Suffix> keys;
  if (relation) {
    d.fork_version = relation->fork;
    keys = change_candidates(e, *relation, snapshot.value);
  } else if (ra.value != rb.value) {
    live_keys(va, keys);
    live_keys(vb, keys);
  }
  for (const Suffix& s : keys) {
    switch (static_cast<Primitive>(s[0])) {
      case Primitive::Kv: compare(va, vb, s, d.kv, false); break;
      case Primitive::State: compare(va, vb, s, d.state, false); break;
      case Primitive::Json: compare(va, vb, s, d.json, true); break;
      default: break;  // events by sequence below; vectors by collection
    }
  }
  diff_vectors(va, vb, keys, !relation && ra.value != rb.value, d);
  diff_events(e, va, vb, relation, d);
  return d;
}

}  // namespace strata::ops
