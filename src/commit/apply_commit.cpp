#include "commit/apply_commit.hpp"

namespace strata::commit {

namespace {

std::string apply_events(CommitEntry& c, ApplyTarget& target) {
  const std::string head_key = events::head_key(c.run);
  const auto stored = target.latest(head_key);
  events::Head head = events::decode_head(stored ? &*stored : nullptr);
  for (AppendedEvent& e : c.events) {
    if (e.sequence != head.length + 1)
      return "event sequence " + std::to_string(e.sequence) + " follows " + std::to_string(head.length);
    head = {e.sequence, e.hash};
    target.install(events::type_index_key(c.run, e.type, e.sequence), c.version, c.timestamp_us, false, Value(), 0);
    // The type stays in the entry for observers; the payload moves.
    target.install(events::event_key(c.run, e.sequence), c.version, c.timestamp_us, false,
                   events::encode_event(e.type, std::move(e.payload), e.hash), 0);
  }
  target.install(head_key, c.version, c.timestamp_us, false, events::encode_head(head), 0);
  return {};
}

std::string apply_patch(const CommitEntry& c, JsonPatch& p, ApplyTarget& target) {
  json::Document doc;
  if (p.result) {
    doc = std::move(*p.result);
  } else {
    if (auto v = target.latest(p.key)) doc = {true, std::move(*v)};
    std::string why;
    if (!json::apply_resolved(doc, p.edits, why)) return why;
  }
  target.install(p.key, c.version, c.timestamp_us, !doc.exists, std::move(doc.value), 0);
  return {};
}

}  // namespace

std::string apply_commit(CommitEntry& c, ApplyTarget& target, std::span<CommitObserver* const> observers) {
  for (WriteIntent& w : c.writes)
    target.install(w.key, c.version, c.timestamp_us, w.tombstone, std::move(w.value), w.ttl_ms);
  if (!c.events.empty())
    if (auto bad = apply_events(c, target); !bad.empty()) return bad;
  for (JsonPatch& p : c.patches)
    if (auto bad = apply_patch(c, p, target); !bad.empty()) return bad;
  for (CommitObserver* o : observers) o->on_commit(c);
  return {};
}

}  // namespace strata::commit
