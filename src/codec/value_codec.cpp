// Binary value codec; layout in docs/formats/value-encoding.md.
#include "codec/value_codec.hpp"

#include "unicode/utf8.hpp"

#include <cmath>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <string>

namespace strata::codec {
namespace {

// Tag bytes. Bool gets two tags so that every byte after a tag is payload
// and no Bool payload can be out of range.
enum Tag : std::uint8_t {
  kNull = 0x00,
  kFalse = 0x01,
  kTrue = 0x02,
  kInt = 0x03,
  kFloat = 0x04,
  kString = 0x05,
  kBytes = 0x06,
  kArray = 0x07,
  kObject = 0x08,
};

// Never reserve more than this many elements up front: a forged count that
// still fits the remaining input must not cost more memory than the input
// could really describe before decoding fails.
constexpr std::size_t kMaxReserve = 4096;

std::uint64_t zigzag(std::int64_t n) noexcept {
  return (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63);
}

std::int64_t unzigzag(std::uint64_t u) noexcept {
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

void put_u64_le(std::string& out, std::uint64_t x) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

std::uint64_t get_u64_le(std::string_view in) noexcept {
  std::uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x |= std::uint64_t{static_cast<std::uint8_t>(in[i])} << (8 * i);
  return x;
}

// Reads a varint, telling apart "input ended" from "bad encoding" so the
// decoder can report codec_truncated vs invalid_input.
errc read_varint(std::string_view& in, std::uint64_t& x) noexcept {
  std::uint64_t result = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (i >= in.size()) return errc::codec_truncated;
    const auto byte = static_cast<std::uint8_t>(in[i]);
    // The 10th group holds only bit 63; anything more overflows.
    if (i == 9 && byte > 1) return errc::invalid_input;
    result |= std::uint64_t{byte & 0x7fu} << (7 * i);
    if ((byte & 0x80) == 0) {
      if (byte == 0 && i > 0) return errc::invalid_input;  // overlong form
      x = result;
      in.remove_prefix(i + 1);
      return errc::ok;
    }
  }
  return errc::invalid_input;
}

void encode_into(const Value& v, std::string& out, std::size_t level);

void encode_string(std::uint8_t tag, std::string_view s, std::string& out) {
  out.push_back(static_cast<char>(tag));
  put_varint(out, s.size());
  out.append(s);
}

void encode_container(const Value& v, std::string& out, std::size_t level) {
  if (level + 1 > kMaxNestingDepth) {
    throw Error(errc::nesting_too_deep, "cannot encode a value nested deeper than " +
                                            std::to_string(kMaxNestingDepth) + " levels");
  }
  if (const Array* a = v.if_array()) {
    out.push_back(static_cast<char>(kArray));
    put_varint(out, a->size());
    for (const Value& item : *a) encode_into(item, out, level + 1);
    return;
  }
  const Object& o = *v.if_object();
  out.push_back(static_cast<char>(kObject));
  put_varint(out, o.size());
  for (const auto& [key, item] : o) {  // map order = byte order: canonical
    put_varint(out, key.size());
    out.append(key);
    encode_into(item, out, level + 1);
  }
}

void encode_into(const Value& v, std::string& out, std::size_t level) {
  switch (v.kind()) {
    case ValueKind::Null: out.push_back(static_cast<char>(kNull)); return;
    case ValueKind::Bool: out.push_back(static_cast<char>(*v.if_bool() ? kTrue : kFalse)); return;
    case ValueKind::Int:
      out.push_back(static_cast<char>(kInt));
      put_varint(out, zigzag(*v.if_int()));
      return;
    case ValueKind::Float:
      out.push_back(static_cast<char>(kFloat));
      put_u64_le(out, std::bit_cast<std::uint64_t>(*v.if_float()));
      return;
    case ValueKind::String: encode_string(kString, *v.if_string(), out); return;
    case ValueKind::Bytes: {
      const Bytes& b = *v.if_bytes();
      encode_string(kBytes, {reinterpret_cast<const char*>(b.data()), b.size()}, out);
      return;
    }
    case ValueKind::Array:
    case ValueKind::Object: encode_container(v, out, level); return;
  }
}

constexpr std::size_t kTooDeep = std::numeric_limits<std::size_t>::max();

std::size_t size_at(const Value& v, std::size_t level) noexcept;

std::size_t container_size(const Value& v, std::size_t level) noexcept {
  if (level + 1 > kMaxNestingDepth) return kTooDeep;
  std::size_t total = 1;
  auto add = [&total](std::size_t n) {
    total = (n == kTooDeep || total > kTooDeep - n) ? kTooDeep : total + n;
  };
  if (const Array* a = v.if_array()) {
    add(varint_size(a->size()));
    for (const Value& item : *a) add(size_at(item, level + 1));
    return total;
  }
  const Object& o = *v.if_object();
  add(varint_size(o.size()));
  for (const auto& [key, item] : o) {
    add(varint_size(key.size()) + key.size());
    add(size_at(item, level + 1));
  }
  return total;
}

std::size_t size_at(const Value& v, std::size_t level) noexcept {
  switch (v.kind()) {
    case ValueKind::Null:
    case ValueKind::Bool: return 1;
    case ValueKind::Int: return 1 + varint_size(zigzag(*v.if_int()));
    case ValueKind::Float: return 1 + 8;
    case ValueKind::String: return 1 + varint_size(v.if_string()->size()) + v.if_string()->size();
    case ValueKind::Bytes: return 1 + varint_size(v.if_bytes()->size()) + v.if_bytes()->size();
    case ValueKind::Array:
    case ValueKind::Object: return container_size(v, level);
  }
  return 0;
}

// Decodes from `in_`, advancing it; the first error stops everything.
class Decoder {
 public:
  explicit Decoder(std::string_view in) noexcept : in_(in) {}

