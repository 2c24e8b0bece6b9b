// Generic JSON encoding and decoding of described structs (described.hpp)
// and of the field types they use. Encoding builds boost::json (members in
// declaration order, unset optionals left out); decoding reads a
// strata::Value, which is what exact text parsing (Value::parse_json)
// produces, and reports every problem as errc::invalid_input naming the
// op and the field.
#pragma once

#include <strata/error.hpp>
#include <strata/types.hpp>
#include <strata/value.hpp>
#include <strata/vector.hpp>

#include <boost/describe/members.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <concepts>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace strata::session_detail {

template <class T>
concept Described = boost::describe::has_describe_members<T>::value;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

/// Where a decoding problem is: the op (or output type) and the field path.
struct Where {
  std::string_view op;
  std::string field;
  Where member(std::string_view name) const {
    return {op, field.empty() ? std::string(name) : field + "." + std::string(name)};
  }
  Where element(std::size_t i) const { return {op, field + "[" + std::to_string(i) + "]"}; }
};

[[noreturn]] void fail(const Where& where, std::string_view problem);

/// Compact JSON text of `v`, doubles in their shortest round-trip form.
std::string json_text(const boost::json::value& v);

// ---- encoding ------------------------------------------------------------------

template <class T>
boost::json::value encode(const T& v);

/// Appends T's members to `o`.
template <Described T>
void encode_members(const T& s, boost::json::object& o) {
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto d) {
    const auto& member = s.*d.pointer;
    using M = std::remove_cvref_t<decltype(member)>;
    if constexpr (is_optional<M>::value) {
      if (member) o[d.name] = encode(*member);
    } else {
      o[d.name] = encode(member);
    }
  });
}

template <class T>
boost::json::value encode(const T& v) {
  if constexpr (std::same_as<T, bool> || std::integral<T> || std::same_as<T, std::string>) {
    return boost::json::value(v);
  } else if constexpr (std::same_as<T, Value>) {
    return to_json(v);
  } else if constexpr (std::same_as<T, Object>) {
    return to_json(Value(v));
  } else if constexpr (std::same_as<T, RunStatus>) {
    return boost::json::value(run_status_name(v));
  } else if constexpr (std::same_as<T, Metric>) {
    return boost::json::value(metric_name(v));
  } else if constexpr (std::same_as<T, MergeStrategy>) {
    return boost::json::value(merge_strategy_name(v));
  } else if constexpr (std::same_as<T, AsOf>) {
    // A version as a number, a time as {"timestamp_us": N}.
    if (v.kind == AsOf::Kind::Version) return boost::json::value(v.version);
    return boost::json::object{{"timestamp_us", v.timestamp_us}};
  } else if constexpr (std::same_as<T, float>) {
    return to_json(Value(static_cast<double>(v)));  // exact: every float is a double
  } else if constexpr (Described<T>) {
    boost::json::object o;
    encode_members(v, o);
    return o;
  } else if constexpr (requires { typename T::mapped_type; }) {  // std::map<std::string, X>
    boost::json::object o;
    for (const auto& [k, x] : v) o[k] = encode(x);
    return o;
  } else {  // std::vector<X>
    boost::json::array a;
    for (const auto& x : v) a.push_back(encode(x));
    return a;
  }
}

// ---- decoding ------------------------------------------------------------------

/// "a string", "a non-negative integer", ...: what a field must hold.
template <class T>
std::string expected_kind() {
  if constexpr (std::same_as<T, bool>) return "a boolean";
  else if constexpr (std::unsigned_integral<T>) return "a non-negative integer";
  else if constexpr (std::integral<T>) return "an integer";
  else if constexpr (std::same_as<T, std::string>) return "a string";
  else if constexpr (std::same_as<T, Value>) return "a JSON value";
  else if constexpr (std::same_as<T, RunStatus>)
    return "a run status (active, paused, completed, failed, cancelled or archived)";
  else if constexpr (std::same_as<T, Metric>) return "a metric (cosine, euclidean or dot)";
  else if constexpr (std::same_as<T, MergeStrategy>) return "a merge strategy (fail_on_conflict, source_wins or target_wins)";
  else if constexpr (std::same_as<T, AsOf>)
    return "a version (a non-negative integer), {\"timestamp_us\": N} or a UTC time \"2026-12-02T10:00:00Z\"";
  else if constexpr (std::same_as<T, float>) return "a number";
  else if constexpr (std::same_as<T, Object> || Described<T> || requires { typename T::mapped_type; })
    return "an object";
  else return "an array";
}

