// Listing in a transaction's view: the snapshot's keys merged with the
// transaction's own pending changes (an overlay map keyed by storage key),
// shared by kv_list and json_list. The range a page covers joins the
// transaction's read ranges, so a key another transaction inserts into it
// (a phantom) — or changes in it — makes the commit conflict.
#pragma once

#include "ops/listing.hpp"
#include "txn/txn_checks.hpp"

#include <algorithm>
#include <limits>

namespace strata::detail {

/// `overlay` maps storage keys to pending changes; absent(change) says the
/// change removes the key.
template <class Overlay, class Absent>
Outcome<KeyPage> list_view(TxnState* t, keys::Primitive primitive, std::string_view prefix, const PageRequest& page,
                           const Overlay& overlay, Absent absent) {
  Outcome<KeyPage> o;
  if ((o.ec = check_active(t, o.detail))) return o;
  auto plan = ops::plan_page(t->run->id, primitive, prefix, page);
  if (!plan) return Outcome<KeyPage>::fail(std::move(plan));
  const auto& [sprefix, from, limit] = plan.value;
  // Own changes in range can hide snapshot keys, so ask the snapshot for
  // enough extra keys to still fill the page.
  auto lo = overlay.lower_bound(std::string_view(from));
  std::size_t own = 0;
  for (auto it = lo; it != overlay.end() && it->first.starts_with(sprefix); ++it) ++own;
  std::vector<std::string> found = t->view().scan(sprefix, from, limit + own + 1);
  for (auto it = lo; it != overlay.end() && it->first.starts_with(sprefix); ++it) {
    auto pos = std::lower_bound(found.begin(), found.end(), it->first);
    const bool present = pos != found.end() && *pos == it->first;
    if (absent(it->second) && present) found.erase(pos);
    if (!absent(it->second) && !present) found.insert(pos, it->first);
  }
  // The range this page covers: from its start to its last key (inclusive),
  // or to the end of the prefix when it is the last page.
  commit::ReadRange range{sprefix, from, {}};
  if (found.size() > limit) range.to = found[limit - 1] + '\0';
  t->ranges.push_back(std::move(range));
  o.value = ops::make_page(t->run->id, std::move(found), limit);
  return o;
}

}  // namespace strata::detail
