// Reading a run's event log at a snapshot (events/event_log.hpp has the
// layout) — shared by the auto-commit reads and transactions.
#pragma once

#include "actors/read_view.hpp"

#include <strata/types.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace strata::ops {

/// The log's length at the view's snapshot.
std::uint64_t event_len(const actors::ReadView& view);
/// The event with sequence `seq`, or nullopt.
std::optional<Event> event_at(const actors::ReadView& view, std::uint64_t seq);
/// Events with from <= sequence <= to, at most `limit`.
std::vector<Event> event_range(const actors::ReadView& view, std::uint64_t from, std::uint64_t to, std::size_t limit);
/// Events of `type` in sequence order, at most `limit` (the per-type index:
/// O(log n + matches), never a scan of the log).
std::vector<Event> events_of_type(const actors::ReadView& view, std::string_view type, std::size_t limit);
/// Re-walks the hash chain at the view's snapshot.
EventVerification verify_events(const actors::ReadView& view);

}  // namespace strata::ops