  errc value(Value& out, std::size_t level);
  std::string_view rest() const noexcept { return in_; }

 private:
  errc length(std::uint64_t& n, std::uint64_t min_bytes_each);
  errc raw(std::string_view& out);
  errc array(Value& out, std::size_t level);
  errc object(Value& out, std::size_t level);

  std::string_view in_;
};

// Reads a count/length and rejects it if the remaining input cannot hold
// that many items of at least `min_bytes_each` bytes: a forged count fails
// here, before any allocation.
errc Decoder::length(std::uint64_t& n, std::uint64_t min_bytes_each) {
  if (errc e = read_varint(in_, n); e != errc::ok) return e;
  if (n > in_.size() / min_bytes_each) return errc::codec_truncated;
  return errc::ok;
}

errc Decoder::raw(std::string_view& out) {
  std::uint64_t n = 0;
  if (errc e = length(n, 1); e != errc::ok) return e;
  out = in_.substr(0, n);
  in_.remove_prefix(n);
  return errc::ok;
}

errc Decoder::array(Value& out, std::size_t level) {
  std::uint64_t n = 0;
  if (errc e = length(n, 1); e != errc::ok) return e;  // each item >= 1 byte
  Array items;
  items.reserve(std::min<std::uint64_t>(n, kMaxReserve));
  for (std::uint64_t i = 0; i < n; ++i) {
    if (errc e = value(items.emplace_back(), level + 1); e != errc::ok) return e;
  }
  out = Value(std::move(items));
  return errc::ok;
}

errc Decoder::object(Value& out, std::size_t level) {
  std::uint64_t n = 0;
  if (errc e = length(n, 2); e != errc::ok) return e;  // key length + tag
  Object members;
  std::string_view previous;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string_view key;
    if (errc e = raw(key); e != errc::ok) return e;
    // Strictly increasing keys keep the encoding canonical and rule out
    // duplicates that would silently collapse.
    if (i > 0 && !(previous < key)) return errc::invalid_input;
    previous = key;
    Value item;
    if (errc e = value(item, level + 1); e != errc::ok) return e;
    members.emplace_hint(members.end(), std::string(key), std::move(item));
  }
  out = Value(std::move(members));
  return errc::ok;
}

errc Decoder::value(Value& out, std::size_t level) {
  if (in_.empty()) return errc::codec_truncated;
  const auto tag = static_cast<std::uint8_t>(in_.front());
  in_.remove_prefix(1);
  switch (tag) {
    case kNull: out = Value(); return errc::ok;
    case kFalse: out = Value(false); return errc::ok;
    case kTrue: out = Value(true); return errc::ok;
    case kInt: {
      std::uint64_t u = 0;
      if (errc e = read_varint(in_, u); e != errc::ok) return e;
      out = Value(unzigzag(u));
      return errc::ok;
    }
    case kFloat:
      if (in_.size() < 8) return errc::codec_truncated;
      out = Value(std::bit_cast<double>(get_u64_le(in_)));
      in_.remove_prefix(8);
      return errc::ok;
    case kString:
    case kBytes: {
      std::string_view s;
      if (errc e = raw(s); e != errc::ok) return e;
      out = tag == kString ? Value(std::string(s)) : Value::bytes(s);
      return errc::ok;
    }
    case kArray:
    case kObject:
      if (level + 1 > kMaxNestingDepth) return errc::nesting_too_deep;
      return tag == kArray ? array(out, level) : object(out, level);
    default: return errc::codec_bad_tag;
  }
}

}  // namespace

