// Engine: the event log (SPEC §5) — appends through the coordinator, which
// assigns sequences and hashes; reads at a snapshot through the log's keys
// (events/event_log.hpp).
#include "engine/engine.hpp"

#include "events/event_log.hpp"
#include "keys/key_rules.hpp"

#include <algorithm>
#include <limits>

namespace strata::detail {

namespace {

using events::kNoLimit;

template <class T>
Outcome<T> fail(errc e, std::string detail) {
  return Outcome<T>::fail(make_error_code(e), std::move(detail));
}

}  // namespace

Outcome<AutoCommit> Engine::prepare_event_append(const RunState& run, std::string_view type, Value payload) {
  Outcome<AutoCommit> o;
  if ((o.ec = events::check_event_type(type, &o.detail))) return o;
  if ((o.ec = events::check_event_payload(payload, &o.detail))) {
    o.detail = "payload of event " + keys::quote_for_message(type) + ": " + o.detail;
    return o;
  }
  if ((o.ec = usable(run, o.detail))) return o;
  o.value.run = &run;
  o.value.events.push_back({std::string(type), std::move(payload)});
  return o;
}

static std::uint64_t first_sequence(const actors::CommitOutcome& out) { return out.first_sequence; }

Outcome<std::uint64_t> Engine::event_append(const RunState& run, std::string_view type, Value payload) {
  return run_auto<std::uint64_t>(prepare_event_append(run, type, std::move(payload)), first_sequence);
}

void Engine::event_append_async(RunRef run, std::string_view type, Value payload, Completion<std::uint64_t> c) {
  auto prepared = prepare_event_append(*run, type, std::move(payload));
  run_auto_async<std::uint64_t>(std::move(prepared), std::move(run), first_sequence, std::move(c));
}

// ---- snapshot reads ----------------------------------------------------------

std::uint64_t Engine::event_len_at(keys::RunId run, Version snapshot) {
  Read head = read_at(events::head_key(run), snapshot);
  return events::decode_head(head.found ? &head.value : nullptr).length;
}

std::optional<Event> Engine::event_at(keys::RunId run, std::uint64_t seq, Version snapshot) {
  auto stored = read_versioned_at(events::event_key(run, seq), snapshot);
  Event e;
  if (!stored || !events::decode_event(stored->value, seq, stored->timestamp_us, e)) return std::nullopt;
  return e;
}

std::vector<Event> Engine::event_range_at(keys::RunId run, std::uint64_t from, std::uint64_t to, std::size_t limit,
                                          Version snapshot) {
  std::vector<Event> out;
  const std::uint64_t last = std::min(to, event_len_at(run, snapshot));
  for (std::uint64_t seq = from; seq <= last && out.size() < limit; ++seq)
    if (auto e = event_at(run, seq, snapshot)) out.push_back(std::move(*e));
  return out;
}

std::vector<Event> Engine::events_of_type_at(keys::RunId run, std::string_view type, std::size_t limit,
                                             Version snapshot) {
  // The per-type index lists the sequences in order; each event is then one
  // point read, so the cost is O(log n + matches), not a scan of the log.
  const std::string prefix = events::type_index_prefix(run, type);
  std::vector<Event> out;
  for (const std::string& key : list_at(prefix, prefix, snapshot, limit))
    if (auto e = event_at(run, events::sequence_of(key), snapshot)) out.push_back(std::move(*e));
  return out;
}

// ---- reads at the visible version ------------------------------------------------

Outcome<std::optional<Event>> Engine::event_read(const RunState& run, std::uint64_t seq) {
  Outcome<std::optional<Event>> o;
  if ((o.ec = usable(run, o.detail))) return o;
  if (seq == 0) return fail<std::optional<Event>>(errc::invalid_sequence, "event sequences start at 1");
  o.value = event_at(run.id, seq, coordinator_->visible());
  return o;
}

Outcome<std::vector<Event>> Engine::event_read_by_type(const RunState& run, std::string_view type,
                                                       std::optional<std::size_t> limit) {
  Outcome<std::vector<Event>> o;
  if ((o.ec = usable(run, o.detail)) || (o.ec = events::check_event_type(type, &o.detail)) ||
      (o.ec = events::check_read_limit(limit, &o.detail)))
    return o;
  o.value = events_of_type_at(run.id, type, limit.value_or(kNoLimit), coordinator_->visible());
  return o;
}

Outcome<std::vector<Event>> Engine::event_range(const RunState& run, std::uint64_t from, std::uint64_t to,
                                                std::optional<std::size_t> limit) {
  Outcome<std::vector<Event>> o;
  if ((o.ec = usable(run, o.detail)) || (o.ec = events::check_read_limit(limit, &o.detail))) return o;
  if ((o.ec = events::check_range(from, to, &o.detail))) return o;
  o.value = event_range_at(run.id, from, to, limit.value_or(kNoLimit), coordinator_->visible());
  return o;
}

Outcome<std::uint64_t> Engine::event_len(const RunState& run) {
  Outcome<std::uint64_t> o;
  if ((o.ec = usable(run, o.detail))) return o;
  o.value = event_len_at(run.id, coordinator_->visible());
  return o;
}

Outcome<EventVerification> Engine::event_verify(const RunState& run) {
  Outcome<EventVerification> o;
  if ((o.ec = usable(run, o.detail))) return o;
  const Version snapshot = coordinator_->visible();
  Read head_value = read_at(events::head_key(run.id), snapshot);
  const events::Head head = events::decode_head(head_value.found ? &head_value.value : nullptr);
  EventVerification& v = o.value;
  auto bad = [&](std::uint64_t seq, std::string why) {
    v.ok = false;
    v.first_bad = seq;
    v.reason = std::move(why);
  };
  crypto::Digest prev{};
  for (std::uint64_t seq = 1; seq <= head.length; ++seq) {
    ++v.checked;
    auto stored = read_versioned_at(events::event_key(run.id, seq), snapshot);
    Event e;
    if (!stored || !events::decode_event(stored->value, seq, stored->timestamp_us, e)) {
      bad(seq, "event is missing or malformed");
      return o;
    }
    const crypto::Digest expect = events::chain_hash(prev, seq, e.type, Value(e.payload), e.timestamp_us);
    const std::string_view have = events::stored_hash(stored->value);
    if (have != std::string_view(reinterpret_cast<const char*>(expect.data()), expect.size())) {
      bad(seq, "stored hash " + e.hash + " does not match the recomputed " + crypto::to_hex(expect));
      return o;
    }
    prev = expect;
  }
  if (head.length > 0 && prev != head.last_hash) bad(head.length, "the log head's hash differs from the last event's");
  return o;
}

}  // namespace strata::detail
