// strata::Transaction: vectors in a transaction. A vector write is a
// buffered write of its key like a KV put; it depends on the collection the
// transaction read (its record joins the read set), so dropping or
// replacing the collection concurrently makes the commit conflict.
#include <strata/transaction.hpp>

#include "ops/vector_ops.hpp"
#include "txn/txn_checks.hpp"
#include "vector/layout.hpp"

namespace strata {

using detail::Outcome;
using detail::value_or_code;
using detail::value_or_throw;

namespace {

/// The collection at the snapshot; its record joins the read set.
Outcome<ops::FoundCollection> collection_of(detail::TxnState& t, std::string_view name) {
  auto found = ops::find_collection(t.view(), name);
  if (found || found.ec == errc::collection_not_found) t.reads.push_back(vector::collection_key(t.run->id, name));
  return found;
}

/// Buffers `records` after checking every one of them, so a rejected
/// record leaves the transaction's writes as they were.
Outcome<bool> do_upsert(detail::TxnState* t, std::string_view collection, std::span<const ops::VectorView> records) {
  Outcome<bool> o;
  if ((o.ec = detail::check_writable(t, o.detail))) return o;
  auto found = collection_of(*t, collection);
  if (!found) return Outcome<bool>::fail(std::move(found));
  if ((o.ec = ops::check_records(records, found.value, collection, &o.detail))) return o;
  for (const ops::VectorView& r : records)
    t->writes.insert_or_assign(vector::vector_key(t->run->id, found.value.record.id, r.key),
                               detail::BufferedWrite{false, vector::encode_entry(r.vector, *r.metadata)});
  o.value = true;
  return o;
}

Outcome<bool> do_upsert_one(detail::TxnState* t, std::string_view collection, std::string_view key,
                            std::span<const float> vector, const std::optional<Value>& metadata) {
  const ops::VectorView one{key, vector, &metadata};
  return do_upsert(t, collection, {&one, 1});
}

/// The vector in this transaction's view: own write first, else the
/// snapshot (which joins the read set).
Outcome<std::optional<VectorEntry>> do_get(detail::TxnState* t, std::string_view collection, std::string_view key) {
  Outcome<std::optional<VectorEntry>> o;
  if (!detail::prologue(t, key, o)) return o;
  auto found = collection_of(*t, collection);
  if (!found) return Outcome<std::optional<VectorEntry>>::fail(std::move(found));
  const std::string skey = vector::vector_key(t->run->id, found.value.record.id, key);
  if (auto it = t->writes.find(skey); it != t->writes.end()) {
    if (it->second.tombstone) return o;
    VectorEntry e{vector::decode_floats(it->second.value), std::nullopt, 0, 0};
    if (const Value* m = vector::metadata_of(it->second.value)) e.metadata = *m;
    o.value = std::move(e);
    return o;
  }
  t->reads.push_back(skey);
  o.value = ops::vector_entry_at(t->view(), skey);
  return o;
}

Outcome<bool> do_delete(detail::TxnState* t, std::string_view collection, std::string_view key) {
  Outcome<bool> o;
  if ((o.ec = detail::check_writable(t, o.detail))) return o;
  auto existing = do_get(t, collection, key);
  if (!existing) return Outcome<bool>::fail(std::move(existing));
  auto found = ops::find_collection(t->view(), collection);  // found: do_get checked it
  t->writes.insert_or_assign(vector::vector_key(t->run->id, found.value.record.id, key),
                             detail::BufferedWrite{true, Value{}});
  return existing.value.has_value();
}

}  // namespace

void Transaction::vector_upsert(std::string_view collection, std::string_view key, std::span<const float> vector,
                                const std::optional<Value>& metadata) {
  value_or_throw(do_upsert_one(state_.get(), collection, key, vector, metadata));
}
void Transaction::vector_upsert(std::string_view collection, std::string_view key, std::span<const float> vector,
                                const std::optional<Value>& metadata, error_code& ec) {
  value_or_code(do_upsert_one(state_.get(), collection, key, vector, metadata), ec);
}
void Transaction::vector_upsert_batch(std::string_view collection, std::span<const VectorRecord> records) {
  value_or_throw(do_upsert(state_.get(), collection, ops::views_of(records)));
}
void Transaction::vector_upsert_batch(std::string_view collection, std::span<const VectorRecord> records,
                                      error_code& ec) {
  value_or_code(do_upsert(state_.get(), collection, ops::views_of(records)), ec);
}
bool Transaction::vector_delete(std::string_view collection, std::string_view key) {
  return value_or_throw(do_delete(state_.get(), collection, key));
}
bool Transaction::vector_delete(std::string_view collection, std::string_view key, error_code& ec) {
  return value_or_code(do_delete(state_.get(), collection, key), ec);
}
std::optional<VectorEntry> Transaction::vector_get(std::string_view collection, std::string_view key) {
  return value_or_throw(do_get(state_.get(), collection, key));
}
std::optional<VectorEntry> Transaction::vector_get(std::string_view collection, std::string_view key,
                                                   error_code& ec) {
  return value_or_code(do_get(state_.get(), collection, key), ec);
}

}  // namespace strata
