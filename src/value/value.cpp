// strata::Value (docs/design/values.md): factories, typed accessors, equality, depth.
// JSON conversion lives in value_json.cpp; the binary codec in src/codec/.
#include <strata/value.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace strata {

std::string_view kind_name(ValueKind k) noexcept {
  switch (k) {
    case ValueKind::Null: return "Null";
    case ValueKind::Bool: return "Bool";
    case ValueKind::Int: return "Int";
    case ValueKind::Float: return "Float";
    case ValueKind::String: return "String";
    case ValueKind::Bytes: return "Bytes";
    case ValueKind::Array: return "Array";
    case ValueKind::Object: return "Object";
  }
  return "Unknown";
}

// Duplicate keys: the last one wins, as with JSON objects parsed by
// Boost.JSON, so {"a":1,"a":2} means the same in C++ and in JSON text.
Value Value::object(std::initializer_list<std::pair<const std::string, Value>> members) {
  Object o;
  for (const auto& [key, value] : members) o.insert_or_assign(key, value);
  return Value(std::move(o));
}

Value Value::array(std::initializer_list<Value> items) { return Value(Array(items)); }

Value Value::bytes(std::string_view raw) { return Value(Bytes(raw.begin(), raw.end())); }

void Value::throw_out_of_range() {
  throw Error(errc::integer_out_of_range,
              "integer is above the Int maximum 9223372036854775807");
}

void Value::throw_wrong_type(ValueKind wanted) const {
  std::string detail = "expected ";
  detail += kind_name(wanted);
  detail += ", got ";
  detail += kind_name(kind());
  throw Error(errc::wrong_type, detail);
}

bool Value::as_bool() const {
  if (const auto* p = if_bool()) return *p;
  throw_wrong_type(ValueKind::Bool);
}

std::int64_t Value::as_int() const {
  if (const auto* p = if_int()) return *p;
  throw_wrong_type(ValueKind::Int);
}

double Value::as_float() const {
  if (const auto* p = if_float()) return *p;
  throw_wrong_type(ValueKind::Float);
}

const std::string& Value::as_string() const {
  if (const auto* p = if_string()) return *p;
  throw_wrong_type(ValueKind::String);
}

const Bytes& Value::as_bytes() const {
  if (const auto* p = if_bytes()) return *p;
  throw_wrong_type(ValueKind::Bytes);
}

const Array& Value::as_array() const {
  if (const auto* p = if_array()) return *p;
  throw_wrong_type(ValueKind::Array);
}

Array& Value::as_array() {
  if (auto* p = std::get_if<Array>(&v_)) return *p;
  throw_wrong_type(ValueKind::Array);
}

const Object& Value::as_object() const {
  if (const auto* p = if_object()) return *p;
  throw_wrong_type(ValueKind::Object);
}

Object& Value::as_object() {
  if (auto* p = std::get_if<Object>(&v_)) return *p;
  throw_wrong_type(ValueKind::Object);
}

// std::variant's == already gives the rules we promise: different
// alternatives (kinds) are never equal, double uses IEEE ==, and
// Array/Object compare element-wise through this operator again.
bool operator==(const Value& a, const Value& b) noexcept { return a.v_ == b.v_; }

// Iterative on purpose: depth() is how over-deep values are detected, so it
// must not itself overflow the stack on a value nested a million levels.
std::size_t Value::depth() const noexcept {
  if (!is_array() && !is_object()) return 0;  // the common case allocates nothing
  std::size_t max_depth = 0;
  std::vector<std::pair<const Value*, std::size_t>> pending;  // value, its level
  pending.emplace_back(this, 0);
  while (!pending.empty()) {
    auto [v, level] = pending.back();
    pending.pop_back();
    if (const Array* a = v->if_array()) {
      max_depth = std::max(max_depth, level + 1);
      for (const Value& item : *a) pending.emplace_back(&item, level + 1);
    } else if (const Object* o = v->if_object()) {
      max_depth = std::max(max_depth, level + 1);
      for (const auto& member : *o) pending.emplace_back(&member.second, level + 1);
    }
  }
  return max_depth;
}

}  // namespace strata
