// strata::Value — the closed set of 8 value kinds every primitive stores
// (docs/design/values.md).
//
// Rules that callers can rely on:
//  * No implicit coercion: different kinds never compare equal
//    (Int(1) != Float(1.0), Bytes("a") != String("a")).
//  * Float equality is IEEE: NaN != NaN, 0.0 == -0.0.
//  * Objects keep their keys sorted by byte order (std::less<>), so two
//    objects with the same members are equal and encode identically
//    whatever order they were built in.
//  * Nesting of arrays/objects is limited to kMaxNestingDepth levels and an
//    encoded value to kMaxValueBytes; both are checked where values enter the
//    database (and by from_json / parse_json).
#pragma once

#include <strata/error.hpp>

#include <boost/container/map.hpp>
#include <boost/json/fwd.hpp>

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace strata {

enum class ValueKind : std::uint8_t { Null, Bool, Int, Float, String, Bytes, Array, Object };

/// Human name of a kind: "Null", "Bool", ... (used in WrongType messages).
std::string_view kind_name(ValueKind k) noexcept;

inline constexpr std::size_t kMaxNestingDepth = 128;
inline constexpr std::size_t kMaxValueBytes = 16u * 1024u * 1024u;

class Value;
using Bytes = std::vector<std::uint8_t>;
using Array = std::vector<Value>;
// boost::container::map is documented to accept an incomplete value type,
// which a recursive Value needs.
using Object = boost::container::map<std::string, Value, std::less<>>;

class Value {
 public:
  Value() noexcept = default;  // Null
  Value(std::nullptr_t) noexcept {}
  Value(bool b) noexcept : v_(b) {}
  Value(double d) noexcept : v_(d) {}
  Value(float f) noexcept : v_(static_cast<double>(f)) {}
  /// Any integer type except bool and the character types. Unsigned values
  /// above INT64_MAX throw Error(errc::integer_out_of_range).
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char> && !std::same_as<T, char8_t>)
  Value(T i) : v_(checked_int(i)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) noexcept : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(Bytes b) noexcept : v_(std::move(b)) {}
  Value(Array a) noexcept : v_(std::move(a)) {}
  Value(Object o) noexcept : v_(std::move(o)) {}

  /// Object from {{"k", v}, ...}.
  static Value object(std::initializer_list<std::pair<const std::string, Value>> members);
  /// Array from {v1, v2, ...}.
  static Value array(std::initializer_list<Value> items);
  /// Bytes from the raw bytes of a string.
  static Value bytes(std::string_view raw);

  ValueKind kind() const noexcept { return static_cast<ValueKind>(v_.index()); }
  bool is_null() const noexcept { return kind() == ValueKind::Null; }
  bool is_bool() const noexcept { return kind() == ValueKind::Bool; }
  bool is_int() const noexcept { return kind() == ValueKind::Int; }
  bool is_float() const noexcept { return kind() == ValueKind::Float; }
  bool is_string() const noexcept { return kind() == ValueKind::String; }
  bool is_bytes() const noexcept { return kind() == ValueKind::Bytes; }
  bool is_array() const noexcept { return kind() == ValueKind::Array; }
  bool is_object() const noexcept { return kind() == ValueKind::Object; }

  /// Typed accessors: throw Error(errc::wrong_type) naming both kinds when
  /// the value holds another kind.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_float() const;
  const std::string& as_string() const;
  const Bytes& as_bytes() const;
  const Array& as_array() const;
  Array& as_array();
  const Object& as_object() const;
  Object& as_object();

  /// Non-throwing accessors: nullptr when the kind differs.
  const bool* if_bool() const noexcept { return std::get_if<bool>(&v_); }
  const std::int64_t* if_int() const noexcept { return std::get_if<std::int64_t>(&v_); }
  const double* if_float() const noexcept { return std::get_if<double>(&v_); }
  const std::string* if_string() const noexcept { return std::get_if<std::string>(&v_); }
  const Bytes* if_bytes() const noexcept { return std::get_if<Bytes>(&v_); }
  const Array* if_array() const noexcept { return std::get_if<Array>(&v_); }
  const Object* if_object() const noexcept { return std::get_if<Object>(&v_); }

  friend bool operator==(const Value& a, const Value& b) noexcept;

  /// Depth of nesting: scalars are 0, [] is 1, [[1]] is 2.
  std::size_t depth() const noexcept;

  /// Compact JSON text (Bytes as {"$bytes":"<base64>"}); what the CLI prints.
  std::string to_json_string() const;
  /// Parses JSON text. Errors: errc::invalid_json (with the parser's message
  /// and offset), errc::nesting_too_deep, errc::integer_out_of_range.
  static Value parse_json(std::string_view text);

 private:
  template <class T>
  static std::int64_t checked_int(T i) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (i > static_cast<T>(std::numeric_limits<std::int64_t>::max())) throw_out_of_range();
    }
    return static_cast<std::int64_t>(i);
  }
  [[noreturn]] static void throw_out_of_range();
  [[noreturn]] void throw_wrong_type(ValueKind wanted) const;

  std::variant<std::monostate, bool, std::int64_t, double, std::string, Bytes, Array, Object> v_;
};

inline bool operator!=(const Value& a, const Value& b) noexcept { return !(a == b); }

/// Prints to_json_string().
std::ostream& operator<<(std::ostream& os, const Value& v);

/// boost::json conversion. Bytes <-> {"$bytes":"<base64>"}; an object with
/// exactly the one member "$bytes" holding a string is read back as Bytes.
/// JSON numbers: int64 -> Int, uint64 above INT64_MAX -> integer_out_of_range
/// error, double -> Float.
boost::json::value to_json(const Value& v);
Value from_json(const boost::json::value& j);
/// Non-throwing form.
Value from_json(const boost::json::value& j, error_code& ec);

}  // namespace strata
