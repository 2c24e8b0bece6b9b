#include "ops/listing.hpp"

#include "keys/key_rules.hpp"

namespace strata::ops {

detail::Outcome<PagePlan> plan_page(keys::RunId run, keys::Primitive primitive, std::string_view prefix,
                                    const PageRequest& page) {
  detail::Outcome<PagePlan> o;
  if ((o.ec = keys::list_start(run, primitive, prefix, page, o.value.from, &o.detail))) return o;
  o.value.prefix = keys::storage_key(run, primitive, prefix);
  o.value.limit = page_limit(page);
  return o;
}

KeyPage make_page(keys::RunId run, std::vector<std::string> found, std::size_t limit) {
  KeyPage page;
  const bool more = found.size() > limit;
  if (more) found.resize(limit);
  page.keys.reserve(found.size());
  for (auto& k : found) page.keys.emplace_back(keys::user_key_of(k));
  if (more) page.next_cursor = keys::make_cursor(run, page.keys.back());
  return page;
}

detail::Outcome<KeyPage> list_page(const actors::ReadView& view, keys::Primitive primitive, std::string_view prefix,
                                   const PageRequest& page) {
  const keys::RunId run = view.run().id;
  auto plan = plan_page(run, primitive, prefix, page);
  if (!plan) return detail::Outcome<KeyPage>::fail(std::move(plan));
  return make_page(run, view.scan(plan.value.prefix, plan.value.from, plan.value.limit + 1), plan.value.limit);
}

}  // namespace strata::ops
