#include "wal/log_records.hpp"

#include "codec/value_codec.hpp"
#include "mvcc/version_chain.hpp"

#include <algorithm>

namespace strata::wal {

using codec::get_varint;
using codec::put_varint;

namespace {
constexpr std::uint8_t kOpPut = 1;
constexpr std::uint8_t kOpDelete = 2;
constexpr std::uint8_t kOpEvent = 3;
constexpr std::uint8_t kOpPatch = 4;
constexpr std::uint8_t kOpVector = 5;
constexpr std::uint8_t kOpPutTtl = 6;

bool get_u64(std::string_view& in, std::uint64_t& v, const char* field, std::string& why) {
  if (get_varint(in, v)) return true;
  why = std::string("bad ") + field;
  return false;
}

bool get_value(std::string_view& in, Value& v, std::string& why) {
  error_code ec;
  v = codec::decode_value(in, ec);
  if (ec) why = "bad value: " + ec.message();
  return !ec;
}

bool get_run_id(std::string_view& in, keys::RunId& id, std::string& why) {
  std::uint64_t v = 0;
  if (!get_u64(in, v, "run id", why)) return false;
  id = static_cast<keys::RunId>(v);
  return true;
}

bool at_end(std::string_view in, std::string& why) {
  if (in.empty()) return true;
  why = "trailing bytes in record";
  return false;
}
}  // namespace

void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

bool get_string(std::string_view& in, std::string& s) {
  std::uint64_t n = 0;
  if (!get_varint(in, n) || n > in.size()) return false;
  s.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

namespace {

/// A vector's value is [Bytes: the floats, little-endian; metadata or Null]
/// (vector/layout.hpp): logged as the float count, the raw floats and the
/// metadata's value encoding.
bool encode_vector(const commit::WriteIntent& w, std::string& payload) {
  const Array* a = w.value.if_array();
  if (w.tombstone || keys::primitive_of(w.key) != keys::Primitive::Vector || !a || a->size() != 2 ||
      !(*a)[0].is_bytes() || (*a)[0].as_bytes().size() % 4 != 0)
    return false;
  const Bytes& floats = (*a)[0].as_bytes();
  payload.push_back(static_cast<char>(kOpVector));
  put_string(payload, w.key);
  put_varint(payload, floats.size() / 4);
  payload.append(reinterpret_cast<const char*>(floats.data()), floats.size());
  codec::encode_value((*a)[1], payload);
  return true;
}

void encode_write(const commit::WriteIntent& w, std::string& payload) {
  if (encode_vector(w, payload)) return;
  const bool ttl = w.ttl_ms != 0 && !w.tombstone;
  payload.push_back(static_cast<char>(w.tombstone ? kOpDelete : ttl ? kOpPutTtl : kOpPut));
  put_string(payload, w.key);
  if (ttl) put_varint(payload, w.ttl_ms);
  if (!w.tombstone) codec::encode_value(w.value, payload);
}

void encode_event(const events::AppendedEvent& e, std::string& payload) {
  payload.push_back(static_cast<char>(kOpEvent));
  put_varint(payload, e.sequence);
  put_string(payload, e.type);
  codec::encode_value(e.payload, payload);
  payload.append(e.hash.begin(), e.hash.end());
}

void encode_patch(const commit::JsonPatch& p, std::string& payload) {
  payload.push_back(static_cast<char>(kOpPatch));
  put_string(payload, p.key);
  put_varint(payload, p.edits.size());
  for (const auto& e : p.edits) {
    payload.push_back(static_cast<char>(e.kind));
    put_string(payload, json::format_path(e.path));
    if (e.kind == json::ResolvedEdit::Kind::Set) codec::encode_value(e.value, payload);
  }
}

bool decode_write(std::string_view& in, std::uint8_t op, commit::OwnedCommit& out, std::string& why) {
  commit::WriteIntent w;
  if (!get_string(in, w.key) || w.key.size() < keys::kStorageKeyHeader) return why = "bad key", false;
  w.tombstone = op == kOpDelete;
  if (op == kOpPutTtl) {
    if (!get_u64(in, w.ttl_ms, "ttl", why)) return false;
    if (w.ttl_ms == 0 || w.ttl_ms > mvcc::VersionNode::kMaxTtlMs) return why = "bad ttl", false;
  }
  if (!w.tombstone && !get_value(in, w.value, why)) return false;
  out.writes.push_back(std::move(w));
  return true;
}

bool decode_vector(std::string_view& in, commit::OwnedCommit& out, std::string& why) {
  commit::WriteIntent w;
  std::uint64_t count = 0;
  if (!get_string(in, w.key) || w.key.size() < keys::kStorageKeyHeader) return why = "bad key", false;
  if (!get_u64(in, count, "float count", why)) return false;
  if (count == 0 || count > in.size() / 4) return why = "float count exceeds record", false;
  Bytes floats(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(count * 4));
  in.remove_prefix(count * 4);
  Value metadata;
  if (!get_value(in, metadata, why)) return false;
  w.value = Value(Array{Value(std::move(floats)), std::move(metadata)});
  out.writes.push_back(std::move(w));
  return true;
}

bool decode_event(std::string_view& in, commit::OwnedCommit& out, std::string& why) {
  events::AppendedEvent e;
  if (!get_u64(in, e.sequence, "event sequence", why)) return false;
  if (!get_string(in, e.type)) return why = "bad event type", false;
  if (!get_value(in, e.payload, why)) return false;
  if (!e.payload.is_object()) return why = "event payload is not an object", false;
  if (in.size() < e.hash.size()) return why = "event hash cut short", false;
  std::copy_n(in.begin(), e.hash.size(), e.hash.begin());
  in.remove_prefix(e.hash.size());
  out.events.push_back(std::move(e));
  return true;
}

bool decode_edit(std::string_view& in, json::ResolvedEdit& e, std::string& why) {
  if (in.empty()) return why = "JSON edit cut short", false;
  const auto kind = static_cast<std::uint8_t>(in.front());
  in.remove_prefix(1);
  if (kind != 1 && kind != 2) return why = "unknown JSON edit kind " + std::to_string(kind), false;
  e.kind = static_cast<json::ResolvedEdit::Kind>(kind);
  std::string text;
  if (!get_string(in, text)) return why = "bad JSON path", false;
  if (json::parse_path(text, e.path, &why)) return false;
  return e.kind == json::ResolvedEdit::Kind::Erase || get_value(in, e.value, why);
}

bool decode_patch(std::string_view& in, commit::OwnedCommit& out, std::string& why) {
  commit::JsonPatch p;
  std::uint64_t n = 0;
  if (!get_string(in, p.key) || p.key.size() < keys::kStorageKeyHeader) return why = "bad key", false;
  if (!get_u64(in, n, "edit count", why)) return false;
  if (n > in.size()) return why = "edit count exceeds record", false;
  p.edits.resize(n);
  for (auto& e : p.edits)
    if (!decode_edit(in, e, why)) return false;
  out.patches.push_back(std::move(p));
  return true;
}

}  // namespace

std::size_t patch_size(const commit::JsonPatch& patch) {
  std::string scratch;
  encode_patch(patch, scratch);
  return scratch.size();
}

void encode_commit(const commit::CommitEntry& c, std::string& payload) {
  put_varint(payload, c.version);
  put_varint(payload, static_cast<std::uint64_t>(c.timestamp_us));
  put_varint(payload, c.run);
  put_varint(payload, c.writes.size() + c.events.size() + c.patches.size());
  for (const auto& w : c.writes) encode_write(w, payload);
  for (const auto& e : c.events) encode_event(e, payload);
  for (const auto& p : c.patches) encode_patch(p, payload);
}

bool decode_commit(std::string_view in, commit::OwnedCommit& out, std::string& why) {
  std::uint64_t version = 0, ts = 0, n = 0;
  if (!get_u64(in, version, "version", why) || !get_u64(in, ts, "timestamp", why) ||
      !get_run_id(in, out.run, why) || !get_u64(in, n, "write count", why))
    return false;
  if (n > in.size()) return why = "write count exceeds record", false;
  out.version = version;
  out.timestamp_us = static_cast<std::int64_t>(ts);
  out.writes.clear();
  out.events.clear();
  out.patches.clear();
  for (std::uint64_t i = 0; i < n; ++i) {
    if (in.empty()) return why = "write cut short", false;
    const auto op = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    bool ok = false;
    if (op == kOpPut || op == kOpDelete || op == kOpPutTtl) ok = decode_write(in, op, out, why);
    else if (op == kOpEvent) ok = decode_event(in, out, why);
    else if (op == kOpPatch) ok = decode_patch(in, out, why);
    else if (op == kOpVector) ok = decode_vector(in, out, why);
    else why = "unknown write op " + std::to_string(op);
    if (!ok) return false;
  }
  return at_end(in, why);
}

void encode_run_create(keys::RunId id, const RunInfo& info, std::string& payload, keys::RunId parent_id) {
  put_varint(payload, id);
  put_varint(payload, static_cast<std::uint64_t>(info.created_us));
  put_string(payload, info.name);
  codec::encode_value(Value(info.metadata), payload);
  if (parent_id == 0) return;  // a plain run ends here (the format before forks)
  put_varint(payload, parent_id);
  put_varint(payload, info.fork_version.value_or(0));
}

bool decode_run_create(std::string_view in, RunEntry& out, std::string& why) {
  std::uint64_t created = 0;
  Value meta;
  if (!get_run_id(in, out.id, why) || !get_u64(in, created, "created time", why)) return false;
  if (!get_string(in, out.info.name)) return why = "bad run name", false;
  if (!get_value(in, meta, why)) return false;
  if (!meta.is_object()) return why = "run metadata is not an object", false;
  out.info.created_us = static_cast<std::int64_t>(created);
  out.info.metadata = std::move(meta.as_object());
  out.parent_id = 0;
  if (!in.empty()) {  // a fork: parent run and fork version
    std::uint64_t fork_version = 0;
    if (!get_run_id(in, out.parent_id, why) || !get_u64(in, fork_version, "fork version", why)) return false;
    if (out.parent_id == 0 || out.parent_id == out.id) return why = "bad fork parent", false;
    out.info.fork_version = fork_version;
  }
  return at_end(in, why);
}

void encode_run_delete(keys::RunId id, std::string& payload) { put_varint(payload, id); }

bool decode_run_delete(std::string_view in, RunEntry& out, std::string& why) {
  return get_run_id(in, out.id, why) && at_end(in, why);
}

void encode_run_update(keys::RunId id, const RunInfo& info, std::string& payload) {
  put_varint(payload, id);
  payload.push_back(static_cast<char>(info.status));
  codec::encode_value(Value(info.metadata), payload);
}

bool decode_run_update(std::string_view in, RunEntry& out, std::string& why) {
  if (!get_run_id(in, out.id, why)) return false;
  if (in.empty() || static_cast<std::uint8_t>(in.front()) > static_cast<std::uint8_t>(RunStatus::Archived))
    return why = "bad run status", false;
  out.info.status = static_cast<RunStatus>(in.front());
  in.remove_prefix(1);
  Value meta;
  if (!get_value(in, meta, why)) return false;
  if (!meta.is_object()) return why = "run metadata is not an object", false;
  out.info.metadata = std::move(meta.as_object());
  return at_end(in, why);
}

}  // namespace strata::wal
