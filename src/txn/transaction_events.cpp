// strata::Transaction: the event log in a transaction. Appends are buffered
// and get their sequences at commit; reads see the snapshot.
#include <strata/transaction.hpp>

#include "events/event_log.hpp"
#include "ops/event_reads.hpp"
#include "txn/txn_checks.hpp"

#include <limits>

namespace strata {

using detail::check_active;
using detail::Outcome;
using detail::value_or_code;
using detail::value_or_throw;

namespace {

using events::kNoLimit;

Outcome<bool> do_append(detail::TxnState* t, std::string_view type, Value&& payload) {
  Outcome<bool> o;
  if ((o.ec = detail::check_writable(t, o.detail)) || (o.ec = events::check_event_type(type, &o.detail))) return o;
  if ((o.ec = events::check_event_payload(payload, &o.detail))) {
    o.detail = "payload of event " + keys::quote_for_message(type) + ": " + o.detail;
    return o;
  }
  t->events.push_back({std::string(type), std::move(payload)});
  return o;
}

Outcome<std::optional<Event>> do_read(detail::TxnState* t, std::uint64_t seq) {
  Outcome<std::optional<Event>> o;
  if ((o.ec = check_active(t, o.detail))) return o;
  if (seq == 0) return Outcome<std::optional<Event>>::fail(make_error_code(errc::invalid_sequence),
                                                           "event sequences start at 1");
  o.value = ops::event_at(t->view(), seq);
  return o;
}

Outcome<std::vector<Event>> do_range(detail::TxnState* t, std::uint64_t from, std::uint64_t to,
                                     std::optional<std::size_t> limit) {
  Outcome<std::vector<Event>> o;
  if ((o.ec = check_active(t, o.detail)) || (o.ec = events::check_read_limit(limit, &o.detail))) return o;
  if ((o.ec = events::check_range(from, to, &o.detail))) return o;
  const auto view = t->view();
  o.value = ops::event_range(view, from, to, limit.value_or(kNoLimit));
  // A later append into [from, to] would change this read: the range of
  // event keys joins the read ranges.
  t->ranges.push_back({events::event_key(t->run->id, from).substr(0, keys::kStorageKeyHeader),
                       events::event_key(t->run->id, from),
                       to == UINT64_MAX ? std::string() : events::event_key(t->run->id, to + 1)});
  return o;
}

Outcome<std::vector<Event>> do_by_type(detail::TxnState* t, std::string_view type, std::optional<std::size_t> limit) {
  Outcome<std::vector<Event>> o;
  if ((o.ec = check_active(t, o.detail)) || (o.ec = events::check_event_type(type, &o.detail)) ||
      (o.ec = events::check_read_limit(limit, &o.detail)))
    return o;
  o.value = ops::events_of_type(t->view(), type, limit.value_or(kNoLimit));
  const std::string prefix = events::type_index_prefix(t->run->id, type);
  t->ranges.push_back({prefix, prefix, {}});
  return o;
}

Outcome<std::uint64_t> do_len(detail::TxnState* t) {
  Outcome<std::uint64_t> o;
  if ((o.ec = check_active(t, o.detail))) return o;
  t->reads.push_back(events::head_key(t->run->id));
  o.value = ops::event_len(t->view()) + t->events.size();
  return o;
}

}  // namespace

void Transaction::event_append(std::string_view type, Value payload) {
  value_or_throw(do_append(state_.get(), type, std::move(payload)));
}
void Transaction::event_append(std::string_view type, Value payload, error_code& ec) {
  value_or_code(do_append(state_.get(), type, std::move(payload)), ec);
}
std::optional<Event> Transaction::event_read(std::uint64_t seq) { return value_or_throw(do_read(state_.get(), seq)); }
std::optional<Event> Transaction::event_read(std::uint64_t seq, error_code& ec) {
  return value_or_code(do_read(state_.get(), seq), ec);
}
std::vector<Event> Transaction::event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit) {
  return value_or_throw(do_range(state_.get(), from, to, limit));
}
std::vector<Event> Transaction::event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit,
                                            error_code& ec) {
  return value_or_code(do_range(state_.get(), from, to, limit), ec);
}
std::vector<Event> Transaction::event_read_by_type(std::string_view type, std::optional<std::size_t> limit) {
  return value_or_throw(do_by_type(state_.get(), type, limit));
}
std::vector<Event> Transaction::event_read_by_type(std::string_view type, std::optional<std::size_t> limit,
                                                   error_code& ec) {
  return value_or_code(do_by_type(state_.get(), type, limit), ec);
}
std::uint64_t Transaction::event_len() { return value_or_throw(do_len(state_.get())); }
std::uint64_t Transaction::event_len(error_code& ec) { return value_or_code(do_len(state_.get()), ec); }

}  // namespace strata
