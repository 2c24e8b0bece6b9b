// Value::parse_json: JSON text straight to strata::Value with Boost.JSON's
// SAX parser (basic_parser), applying the rules of json_mapping.hpp as the
// text is read.
//
// Why not json::parse + from_json: Boost.JSON 1.81 converts decimal text to
// double imprecisely (about 3 in 10 random doubles come back one ulp off,
// its own serializer's output included), which would break the promise that
// to_json_string() round-trips Floats. The SAX handler sees the number's
// text and converts it with std::from_chars, which is correctly rounded.
// Building Values directly also skips the intermediate json::value.
#include <strata/value.hpp>

#include "codec/value_codec.hpp"
#include "value/json_mapping.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>
#include <vector>

namespace strata {
namespace {

namespace json = boost::json;
using json::string_view;

// Builds a Value from SAX events. Containers being read live on stack_; a
// finished value goes into the container below it, or becomes root_.
// A handler that returns false stops the parse with the code set in `ec`;
// problem_/detail_ keep our own code and message for the exception.
class ValueBuilder {
 public:
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }

  bool on_array_begin(error_code& ec) {
    if (stack_.size() + 1 > kMaxNestingDepth) {
      return fail(ec, errc::nesting_too_deep, json_mapping::too_deep_detail());
    }
    stack_.push_back(Frame{false, {}, {}, {}});
    return true;
  }
  bool on_array_end(std::size_t, error_code& ec) {
    Array items = std::move(stack_.back().items);
    stack_.pop_back();
    return emit(Value(std::move(items)), ec);
  }

  // The depth check of objects waits for the end: {"$bytes":...} is a
  // scalar Value and may sit one level deeper than a real container.
  bool on_object_begin(error_code&) {
    stack_.push_back(Frame{true, {}, {}, {}});
    return true;
  }
  bool on_object_end(std::size_t, error_code& ec);

  bool on_key_part(string_view s, std::size_t, error_code&) { return append(s); }
  bool on_key(string_view s, std::size_t, error_code&) {
    append(s);
    stack_.back().key = take_text();
    return true;
  }

  bool on_string_part(string_view s, std::size_t, error_code&) { return append(s); }
  bool on_string(string_view s, std::size_t, error_code& ec) {
    append(s);
    return emit(Value(take_text()), ec);
  }

  bool on_number_part(string_view s, error_code&) { return append(s); }
  bool on_int64(std::int64_t i, string_view, error_code& ec) {
    text_.clear();
    return emit(Value(i), ec);
  }
  bool on_uint64(std::uint64_t u, string_view, error_code& ec) {
    text_.clear();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return fail(ec, errc::integer_out_of_range, json_mapping::uint64_out_of_range_detail(u));
    }
    return emit(Value(static_cast<std::int64_t>(u)), ec);
  }
  bool on_double(double approx, string_view s, error_code& ec);

  bool on_bool(bool b, error_code& ec) { return emit(Value(b), ec); }
  bool on_null(error_code& ec) { return emit(Value(), ec); }
  bool on_comment_part(string_view, error_code&) { return true; }  // comments are off
  bool on_comment(string_view, error_code&) { return true; }

  Value take_root() { return std::move(root_); }
  errc problem() const noexcept { return problem_; }
  const std::string& detail() const noexcept { return detail_; }

 private:
  struct Frame {
    bool is_object;
    Array items;
    Object members;
    std::string key;  // key of the member whose value comes next
  };

  bool append(string_view s) {
    text_.append(s.data(), s.size());
    return true;
  }
  std::string take_text() {
    std::string out = std::move(text_);
    text_.clear();
    return out;
  }
  bool fail(error_code& ec, errc code, std::string detail) {
    problem_ = code;
    detail_ = std::move(detail);
    ec = make_error_code(code);
    return false;
  }
  bool emit(Value v, error_code& ec);

  std::vector<Frame> stack_;
  std::string text_;  // string, key or number text split over *_part calls
  Value root_;
  errc problem_ = errc::ok;
  std::string detail_;
};