template <class T>
void decode(const Value& v, T& out, const Where& where);

template <Described T>
void decode_members(const Object& o, T& out, const Where& where);

/// Members that may be left out of a command and then take their default:
/// a list's prefix and cursor, a run's metadata.
bool is_defaultable(std::string_view member) noexcept;

template <class T>
void decode(const Value& v, T& out, const Where& where) {
  auto mismatch = [&] { fail(where, "must be " + expected_kind<T>()); };
  if constexpr (std::same_as<T, bool>) {
    if (!v.is_bool()) mismatch();
    out = v.as_bool();
  } else if constexpr (std::integral<T>) {
    const std::int64_t* i = v.if_int();
    if (!i || (std::unsigned_integral<T> && *i < 0)) mismatch();
    out = static_cast<T>(*i);
  } else if constexpr (std::same_as<T, std::string>) {
    if (!v.is_string()) mismatch();
    out = v.as_string();
  } else if constexpr (std::same_as<T, Value>) {
    out = v;
  } else if constexpr (std::same_as<T, Object>) {
    if (!v.is_object()) mismatch();
    out = v.as_object();
  } else if constexpr (std::same_as<T, RunStatus>) {
    std::optional<RunStatus> s = v.is_string() ? parse_run_status(v.as_string()) : std::nullopt;
    if (!s) mismatch();
    out = *s;
  } else if constexpr (std::same_as<T, Metric>) {
    std::optional<Metric> m = v.is_string() ? parse_metric(v.as_string()) : std::nullopt;
    if (!m) mismatch();
    out = *m;
  } else if constexpr (std::same_as<T, MergeStrategy>) {
    std::optional<MergeStrategy> m = v.is_string() ? parse_merge_strategy(v.as_string()) : std::nullopt;
    if (!m) mismatch();
    out = *m;
  } else if constexpr (std::same_as<T, AsOf>) {
    std::optional<AsOf> a;
    if (const std::int64_t* i = v.if_int()) {
      if (*i >= 0) a = AsOf::at_version(static_cast<Version>(*i));
    } else if (v.is_string()) {
      a = parse_as_of(v.as_string());
    } else if (const Object* o = v.if_object(); o && o->size() == 1 && o->begin()->first == "timestamp_us") {
      if (const std::int64_t* t = o->begin()->second.if_int()) a = AsOf::at_time_us(*t);
    }
    if (!a) mismatch();
    out = *a;
  } else if constexpr (std::same_as<T, float>) {
    if (v.is_int()) out = static_cast<float>(v.as_int());
    else if (v.is_float()) out = static_cast<float>(v.as_float());
    else mismatch();
  } else if constexpr (Described<T>) {
    if (!v.is_object()) mismatch();
    decode_members(v.as_object(), out, where);
  } else if constexpr (requires { typename T::mapped_type; }) {
    if (!v.is_object()) mismatch();
    for (const auto& [k, x] : v.as_object()) decode(x, out[k], where.member(k));
  } else {
    if (!v.is_array()) mismatch();
    const Array& a = v.as_array();
    out.resize(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) decode(a[i], out[i], where.element(i));
  }
}

// An optional member may be left out; null also means unset, except for an
// optional Value, where null is the stored value Null.
template <class M>
void decode_member(const Object& o, std::string_view name, M& out, const Where& where) {
  auto it = o.find(name);
  if constexpr (is_optional<M>::value) {
    using Inner = typename M::value_type;
    if (it == o.end() || (!std::same_as<Inner, Value> && it->second.is_null())) {
      out.reset();
      return;
    }
    decode(it->second, out.emplace(), where);
  } else {
    if (it == o.end()) {
      if (is_defaultable(name)) return;
      fail(where, "is missing (it must be " + expected_kind<M>() + ")");
    }
    decode(it->second, out, where);
  }
}

template <Described T>
void decode_members(const Object& o, T& out, const Where& where) {
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
      [&](auto d) { decode_member(o, d.name, out.*d.pointer, where.member(d.name)); });
}

/// Throws unless every key of `o` is a member of T or `discriminator`.
template <Described T>
void reject_unknown_members(const Object& o, std::string_view discriminator, const Where& where) {
  for (const auto& [key, _] : o) {
    if (key == discriminator) continue;
    bool known = false;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) { known = known || key == d.name; });
    if (!known) fail(Where{where.op, {}}, "unknown field \"" + key + "\"");
  }
}

}  // namespace strata::session_detail
