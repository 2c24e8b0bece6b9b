// strata::Transaction: JSON documents in a transaction. Edits are applied to
// this transaction's view of the document at once (so errors surface at the
// call) and buffered; the coordinator replays them on the newest document at
// commit. Each read or edit records the path it depends on, for path-level
// validation.
#include <strata/transaction.hpp>

#include "codec/value_codec.hpp"
#include "json/document_edit.hpp"
#include "ops/json_ops.hpp"
#include "txn/txn_checks.hpp"
#include "txn/txn_listing.hpp"

namespace strata {

using detail::check_active;
using detail::Outcome;
using detail::prologue;
using detail::value_or_code;
using detail::value_or_throw;
using Kind = commit::JsonOp::Kind;

namespace {

std::string doc_key(const detail::TxnState& t, std::string_view key) {
  return keys::storage_key(t.run->id, keys::Primitive::Json, key);
}

/// This transaction's view of a document, loaded from the snapshot on first
/// edit.
detail::TxnState::JsonDoc& edited_doc(detail::TxnState& t, const std::string& key) {
  auto it = t.json_docs.find(key);
  if (it != t.json_docs.end()) return it->second;
  detail::TxnState::JsonDoc doc;
  if (auto v = t.view().get(key)) doc.view = {true, std::move(*v)};
  return t.json_docs.emplace(key, std::move(doc)).first->second;
}

/// The shorter of two prefixes of the same concrete path.
const json::Path& shorter(const json::Path& a, const json::Path& b) {
  return a.segments.size() <= b.segments.size() ? a : b;
}

/// Applies one edit to the view; on success buffers it and records the
/// paths it depends on. Returns the patch result for the caller's answer.
error_code edit(detail::TxnState& t, std::string_view key, std::string_view path_text, Kind kind, Value value,
                json::PatchResult& result, std::string& detail) {
  json::Path path;
  if (auto ec = json::parse_path(path_text, path, &detail)) return ec;
  if (auto ec = codec::check_value_limits(value, &detail)) return ec;
  if (kind == Kind::Erase && path.is_root()) kind = Kind::DeleteDocument;
  const std::string skey = doc_key(t, key);
  auto& doc = edited_doc(t, skey);
  commit::JsonOp op{kind, path, std::move(value)};
  json::Document after = doc.view;  // edits of the view are all-or-nothing
  if (auto ec = json::apply_edits(after, std::span(&op, 1), result, &detail)) return ec;
  if (after.exists)
    if (auto ec = codec::check_value_shape(after.value, &detail)) return ec;
  const json::Path stable = json::stable_prefix(path);
  if (result.changed.empty()) t.json_reads.push_back({skey, stable});  // observed: nothing there
  for (const auto& c : result.changed) t.json_reads.push_back({skey, shorter(stable, c)});
  if (!result.resolved.empty()) {
    doc.view = std::move(after);
    doc.ops.push_back(std::move(op));
  }
  return {};
}

template <class T>
Outcome<T> run_edit(detail::TxnState* t, std::string_view key, std::string_view path, Kind kind, Value&& value,
                    T (*answer)(const json::PatchResult&)) {
  Outcome<T> o;
  if (!detail::write_prologue(t, key, o)) return o;
  json::PatchResult result;
  if ((o.ec = edit(*t, key, path, kind, std::move(value), result, o.detail))) {
    o.detail = "JSON document " + keys::quote_for_message(key) + ": " + o.detail;
    return o;
  }
  o.value = answer(result);
  return o;
}

bool none(const json::PatchResult&) { return true; }
std::size_t erased(const json::PatchResult& r) { return r.erased; }
Value incremented(const json::PatchResult& r) { return r.last_increment; }

Outcome<std::optional<Value>> do_get(detail::TxnState* t, std::string_view key, std::string_view path_text) {
  Outcome<std::optional<Value>> o;
  json::Path path;
  if (!prologue(t, key, o) || (o.ec = json::parse_path(path_text, path, &o.detail))) return o;
  const std::string skey = doc_key(*t, key);
  // Recorded even when answered from this transaction's own view: the parts
  // of the document it did not edit came from the snapshot.
  t->json_reads.push_back({skey, json::stable_prefix(path)});
  if (auto it = t->json_docs.find(skey); it != t->json_docs.end()) {
    const auto& view = it->second.view;
    if (const Value* v = view.exists ? json::find(view.value, path) : nullptr) o.value = *v;
    return o;
  }
  o.value = ops::json_path_at(t->view(), skey, path);
  return o;
}

Outcome<KeyPage> do_list(detail::TxnState* t, std::string_view prefix, const PageRequest& page) {
  Outcome<KeyPage> o;
  if ((o.ec = check_active(t, o.detail))) return o;
  return detail::list_view(t, keys::Primitive::Json, prefix, page, t->json_docs,
                           [](const detail::TxnState::JsonDoc& d) { return !d.view.exists; });
}

}  // namespace

std::optional<Value> Transaction::json_get(std::string_view key, std::string_view path) {
  return value_or_throw(do_get(state_.get(), key, path));
}
std::optional<Value> Transaction::json_get(std::string_view key, std::string_view path, error_code& ec) {
  return value_or_code(do_get(state_.get(), key, path), ec);
}
void Transaction::json_set(std::string_view key, std::string_view path, Value value) {
  value_or_throw(run_edit<bool>(state_.get(), key, path, Kind::Set, std::move(value), none));
}
void Transaction::json_set(std::string_view key, std::string_view path, Value value, error_code& ec) {
  value_or_code(run_edit<bool>(state_.get(), key, path, Kind::Set, std::move(value), none), ec);
}
std::size_t Transaction::json_delete(std::string_view key, std::string_view path) {
  return value_or_throw(run_edit<std::size_t>(state_.get(), key, path, Kind::Erase, Value(), erased));
}
std::size_t Transaction::json_delete(std::string_view key, std::string_view path, error_code& ec) {
  return value_or_code(run_edit<std::size_t>(state_.get(), key, path, Kind::Erase, Value(), erased), ec);
}
void Transaction::json_array_append(std::string_view key, std::string_view path, Value value) {
  value_or_throw(run_edit<bool>(state_.get(), key, path, Kind::ArrayAppend, std::move(value), none));
}
void Transaction::json_array_append(std::string_view key, std::string_view path, Value value, error_code& ec) {
  value_or_code(run_edit<bool>(state_.get(), key, path, Kind::ArrayAppend, std::move(value), none), ec);
}
Value Transaction::json_incr(std::string_view key, std::string_view path, Value delta) {
  return value_or_throw(run_edit<Value>(state_.get(), key, path, Kind::Increment, std::move(delta), incremented));
}
Value Transaction::json_incr(std::string_view key, std::string_view path, Value delta, error_code& ec) {
  return value_or_code(run_edit<Value>(state_.get(), key, path, Kind::Increment, std::move(delta), incremented), ec);
}
KeyPage Transaction::json_list(std::string_view prefix, const PageRequest& page) {
  return value_or_throw(do_list(state_.get(), prefix, page));
}
KeyPage Transaction::json_list(std::string_view prefix, const PageRequest& page, error_code& ec) {
  return value_or_code(do_list(state_.get(), prefix, page), ec);
}

}  // namespace strata
