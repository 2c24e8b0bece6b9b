// JSON conversion of strata::Value (docs/design/values.md) with Boost.JSON: to_json,
// from_json, to_json_string and operator<<. parse_json is in json_reader.cpp.
//
// Mapping: Null/Bool/String/Array/Object map to their JSON namesakes, Int to
// an int64 number, Float to a double number and Bytes to
// {"$bytes":"<standard base64 with padding>"}. Reading back, an object whose
// only member is "$bytes" holding a string is Bytes; an Object that happens
// to have exactly that shape therefore does not round-trip (documented
// ambiguity of the format).
//
// NaN and +/-Infinity have no JSON representation: to_json and
// to_json_string throw Error(errc::invalid_input) for them rather than emit
// invalid JSON or silently change the value. operator<< (diagnostics) prints
// them as NaN / Infinity / -Infinity instead of throwing.
//
// <boost/json.hpp> is included by .cpp files only: the project links the
// compiled Boost::json library, and public headers must not pull in its
// sources (boost/json/src.hpp must never be compiled twice).
#include <strata/value.hpp>

#include "codec/value_codec.hpp"
#include "value/json_mapping.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <ostream>
#include <string>

namespace strata {
namespace json = boost::json;
namespace {

using json_mapping::base64_decode;
using json_mapping::base64_encode;
using json_mapping::kBytesKey;

// ---- Value -> JSON ----------------------------------------------------------

[[noreturn]] void throw_non_finite(double d) {
  throw Error(errc::invalid_input, "Float " + std::string(std::isnan(d) ? "NaN" : "Infinity") +
                                       " cannot be represented in JSON");
}

void check_container_level(std::size_t level) {
  if (level + 1 > kMaxNestingDepth) {
    throw Error(errc::nesting_too_deep, "value nests deeper than " +
                                            std::to_string(kMaxNestingDepth) + " levels");
  }
}

json::value to_json_at(const Value& v, std::size_t level) {
  switch (v.kind()) {
    case ValueKind::Null: return nullptr;
    case ValueKind::Bool: return *v.if_bool();
    case ValueKind::Int: return *v.if_int();
    case ValueKind::Float:
      if (!std::isfinite(*v.if_float())) throw_non_finite(*v.if_float());
      return *v.if_float();
    case ValueKind::String: return json::string(*v.if_string());
    case ValueKind::Bytes: return json::object{{kBytesKey, base64_encode(*v.if_bytes())}};
    case ValueKind::Array: {
      check_container_level(level);
      json::array a;
      a.reserve(v.if_array()->size());
      for (const Value& item : *v.if_array()) a.push_back(to_json_at(item, level + 1));
      return a;
    }
    case ValueKind::Object: {
      check_container_level(level);
      json::object o;
      o.reserve(v.if_object()->size());
      for (const auto& [key, item] : *v.if_object()) o.emplace(key, to_json_at(item, level + 1));
      return o;
    }
  }
  return nullptr;
}

// ---- Value -> JSON text -----------------------------------------------------

// Shortest text that parses back to the same double; ".0" is added when the
// text would otherwise read back as an Int (1.0 -> "1.0", not "1").
void append_float(double d, std::string& out) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  const std::string_view text(buf, static_cast<std::size_t>(end - buf));
  out += text;
  if (text.find_first_of(".eEn") == std::string_view::npos) out += ".0";
}

// `lenient` is the operator<< mode: non-finite floats print as bare tokens
// and over-deep containers as "...", instead of throwing.
void write_json(const Value& v, std::string& out, std::size_t level, bool lenient) {
  switch (v.kind()) {
    case ValueKind::Null: out += "null"; return;
    case ValueKind::Bool: out += *v.if_bool() ? "true" : "false"; return;
    case ValueKind::Int: out += std::to_string(*v.if_int()); return;
    case ValueKind::Float: {
      const double d = *v.if_float();
      if (std::isfinite(d)) return append_float(d, out);
      if (!lenient) throw_non_finite(d);
      out += std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
      return;
    }
    case ValueKind::String: out += json::serialize(json::string_view(*v.if_string())); return;
    case ValueKind::Bytes:
      out += "{\"$bytes\":\"" + base64_encode(*v.if_bytes()) + "\"}";
      return;
    case ValueKind::Array:
    case ValueKind::Object: break;
  }
  if (lenient && level + 1 > kMaxNestingDepth) {
    out += "...";
    return;
  }
  check_container_level(level);
  char sep = 0;
  if (const Array* a = v.if_array()) {
    out += '[';
    for (const Value& item : *a) {
      if (sep) out += sep;
      sep = ',';
      write_json(item, out, level + 1, lenient);
    }
    out += ']';
    return;
  }
  out += '{';
  for (const auto& [key, item] : *v.if_object()) {
    if (sep) out += sep;
    sep = ',';
    out += json::serialize(json::string_view(key));
    out += ':';
    write_json(item, out, level + 1, lenient);
  }
  out += '}';
}

// ---- JSON -> Value ----------------------------------------------------------

struct Problem {
  errc code = errc::ok;
  std::string detail;
};

bool fail(Problem& p, errc code, std::string detail) {
  p.code = code;
  p.detail = std::move(detail);
  return false;
}

bool from_json_at(const json::value& j, Value& out, std::size_t level, Problem& p);

bool container_level_ok(std::size_t level, Problem& p) {
  if (level + 1 <= kMaxNestingDepth) return true;
  return fail(p, errc::nesting_too_deep, json_mapping::too_deep_detail());
}

bool object_from_json(const json::object& o, Value& out, std::size_t level, Problem& p) {
  if (o.size() == 1 && o.begin()->key() == kBytesKey && o.begin()->value().is_string()) {
    const json::string& text = o.begin()->value().get_string();
    Bytes bytes;
    if (!base64_decode(text, bytes)) {
      return fail(p, errc::invalid_json, json_mapping::bad_base64_detail(text));
    }
    out = Value(std::move(bytes));
    return true;
  }
  if (!container_level_ok(level, p)) return false;
  Object members;
  for (const auto& member : o) {
    Value item;
    if (!from_json_at(member.value(), item, level + 1, p)) return false;
    members.insert_or_assign(std::string(member.key()), std::move(item));
  }
  out = Value(std::move(members));
  return true;
}

bool array_from_json(const json::array& a, Value& out, std::size_t level, Problem& p) {
  if (!container_level_ok(level, p)) return false;
  Array items;
  items.reserve(a.size());
  for (const auto& element : a) {
    if (!from_json_at(element, items.emplace_back(), level + 1, p)) return false;
  }
  out = Value(std::move(items));
  return true;
}

bool from_json_at(const json::value& j, Value& out, std::size_t level, Problem& p) {
  switch (j.kind()) {
    case json::kind::null: out = Value(); return true;
    case json::kind::bool_: out = Value(j.get_bool()); return true;
    case json::kind::int64: out = Value(j.get_int64()); return true;
    case json::kind::uint64:
      if (j.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return fail(p, errc::integer_out_of_range,
                    json_mapping::uint64_out_of_range_detail(j.get_uint64()));
      }
      out = Value(static_cast<std::int64_t>(j.get_uint64()));
      return true;
    case json::kind::double_:
      // Boost.JSON turns out-of-range literals such as 1e400 into infinity.
      if (!std::isfinite(j.get_double())) {
        return fail(p, errc::invalid_json, json_mapping::non_finite_number_detail());
      }
      out = Value(j.get_double());
      return true;
    case json::kind::string: out = Value(std::string(j.get_string())); return true;
    case json::kind::array: return array_from_json(j.get_array(), out, level, p);
    case json::kind::object: return object_from_json(j.get_object(), out, level, p);
  }
  return fail(p, errc::internal, "unknown boost::json kind");
}

// from_json's whole contract: conversion (depth checked on the way down)
// followed by the database size limit.
bool convert(const json::value& j, Value& out, Problem& p) {
  if (!from_json_at(j, out, 0, p)) return false;
  std::string detail;
  if (error_code ec = codec::check_value_limits(out, &detail)) {
    return fail(p, static_cast<errc>(ec.value()), std::move(detail));
  }
  return true;
}

}  // namespace

json::value to_json(const Value& v) { return to_json_at(v, 0); }

Value from_json(const json::value& j) {
  Value out;
  Problem p;
  if (!convert(j, out, p)) throw Error(p.code, p.detail);
  return out;
}

Value from_json(const json::value& j, error_code& ec) {
  Value out;
  Problem p;
  if (!convert(j, out, p)) {
    ec = make_error_code(p.code);
    return Value();
  }
  ec.clear();
  return out;
}

std::string Value::to_json_string() const {
  std::string out;
  write_json(*this, out, 0, false);
  return out;
}

std::ostream& operator<<(std::ostream& os, const Value& v) {
  std::string out;
  write_json(v, out, 0, true);
  return os << out;
}

}  // namespace strata
