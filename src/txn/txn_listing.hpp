// Listing in a transaction's view: the snapshot's keys merged with the
// transaction's own pending changes (an overlay map keyed by storage key),
// shared by kv_list and json_list.
#pragma once

#include "txn/txn_checks.hpp"

#include <algorithm>
#include <limits>

namespace strata::detail {

/// `overlay` maps storage keys to pending changes; absent(change) says the
/// change removes the key. Keys listed from the snapshot are passed to
/// record_read (they join the read set).
template <class Overlay, class Absent, class RecordRead>
Outcome<KeyPage> list_view(TxnState* t, keys::Primitive primitive, std::string_view prefix, const PageRequest& page,
                           const Overlay& overlay, Absent absent, RecordRead record_read) {
  Outcome<KeyPage> o;
  if ((o.ec = check_active(t, o.detail))) return o;
  const std::string sprefix = keys::storage_key(t->run->id, primitive, prefix);
  std::string from;
  if ((o.ec = keys::list_start(t->run->id, primitive, prefix, page, from, &o.detail))) return o;
  const std::size_t limit = page.limit.value_or(std::numeric_limits<std::size_t>::max() - 1);
  // Own changes in range can hide snapshot keys, so ask the snapshot for
  // enough extra keys to still fill the page.
  auto lo = overlay.lower_bound(std::string_view(from));
  std::size_t own = 0;
  for (auto it = lo; it != overlay.end() && it->first.starts_with(sprefix); ++it) ++own;
  const std::size_t want = std::min(limit, std::numeric_limits<std::size_t>::max() - own - 2) + own + 1;
  std::vector<std::string> found = t->engine->list_at(sprefix, from, t->snapshot, want);
  for (auto it = lo; it != overlay.end() && it->first.starts_with(sprefix); ++it) {
    auto pos = std::lower_bound(found.begin(), found.end(), it->first);
    const bool present = pos != found.end() && *pos == it->first;
    if (absent(it->second) && present) found.erase(pos);
    if (!absent(it->second) && !present) found.insert(pos, it->first);
  }
  const bool more = found.size() > limit;
  if (more) found.resize(limit);
  for (auto& k : found) {
    if (!overlay.contains(k)) record_read(k);
    o.value.keys.emplace_back(keys::user_key_of(k));
  }
  if (more) o.value.next_cursor = keys::make_cursor(t->run->id, o.value.keys.back());
  return o;
}

}  // namespace strata::detail