bool ValueBuilder::emit(Value v, error_code&) {
  if (stack_.empty()) {
    root_ = std::move(v);
  } else if (Frame& top = stack_.back(); top.is_object) {
    // Duplicate keys: the last one wins, as in Boost.JSON's own parser.
    top.members.insert_or_assign(std::move(top.key), std::move(v));
  } else {
    top.items.push_back(std::move(v));
  }
  return true;
}

bool ValueBuilder::on_object_end(std::size_t, error_code& ec) {
  Object members = std::move(stack_.back().members);
  stack_.pop_back();
  if (members.size() == 1 && members.begin()->first == json_mapping::kBytesKey &&
      members.begin()->second.is_string()) {
    const std::string& text = members.begin()->second.as_string();
    Bytes bytes;
    if (!json_mapping::base64_decode(text, bytes)) {
      return fail(ec, errc::invalid_json, json_mapping::bad_base64_detail(text));
    }
    return emit(Value(std::move(bytes)), ec);
  }
  if (stack_.size() + 1 > kMaxNestingDepth) {
    return fail(ec, errc::nesting_too_deep, json_mapping::too_deep_detail());
  }
  return emit(Value(std::move(members)), ec);
}

std::string excerpt(std::string_view text);

bool ValueBuilder::on_double(double approx, string_view s, error_code& ec) {
  append(s);
  // Boost.JSON hands integers beyond uint64 to on_double; a literal without
  // a fraction or exponent is an integer, and one rule holds for all
  // integers that do not fit an Int: integer_out_of_range.
  if (text_.find_first_of(".eE") == std::string::npos) {
    std::string literal = std::move(text_);
    text_.clear();
    return fail(ec, errc::integer_out_of_range,
                "JSON integer " + excerpt(literal) + " is outside the Int range [-9223372036854775808, 9223372036854775807]");
  }
  double d = 0;
  const auto [end, err] = std::from_chars(text_.data(), text_.data() + text_.size(), d);
  const bool whole = end == text_.data() + text_.size();
  text_.clear();
  if (err == std::errc::result_out_of_range) {
    // from_chars reports overflow (1e400: no Float can hold it) and
    // underflow (1e-400: rounds to zero, which is fine) alike; Boost.JSON's
    // approximate value tells them apart.
    if (!std::isfinite(approx)) {
      return fail(ec, errc::invalid_json, json_mapping::non_finite_number_detail());
    }
    return emit(Value(approx), ec);
  }
  if (err != std::errc() || !whole) {
    return fail(ec, errc::internal, "std::from_chars rejected a number Boost.JSON accepted");
  }
  return emit(Value(d), ec);
}

std::string excerpt(std::string_view text) {
  constexpr std::size_t kExcerpt = 60;
  if (text.size() <= kExcerpt) return std::string(text);
  return std::string(text.substr(0, kExcerpt)) + "...";
}

}  // namespace

Value Value::parse_json(std::string_view text) {
  json::parse_options options;
  // One level more than Value allows, for {"$bytes":...} at the innermost
  // level; ValueBuilder applies the exact Value rule.
  options.max_depth = kMaxNestingDepth + 1;
  json::basic_parser<ValueBuilder> parser(options);
  error_code ec;
  std::size_t offset = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && offset != text.size()) ec = json::error::extra_data;
  if (ec) {
    const ValueBuilder& h = parser.handler();
    errc code = ec == json::error::too_deep ? errc::nesting_too_deep : errc::invalid_json;
    std::string what = ec.message();
    if (h.problem() != errc::ok) {
      code = h.problem();
      what = h.detail();
    }
    throw Error(code, what + " at offset " + std::to_string(offset) + " in: " + excerpt(text));
  }
  Value v = parser.handler().take_root();
  std::string detail;
  if (error_code limit = codec::check_value_limits(v, &detail)) throw Error(limit, detail);
  return v;
}

}  // namespace strata