void put_varint(std::string& out, std::uint64_t x) {
  while (x >= 0x80) {
    out.push_back(static_cast<char>((x & 0x7f) | 0x80));
    x >>= 7;
  }
  out.push_back(static_cast<char>(x));
}

std::size_t varint_size(std::uint64_t x) noexcept {
  std::size_t n = 1;
  while (x >= 0x80) {
    x >>= 7;
    ++n;
  }
  return n;
}

bool get_varint(std::string_view& in, std::uint64_t& x) {
  return read_varint(in, x) == errc::ok;
}

void encode_value(const Value& v, std::string& out) {
  const std::size_t size = encoded_size(v);
  if (size != kTooDeep) out.reserve(out.size() + size);
  encode_into(v, out, 0);
}

std::size_t encoded_size(const Value& v) noexcept { return size_at(v, 0); }

void encode_value_versioned(const Value& v, std::string& out) {
  out.push_back(static_cast<char>(kValueFormatVersion));
  encode_value(v, out);
}

Value decode_value(std::string_view& in, error_code& ec) {
  Decoder d(in);
  Value v;
  if (errc e = d.value(v, 0); e != errc::ok) {
    ec = make_error_code(e);
    return Value();
  }
  ec.clear();
  in = d.rest();
  return v;
}

Value decode_value_versioned(std::string_view in, error_code& ec) {
  if (in.empty()) {
    ec = make_error_code(errc::codec_truncated);
    return Value();
  }
  if (static_cast<std::uint8_t>(in.front()) != kValueFormatVersion) {
    ec = make_error_code(errc::codec_bad_version);
    return Value();
  }
  in.remove_prefix(1);
  Value v = decode_value(in, ec);
  if (ec) return Value();
  if (!in.empty()) {
    ec = make_error_code(errc::invalid_input);
    return Value();
  }
  return v;
}

namespace {

/// Strings and Object keys valid UTF-8, Floats finite. REQUIRES: depth
/// already checked (the recursion is bounded by kMaxNestingDepth).
error_code check_content(const Value& v, std::string* detail) {
  auto bad_text = [&](std::string_view what, std::string_view text) {
    if (detail) *detail = std::string(what) + " " + utf8::quote(text) + " is not valid UTF-8";
    return make_error_code(errc::invalid_utf8);
  };
  if (const std::string* s = v.if_string()) return utf8::is_valid(*s) ? error_code() : bad_text("String", *s);
  if (const double* d = v.if_float()) {
    if (std::isfinite(*d)) return {};
    if (detail) *detail = std::string("Float ") + (std::isnan(*d) ? "NaN" : *d > 0 ? "Infinity" : "-Infinity") +
                          " cannot be stored (it has no JSON form)";
    return make_error_code(errc::non_finite_float);
  }
  if (const Array* a = v.if_array()) {
    for (const Value& item : *a)
      if (auto ec = check_content(item, detail)) return ec;
  } else if (const Object* o = v.if_object()) {
    for (const auto& [key, member] : *o) {
      if (!utf8::is_valid(key)) return bad_text("Object key", key);
      if (auto ec = check_content(member, detail)) return ec;
    }
  }
  return {};
}

}  // namespace

error_code check_value_limits(const Value& v, std::string* detail) {
  if (auto ec = check_value_shape(v, detail)) return ec;
  return check_content(v, detail);
}

error_code check_value_shape(const Value& v, std::string* detail) {
  const std::size_t depth = v.depth();
  if (depth > kMaxNestingDepth) {
    if (detail) {
      *detail = "value nests " + std::to_string(depth) + " levels deep; the limit is " +
                std::to_string(kMaxNestingDepth);
    }
    return make_error_code(errc::nesting_too_deep);
  }
  const std::size_t size = encoded_size(v);
  if (size > kMaxValueBytes) {
    if (detail) {
      *detail = "value encodes to " + std::to_string(size) + " bytes; the limit is " +
                std::to_string(kMaxValueBytes) + " bytes";
    }
    return make_error_code(errc::value_too_large);
  }
  return {};
}

}  // namespace strata::codec
