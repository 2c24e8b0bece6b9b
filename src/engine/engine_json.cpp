// Engine: JSON documents (SPEC §5). Edits are path-level: an auto-committed
// edit is applied by the coordinator to the newest document at commit time
// (json/patch.hpp), so it is atomic even while transactions edit other paths
// of the same document.
#include "engine/engine.hpp"

#include "codec/value_codec.hpp"
#include "json/document_edit.hpp"
#include "keys/key_rules.hpp"

namespace strata::detail {

namespace {

std::string doc_key(const RunState& run, std::string_view key) {
  return keys::storage_key(run.id, keys::Primitive::Json, key);
}

Version committed_version(const actors::CommitOutcome& out) { return out.version; }
std::size_t erased_count(const actors::CommitOutcome& out) { return out.json_erased; }
Value increment_result(const actors::CommitOutcome& out) { return out.json_result; }

}  // namespace

Outcome<AutoCommit> Engine::prepare_json(const RunState& run, std::string_view key, std::string_view path_text,
                                         actors::JsonOp::Kind kind, Value value) {
  Outcome<AutoCommit> o;
  json::Path path;
  if ((o.ec = keys::check_user_key(key, &o.detail)) || (o.ec = json::parse_path(path_text, path, &o.detail)))
    return o;
  if ((o.ec = codec::check_value_limits(value, &o.detail))) {
    o.detail = "value for JSON document " + keys::quote_for_message(key) + ": " + o.detail;
    return o;
  }
  if (kind == actors::JsonOp::Kind::Increment && !value.is_int() && !value.is_float()) {
    o.ec = make_error_code(errc::wrong_type);
    o.detail = "increment must be an Int or a Float, not " + std::string(kind_name(value.kind()));
    return o;
  }
  if ((o.ec = usable(run, o.detail))) return o;
  if (kind == actors::JsonOp::Kind::Erase && path.is_root()) kind = actors::JsonOp::Kind::DeleteDocument;
  o.value.run = &run;
  actors::JsonIntent intent{doc_key(run, key), {}};
  intent.ops.push_back({kind, std::move(path), std::move(value)});
  o.value.json.push_back(std::move(intent));
  return o;
}

Outcome<Version> Engine::json_set(const RunState& run, std::string_view key, std::string_view path, Value value) {
  return run_auto<Version>(prepare_json(run, key, path, actors::JsonOp::Kind::Set, std::move(value)),
                           committed_version);
}

void Engine::json_set_async(RunRef run, std::string_view key, std::string_view path, Value value,
                            Completion<Version> c) {
  auto p = prepare_json(*run, key, path, actors::JsonOp::Kind::Set, std::move(value));
  run_auto_async<Version>(std::move(p), std::move(run), committed_version, std::move(c));
}

Outcome<std::size_t> Engine::json_delete(const RunState& run, std::string_view key, std::string_view path) {
  return run_auto<std::size_t>(prepare_json(run, key, path, actors::JsonOp::Kind::Erase, Value()), erased_count);
}

void Engine::json_delete_async(RunRef run, std::string_view key, std::string_view path, Completion<std::size_t> c) {
  auto p = prepare_json(*run, key, path, actors::JsonOp::Kind::Erase, Value());
  run_auto_async<std::size_t>(std::move(p), std::move(run), erased_count, std::move(c));
}

Outcome<Version> Engine::json_array_append(const RunState& run, std::string_view key, std::string_view path,
                                           Value value) {
  return run_auto<Version>(prepare_json(run, key, path, actors::JsonOp::Kind::ArrayAppend, std::move(value)),
                           committed_version);
}

void Engine::json_array_append_async(RunRef run, std::string_view key, std::string_view path, Value value,
                                     Completion<Version> c) {
  auto p = prepare_json(*run, key, path, actors::JsonOp::Kind::ArrayAppend, std::move(value));
  run_auto_async<Version>(std::move(p), std::move(run), committed_version, std::move(c));
}

Outcome<Value> Engine::json_incr(const RunState& run, std::string_view key, std::string_view path, Value delta) {
  return run_auto<Value>(prepare_json(run, key, path, actors::JsonOp::Kind::Increment, std::move(delta)),
                         increment_result);
}

void Engine::json_incr_async(RunRef run, std::string_view key, std::string_view path, Value delta,
                             Completion<Value> c) {
  auto p = prepare_json(*run, key, path, actors::JsonOp::Kind::Increment, std::move(delta));
  run_auto_async<Value>(std::move(p), std::move(run), increment_result, std::move(c));
}

Outcome<std::optional<Value>> Engine::json_get(const RunState& run, std::string_view key, std::string_view path_text) {
  Outcome<std::optional<Value>> o;
  json::Path path;
  if ((o.ec = keys::check_user_key(key, &o.detail)) || (o.ec = json::parse_path(path_text, path, &o.detail)) ||
      (o.ec = usable(run, o.detail)))
    return o;
  o.value = json_path_at(doc_key(run, key), path, coordinator_->visible());
  return o;
}

std::optional<Value> Engine::json_path_at(std::string_view storage_key, const json::Path& path, Version snapshot) {
  // Copies out only the value at the path, under the shard's ownership
  // (documents can be large; a path read should not copy all of it).
  const auto hk = storage::HashedKey::of(storage_key);
  return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) -> std::optional<Value> {
    const auto* chain = s.find(hk);
    const auto* node = chain ? chain->at(snapshot) : nullptr;
    if (!node || node->tombstone) return std::nullopt;
    if (const Value* v = json::find(node->value, path)) return *v;
    return std::nullopt;
  });
}

Outcome<KeyPage> Engine::json_list(const RunState& run, std::string_view prefix, const PageRequest& page) {
  return list_page(run, keys::Primitive::Json, prefix, page, coordinator_->visible());
}

}  // namespace strata::detail
