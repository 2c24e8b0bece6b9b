// Listing keys of one primitive at a snapshot, one page at a time — shared
// by kv_list and json_list (auto-commit reads) and by transactions.
#pragma once

#include "actors/read_view.hpp"
#include "engine/outcome.hpp"
#include "keys/storage_key.hpp"

#include <strata/types.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace strata::ops {

/// The most keys one page may ask for: a page request larger than this is
/// treated as "no limit" (it could never be filled, and `limit + 1` must
/// not overflow).
inline constexpr std::size_t kMaxPageLimit = static_cast<std::size_t>(-1) / 2;

/// The page's limit as a count of keys (unset or huge: kMaxPageLimit).
inline std::size_t page_limit(const PageRequest& page) {
  return page.limit && *page.limit < kMaxPageLimit ? *page.limit : kMaxPageLimit;
}

/// Where a listing of `prefix` starts and what it covers.
struct PagePlan {
  std::string prefix;  // storage prefix: run, primitive, user prefix
  std::string from;    // first storage key to consider
  std::size_t limit = 0;
};
/// Errors: invalid_limit, invalid_cursor.
detail::Outcome<PagePlan> plan_page(keys::RunId run, keys::Primitive primitive, std::string_view prefix,
                                    const PageRequest& page);

/// Turns the storage keys found (at most limit + 1, in order) into a page.
KeyPage make_page(keys::RunId run, std::vector<std::string> found, std::size_t limit);

/// One page of live keys of `primitive` under `prefix` in the view.
detail::Outcome<KeyPage> list_page(const actors::ReadView& view, keys::Primitive primitive, std::string_view prefix,
                                   const PageRequest& page);

}  // namespace strata::ops
