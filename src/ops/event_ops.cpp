#include "ops/event_ops.hpp"

#include "events/event_log.hpp"
#include "keys/key_rules.hpp"
#include "ops/checks.hpp"
#include "ops/event_reads.hpp"

namespace strata::ops {

using detail::Outcome;
using events::kNoLimit;

Outcome<commit::PreparedCommit> EventAppend::prepare(detail::Engine& e) {
  Outcome<commit::PreparedCommit> o;
  if ((o.ec = events::check_event_type(type, &o.detail))) return o;
  if ((o.ec = events::check_event_payload(payload, &o.detail))) {
    o.detail = "payload of event " + keys::quote_for_message(type) + ": " + o.detail;
    return o;
  }
  if (!usable(e, *run, o)) return o;
  o.value.run = run.get();
  o.value.events.push_back({std::string(type), std::move(payload)});
  return o;
}

Outcome<EventRead::Result> EventRead::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (!usable(e, *run, o)) return o;
  if (sequence == 0) return detail::fail<Result>(errc::invalid_sequence, "event sequences start at 1");
  std::optional<actors::ReadView> view;
  if (view_at(e, *run, as_of, view, o)) o.value = event_at(*view, sequence);
  return o;
}

Outcome<EventReadByType::Result> EventReadByType::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (!usable(e, *run, o) || (o.ec = events::check_event_type(type, &o.detail)) ||
      (o.ec = events::check_read_limit(limit, &o.detail)))
    return o;
  std::optional<actors::ReadView> view;
  if (view_at(e, *run, as_of, view, o)) o.value = events_of_type(*view, type, limit.value_or(kNoLimit));
  return o;
}

Outcome<EventRange::Result> EventRange::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (!usable(e, *run, o) || (o.ec = events::check_read_limit(limit, &o.detail)) ||
      (o.ec = events::check_range(from, to, &o.detail)))
    return o;
  std::optional<actors::ReadView> view;
  if (view_at(e, *run, as_of, view, o)) o.value = event_range(*view, from, to, limit.value_or(kNoLimit));
  return o;
}

Outcome<EventLen::Result> EventLen::read(detail::Engine& e) const {
  Outcome<Result> o;
  std::optional<actors::ReadView> view;
  if (usable(e, *run, o) && view_at(e, *run, as_of, view, o)) o.value = event_len(*view);
  return o;
}

Outcome<EventVerify::Result> EventVerify::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (usable(e, *run, o)) o.value = verify_events(e.view(*run));
  return o;
}

}  // namespace strata::ops
