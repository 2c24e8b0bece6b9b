#include "wal/log_records.hpp"

#include "codec/value_codec.hpp"

namespace strata::wal {

using codec::get_varint;
using codec::put_varint;

namespace {
constexpr std::uint8_t kOpPut = 1;
constexpr std::uint8_t kOpDelete = 2;

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

void encode_commit(Version version, std::int64_t ts, keys::RunId run, std::span<const actors::WriteIntent> writes,
                   std::string& payload) {
  put_varint(payload, version);
  put_varint(payload, static_cast<std::uint64_t>(ts));
  put_varint(payload, run);
  put_varint(payload, writes.size());
  for (const auto& w : writes) {
    payload.push_back(static_cast<char>(w.tombstone ? kOpDelete : kOpPut));
    put_string(payload, w.key);
    if (!w.tombstone) codec::encode_value(w.value, payload);
  }
}

bool decode_commit(std::string_view in, CommitEntry& out, std::string& why) {
  std::uint64_t version = 0, ts = 0, n = 0;
  if (!get_u64(in, version, "version", why) || !get_u64(in, ts, "timestamp", why) ||
      !get_run_id(in, out.run, why) || !get_u64(in, n, "write count", why))
    return false;
  if (n > in.size()) return why = "write count exceeds record", false;
  out.version = version;
  out.timestamp_us = static_cast<std::int64_t>(ts);
  out.writes.clear();
  out.writes.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    if (in.empty()) return why = "write cut short", false;
    const auto op = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    actors::WriteIntent w;
    if (op != kOpPut && op != kOpDelete) return why = "unknown write op " + std::to_string(op), false;
    if (!get_string(in, w.key) || w.key.size() < keys::kStorageKeyHeader) return why = "bad key", false;
    w.tombstone = op == kOpDelete;
    if (!w.tombstone && !get_value(in, w.value, why)) return false;
    out.writes.push_back(std::move(w));
  }
  return at_end(in, why);
}

void encode_run_create(keys::RunId id, const RunInfo& info, std::string& payload) {
  put_varint(payload, id);
  put_varint(payload, static_cast<std::uint64_t>(info.created_us));
  put_string(payload, info.name);
  codec::encode_value(Value(info.metadata), payload);
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
