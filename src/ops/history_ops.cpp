#include "ops/history_ops.hpp"

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
  if (!key_ok(key, o) || !usable(e, run, o)) return false;
  if (page.limit && *page.limit == 0) {
    o.ec = make_error_code(errc::invalid_limit);
    o.detail = "history limit must be at least 1";
    return false;
  }
  return true;
}

template <class Op>
Outcome<std::vector<VersionedValue>> history_of(detail::Engine& e, const Op& op, std::string_view key,
                                                keys::Primitive p) {
  Outcome<std::vector<VersionedValue>> o;
  if (history_ok(e, *op.run, key, op.page, o)) o.value = page_of(e.view(*op.run), keys::storage_key(op.run->id, p, key), op.page);
  return o;
}

}  // namespace

Outcome<KvHistory::Result> KvHistory::read(detail::Engine& e) const {
  return history_of(e, *this, key, keys::Primitive::Kv);
}

Outcome<StateHistory::Result> StateHistory::read(detail::Engine& e) const {
  return history_of(e, *this, cell, keys::Primitive::State);
}

Outcome<JsonHistory::Result> JsonHistory::read(detail::Engine& e) const {
  return history_of(e, *this, key, keys::Primitive::Json);
}

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
