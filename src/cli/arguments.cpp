#include "cli/arguments.hpp"

#include <charconv>

namespace strata::cli {

// `42` and `"42"` must never be confused, so a bare word is an error; the
// message says how to write the string.
Value parse_value(const Token& t) {
  try {
    return Value::parse_json(t.json);
  } catch (const Error& e) {
    if (e.code() != errc::invalid_json) throw;
    std::string detail = "value " + t.json + " is not a JSON literal (" + e.detail() + ")";
    // Text that looks like an object, array or string is mistyped JSON, not
    // a word meant as a string: a quoting hint would mislead.
    if (t.json.find_first_of("{[\"") != 0)
      detail += "; write a string in quotes, e.g. '" + Value(t.word).to_json_string() + "'";
    throw Error(errc::invalid_json, detail);
  }
}

Object parse_object(const Token& t, std::string_view what) {
  Value v = parse_value(t);
  if (!v.is_object())
    throw Error(errc::wrong_type, std::string(what) + " must be a JSON object such as '{\"k\":1}', not " +
                                      std::string(kind_name(v.kind())) + " " + v.to_json_string());
  return std::move(v.as_object());
}

std::uint64_t parse_duration_ms(std::string_view text, std::string_view what) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::uint64_t scale = 0;
  if (unit == "ms") scale = 1;
  else if (unit == "s") scale = 1000;
  else if (unit == "m") scale = 60'000;
  else if (unit == "h") scale = 3'600'000;
  else if (unit == "d") scale = 86'400'000;
  if (ec != std::errc() || end == text.data() || scale == 0 || n > UINT64_MAX / scale)
    throw Error(errc::invalid_input, std::string(what) + " \"" + std::string(text) +
                                         "\" is not a duration: digits then ms, s, m, h or d (e.g. 30s, 500ms, 7d)");
  return n * scale;
}

std::uint64_t parse_unsigned(const Token& t, std::string_view what) {
  const std::string& s = t.word;
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    throw Error(errc::invalid_input,
                std::string(what) + " \"" + s + "\" is not a non-negative integer (at most 2^64-1)");
  return n;
}

std::optional<Version> parse_expected_version(const Token& t) {
  if (t.word == "none") return std::nullopt;
  return parse_unsigned(t, "VERSION (or none)");
}

}  // namespace strata::cli
