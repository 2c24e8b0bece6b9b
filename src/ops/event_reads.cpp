#include "ops/event_reads.hpp"

#include "events/event_log.hpp"

#include <algorithm>

namespace strata::ops {

std::uint64_t event_len(const actors::ReadView& view) {
  const auto head = view.get(events::head_key(view.run().id));
  return events::decode_head(head ? &*head : nullptr).length;
}

std::optional<Event> event_at(const actors::ReadView& view, std::uint64_t seq) {
  auto stored = view.get_versioned(events::event_key(view.run().id, seq));
  Event e;
  if (!stored || !events::decode_event(stored->value, seq, stored->timestamp_us, e)) return std::nullopt;
  return e;
}

std::vector<Event> event_range(const actors::ReadView& view, std::uint64_t from, std::uint64_t to, std::size_t limit) {
  std::vector<Event> out;
  const std::uint64_t last = std::min(to, event_len(view));
  for (std::uint64_t seq = from; seq <= last && out.size() < limit; ++seq)
    if (auto e = event_at(view, seq)) out.push_back(std::move(*e));
  return out;
}

std::vector<Event> events_of_type(const actors::ReadView& view, std::string_view type, std::size_t limit) {
  // The per-type index lists the sequences in order; each event is then one
  // point read.
  const std::string prefix = events::type_index_prefix(view.run().id, type);
  std::vector<Event> out;
  for (const std::string& key : view.scan(prefix, prefix, limit))
    if (auto e = event_at(view, events::sequence_of(key))) out.push_back(std::move(*e));
  return out;
}

EventVerification verify_events(const actors::ReadView& view) {
  const keys::RunId run = view.run().id;
  const auto head_value = view.get(events::head_key(run));
  const events::Head head = events::decode_head(head_value ? &*head_value : nullptr);
  EventVerification v;
  auto bad = [&](std::uint64_t seq, std::string why) {
    v.ok = false;
    v.first_bad = seq;
    v.reason = std::move(why);
    return v;
  };
  crypto::Digest prev{};
  for (std::uint64_t seq = 1; seq <= head.length; ++seq) {
    ++v.checked;
    auto stored = view.get_versioned(events::event_key(run, seq));
    Event e;
    if (!stored || !events::decode_event(stored->value, seq, stored->timestamp_us, e))
      return bad(seq, "event is missing or malformed");
    const crypto::Digest expect = events::chain_hash(prev, seq, e.type, Value(e.payload), e.timestamp_us);
    const std::string_view have = events::stored_hash(stored->value);
    if (have != std::string_view(reinterpret_cast<const char*>(expect.data()), expect.size()))
      return bad(seq, "stored hash " + e.hash + " does not match the recomputed " + crypto::to_hex(expect));
    prev = expect;
  }
  if (head.length > 0 && prev != head.last_hash) return bad(head.length, "the log head's hash differs from the last event's");
  return v;
}

}  // namespace strata::ops
