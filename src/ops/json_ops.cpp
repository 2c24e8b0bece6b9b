#include "ops/json_ops.hpp"

#include "json/document_edit.hpp"
#include "keys/storage_key.hpp"
#include "ops/checks.hpp"
#include "ops/listing.hpp"

namespace strata::ops {

using detail::Outcome;
using Kind = commit::JsonOp::Kind;

namespace {
std::string doc_key(const detail::RunState& run, std::string_view key) {
  return keys::storage_key(run.id, keys::Primitive::Json, key);
}
}  // namespace

Outcome<commit::PreparedCommit> JsonEdit::prepare(detail::Engine& e) {
  Outcome<commit::PreparedCommit> o;
  json::Path parsed;
  if (!key_ok(key, o) || (o.ec = json::parse_path(path, parsed, &o.detail))) return o;
  if (!value_ok(value, "value for JSON document", key, o)) return o;
  if (kind == Kind::Increment && !value.is_int() && !value.is_float())
    return detail::fail<commit::PreparedCommit>(
        errc::wrong_type, "increment must be an Int or a Float, not " + std::string(kind_name(value.kind())));
  if (!usable(e, *run, o)) return o;
  const Kind k = kind == Kind::Erase && parsed.is_root() ? Kind::DeleteDocument : kind;
  o.value.run = run.get();
  commit::JsonIntent intent{doc_key(*run, key), {}};
  intent.ops.push_back({k, std::move(parsed), std::move(value)});
  o.value.json.push_back(std::move(intent));
  return o;
}

std::optional<Value> json_path_at(const actors::ReadView& view, std::string_view storage_key, const json::Path& path) {
  return view.visit(storage_key, [&](const mvcc::VersionNode* n) -> std::optional<Value> {
    if (!n || n->tombstone) return std::nullopt;
    if (const Value* v = json::find(n->value, path)) return *v;
    return std::nullopt;
  });
}

Outcome<JsonGet::Result> JsonGet::read(detail::Engine& e) const {
  Outcome<Result> o;
  json::Path parsed;
  if (!key_ok(key, o) || (o.ec = json::parse_path(path, parsed, &o.detail)) || !usable(e, *run, o)) return o;
  std::optional<actors::ReadView> view;
  if (view_at(e, *run, as_of, view, o)) o.value = json_path_at(*view, doc_key(*run, key), parsed);
  return o;
}

Outcome<JsonList::Result> JsonList::read(detail::Engine& e) const {
  Outcome<Result> o;
  std::optional<actors::ReadView> view;
  if (!usable(e, *run, o) || !view_at(e, *run, as_of, view, o)) return o;
  return list_page(*view, keys::Primitive::Json, prefix, page);
}

}  // namespace strata::ops
