#include "events/event_log.hpp"

#include "codec/value_codec.hpp"
#include "keys/key_rules.hpp"

#include <algorithm>
#include <cstring>

namespace strata::events {

namespace {

void put_be64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

std::string digest_bytes(const crypto::Digest& d) { return std::string(d.begin(), d.end()); }

crypto::Digest digest_from(const Bytes& b) {
  crypto::Digest d{};
  if (b.size() == d.size()) std::copy(b.begin(), b.end(), d.begin());
  return d;
}

}  // namespace

error_code check_event_type(std::string_view type, std::string* detail) {
  auto fail = [&](std::string why) {
    if (detail) *detail = "event type " + keys::quote_for_message(type) + " " + why;
    return make_error_code(errc::invalid_event_type);
  };
  if (type.empty()) return fail("is empty (event types are 1-256 bytes)");
  if (type.size() > kMaxEventTypeBytes)
    return fail("is " + std::to_string(type.size()) + " bytes long (the limit is 256)");
  if (type.find('\0') != std::string_view::npos) return fail("contains a NUL byte");
  if (!keys::is_valid_utf8(type)) return fail("is not valid UTF-8");
  return {};
}

error_code check_event_payload(const Value& payload, std::string* detail) {
  if (!payload.is_object()) {
    if (detail) *detail = std::string("event payloads must be Objects, not ") + std::string(kind_name(payload.kind()));
    return make_error_code(errc::wrong_type);
  }
  return codec::check_value_limits(payload, detail);
}

error_code check_read_limit(std::optional<std::size_t> limit, std::string* detail) {
  if (!limit || *limit > 0) return {};
  if (detail) *detail = "limit must be at least 1";
  return make_error_code(errc::invalid_limit);
}

error_code check_range(std::uint64_t from, std::uint64_t to, std::string* detail) {
  if (from >= 1 && to >= from) return {};
  if (detail)
    *detail = "event range " + std::to_string(from) + ".." + std::to_string(to) +
              (from == 0 ? " starts at 0 (sequences start at 1)" : " ends before it starts");
  return make_error_code(errc::invalid_sequence);
}

std::string event_key(keys::RunId run, std::uint64_t seq) {
  std::string k = keys::storage_key(run, keys::Primitive::Event, {});
  put_be64(k, seq);
  return k;
}

std::string head_key(keys::RunId run) { return keys::storage_key(run, keys::Primitive::EventHead, {}); }

std::string type_index_prefix(keys::RunId run, std::string_view type) {
  std::string k = keys::storage_key(run, keys::Primitive::EventType, type);
  k.push_back('\0');  // types contain no NUL, so "a" never prefixes "ab"'s entries
  return k;
}

std::string type_index_key(keys::RunId run, std::string_view type, std::uint64_t seq) {
  std::string k = type_index_prefix(run, type);
  put_be64(k, seq);
  return k;
}

std::uint64_t sequence_of(std::string_view key) noexcept {
  std::uint64_t v = 0;
  if (key.size() < 8) return 0;
  for (unsigned char c : key.substr(key.size() - 8)) v = v << 8 | c;
  return v;
}

Head decode_head(const Value* stored) {
  Head h;
  const Array* a = stored ? stored->if_array() : nullptr;
  if (!a || a->size() != 2 || !(*a)[0].is_int() || !(*a)[1].is_bytes()) return h;
  h.length = static_cast<std::uint64_t>((*a)[0].as_int());
  h.last_hash = digest_from((*a)[1].as_bytes());
  return h;
}

Value encode_head(const Head& head) {
  return Value(Array{Value(static_cast<std::int64_t>(head.length)), Value::bytes(digest_bytes(head.last_hash))});
}

crypto::Digest chain_hash(const crypto::Digest& prev, std::uint64_t seq, std::string_view type,
                          const Value& payload, std::int64_t timestamp_us) {
  std::string buf;
  buf.reserve(64 + type.size());
  buf.append(prev.begin(), prev.end());
  put_be64(buf, seq);
  put_be64(buf, type.size());  // length-prefixed, so type and payload bytes cannot be re-split
  buf.append(type);
  codec::encode_value(payload, buf);  // canonical: object keys are sorted
  put_be64(buf, static_cast<std::uint64_t>(timestamp_us));
  return crypto::sha256(buf);
}

Value encode_event(std::string type, Value payload, const crypto::Digest& hash) {
  return Value(Array{Value(std::move(type)), std::move(payload), Value::bytes(digest_bytes(hash))});
}

bool decode_event(const Value& stored, std::uint64_t seq, std::int64_t timestamp_us, Event& out) {
  const Array* a = stored.if_array();
  if (!a || a->size() != 3 || !(*a)[0].is_string() || !(*a)[1].is_object() || !(*a)[2].is_bytes()) return false;
  out.sequence = seq;
  out.type = (*a)[0].as_string();
  out.payload = (*a)[1].as_object();
  out.timestamp_us = timestamp_us;
  out.hash = crypto::to_hex(digest_from((*a)[2].as_bytes()));
  return true;
}

std::string_view stored_hash(const Value& stored) noexcept {
  const Array* a = stored.if_array();
  if (!a || a->size() != 3 || !(*a)[2].is_bytes()) return {};
  const Bytes& b = (*a)[2].as_bytes();
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace strata::events
