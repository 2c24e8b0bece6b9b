#include "ops/history_ops.hpp"

#include "events/event_log.hpp"
#include "keys/storage_key.hpp"
#include "ops/checks.hpp"
#include "ops/vector_ops.hpp"
#include "vector/layout.hpp"

#include <limits>

namespace strata::ops {

using detail::Outcome;

namespace {

/// The page of the history of `storage_key` in the run's visible view.
std::vector<VersionedValue> page_of(const actors::ReadView& view, std::string_view storage_key,
                                    const HistoryRequest& page) {
  return view.history(storage_key, page.before.value_or(actors::ReadView::kNewest),
                      page.limit.value_or(std::numeric_limits<std::size_t>::max()));
}

/// The entity's key is valid, the page well formed, the run usable.
template <class T>
bool history_ok(detail::Engine& e, const detail::RunState& run, std::string_view key, const HistoryRequest& page,
                Outcome<T>& o) {
  return key_ok(key, o) && !(o.ec = events::check_read_limit(page.limit, &o.detail)) && usable(e, run, o);
}

}  // namespace

template <keys::Primitive P>
Outcome<typename EntityHistory<P>::Result> EntityHistory<P>::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (history_ok(e, *run, key, page, o)) o.value = page_of(e.view(*run), keys::storage_key(run->id, P, key), page);
  return o;
}
template struct EntityHistory<keys::Primitive::Kv>;
template struct EntityHistory<keys::Primitive::State>;
template struct EntityHistory<keys::Primitive::Json>;

Outcome<VectorHistory::Result> VectorHistory::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (!history_ok(e, *run, key, page, o)) return o;
  const auto view = e.view(*run);
  auto found = find_collection(view, collection);
  if (!found) return Outcome<Result>::fail(std::move(found));
  for (auto& v : page_of(view, vector::vector_key(run->id, found.value.record.id, key), page)) {
    VectorVersion out{{}, std::nullopt, v.version, v.timestamp_us, v.tombstone};
    if (!v.tombstone) {
      out.vector = vector::decode_floats(v.value);
      if (const Value* m = vector::metadata_of(v.value)) out.metadata = *m;
    }
    o.value.push_back(std::move(out));
  }
  return o;
}

}  // namespace strata::ops
