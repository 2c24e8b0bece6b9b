#include "json/path.hpp"

#include "unicode/utf8.hpp"

#include "keys/key_rules.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace strata::json {
namespace {

bool is_name_byte(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c == '-' || c >= 0x80;
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A recursive-descent parser over the path text. Every failure goes through
// fail(), so every message has the same shape: the text, what was expected,
// and the byte offset where it went wrong.
class PathParser {
 public:
  PathParser(std::string_view text, Path& out, std::string* detail) : text_(text), out_(out), detail_(detail) {}

  error_code parse() {
    out_.segments.clear();
    if (text_.size() > kMaxPathBytes)
      return fail(kMaxPathBytes, "text longer than the limit of " + std::to_string(kMaxPathBytes) + " bytes");
    if (!take('$')) {
      if (!at_end() && is_space(peek())) return fail(pos_, "whitespace is not allowed");
      return fail(pos_, "expected '$'");
    }
    while (pos_ < text_.size()) {
      if (out_.segments.size() == kMaxPathSegments)
        return fail(pos_, "more than the limit of " + std::to_string(kMaxPathSegments) + " segments");
      if (auto ec = segment()) return ec;
    }
    return {};
  }

 private:
  error_code fail(std::size_t offset, const std::string& what) {
    if (detail_)
      *detail_ = "path " + keys::quote_for_message(text_) + ": " + what + " at offset " + std::to_string(offset);
    return make_error_code(errc::invalid_path);
  }

  bool at_end() const noexcept { return pos_ >= text_.size(); }
  char peek() const noexcept { return text_[pos_]; }
  bool take(char c) noexcept {
    if (at_end() || peek() != c) return false;
    ++pos_;
    return true;
  }

  error_code segment() {
    if (is_space(peek())) return fail(pos_, "whitespace is not allowed");
    if (take('.')) return field();
    if (take('[')) return bracket();
    return fail(pos_, "expected '.' or '['");
  }

  error_code field() {
    const std::size_t start = pos_;
    while (!at_end() && is_name_byte(static_cast<unsigned char>(peek()))) ++pos_;
    if (pos_ == start) {
      if (!at_end() && is_space(peek())) return fail(pos_, "whitespace is not allowed");
      return fail(pos_, "expected a field name (letters, digits, '_', '$', '-' or non-ASCII) after '.'");
    }
    out_.segments.push_back({PathSegment::Kind::Field, std::string(text_.substr(start, pos_ - start)), 0});
    return {};
  }

  error_code bracket() {
    if (at_end()) return fail(pos_, "expected a digit or '\"' after '['");
    PathSegment seg;
    if (peek() == '"') {
      if (auto ec = quoted(seg.field)) return ec;
    } else if (peek() == '-' || is_digit(peek())) {
      seg.kind = PathSegment::Kind::Index;
      if (auto ec = index(seg.index)) return ec;
    } else if (is_space(peek())) {
      return fail(pos_, "whitespace is not allowed");
    } else if (peek() == '\'') {
      return fail(pos_, "expected a digit or '\"' after '[' (single-quoted keys are not accepted)");
    } else {
      return fail(pos_, "expected a digit or '\"' after '['");
    }
    if (!take(']')) {
      if (!at_end() && is_space(peek())) return fail(pos_, "whitespace is not allowed");
      return fail(pos_, "expected ']'");
    }
    out_.segments.push_back(std::move(seg));
    return {};
  }

  // Decimal int64: optional '-', no leading zeros, no "-0", so each index
  // has exactly one spelling (the one format_path prints).
  error_code index(std::int64_t& value) {
    const std::size_t start = pos_;
    const bool negative = take('-');
    if (at_end() || !is_digit(peek())) return fail(pos_, "expected a digit");
    if (peek() == '0' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))
      return fail(pos_, "leading zeros are not allowed in an index");
    // Accumulate the magnitude as unsigned: |INT64_MIN| does not fit int64.
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : std::numeric_limits<std::int64_t>::max();
    std::uint64_t magnitude = 0;
    for (; !at_end() && is_digit(peek()); ++pos_) {
      const auto digit = static_cast<std::uint64_t>(peek() - '0');
      if (magnitude > (limit - digit) / 10) return fail(start, "index does not fit a 64-bit signed integer");
      magnitude = magnitude * 10 + digit;
    }
    if (negative && magnitude == 0) return fail(start, "-0 is not an index (the last element is [-1])");
    value = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
    return {};
  }

  // A JSON string literal, pos_ at the opening quote.
  error_code quoted(std::string& out) {
    const std::size_t open = pos_++;
    for (;;) {
      if (at_end()) return fail(open, "unterminated quoted key starting");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return {};
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fail(pos_, "control characters must be escaped in a quoted key");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      if (auto ec = escape(out)) return ec;
    }
  }

  error_code escape(std::string& out) {
    const std::size_t start = pos_++;  // the backslash
    if (at_end()) return fail(start, "unterminated escape");
    const char c = text_[pos_++];
    switch (c) {
      case '"': out += '"'; return {};
      case '\\': out += '\\'; return {};
      case '/': out += '/'; return {};
      case 'b': out += '\b'; return {};
      case 'f': out += '\f'; return {};
      case 'n': out += '\n'; return {};
      case 'r': out += '\r'; return {};
      case 't': out += '\t'; return {};
      case 'u': return unicode_escape(start, out);
      default: return fail(start, "invalid escape (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    }
  }

  // \uXXXX, pos_ just after the 'u'. A high surrogate must be followed by an
  // escaped low surrogate; lone surrogates have no UTF-8 form.
  error_code unicode_escape(std::size_t start, std::string& out) {
    std::uint32_t cp = 0;
    if (!hex4(cp)) return fail(start, "expected 4 hex digits after \\u");
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(start, "unpaired low surrogate");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low = 0;
      if (!take('\\') || !take('u') || !hex4(low) || low < 0xDC00 || low > 0xDFFF)
        return fail(start, "high surrogate not followed by a \\u low surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, cp);
    return {};
  }

  bool hex4(std::uint32_t& cp) noexcept {
    if (text_.size() - pos_ < 4) return false;
    for (int i = 0; i < 4; ++i) {
      const int h = hex_value(text_[pos_ + i]);
      if (h < 0) return false;
      cp = cp * 16 + static_cast<std::uint32_t>(h);
    }
    pos_ += 4;
    return true;
  }

  std::string_view text_;
  Path& out_;
  std::string* detail_;
  std::size_t pos_ = 0;
};

void append_quoted(std::string& out, std::string_view field) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "[\"";
  for (char c : field) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0x0F];
        } else {
          out += c;
        }
    }
  }
  out += "\"]";
}

}  // namespace

bool is_plain_name(std::string_view field) noexcept {
  if (field.empty()) return false;
  for (char c : field)
    if (!is_name_byte(static_cast<unsigned char>(c))) return false;
  return true;
}

error_code parse_path(std::string_view text, Path& out, std::string* detail) {
  auto not_utf8 = [&](std::string_view what) {
    if (detail) *detail = std::string(what) + " is not valid UTF-8";
    return make_error_code(errc::invalid_path);
  };
  if (!utf8::is_valid(text)) return not_utf8("JSON path " + utf8::quote(text));
  if (auto ec = PathParser(text, out, detail).parse()) return ec;
  // Escapes in quoted members (e.g. a lone \udc00) can still decode to bytes
  // that are not UTF-8; a member is an Object key and must be valid.
  for (const auto& seg : out.segments)
    if (seg.kind == PathSegment::Kind::Field && !utf8::is_valid(seg.field))
      return not_utf8("member " + utf8::quote(seg.field) + " of JSON path " + utf8::quote(text));
  return {};
}

std::string format_path(const Path& p) {
  std::string out = "$";
  for (const auto& seg : p.segments) {
    if (seg.kind == PathSegment::Kind::Index) {
      out += '[';
      out += std::to_string(seg.index);
      out += ']';
    } else if (is_plain_name(seg.field)) {
      out += '.';
      out += seg.field;
    } else {
      append_quoted(out, seg.field);
    }
  }
  return out;
}

bool overlaps(const Path& a, const Path& b) noexcept {
  const std::size_t common = std::min(a.segments.size(), b.segments.size());
  for (std::size_t i = 0; i < common; ++i)
    if (!(a.segments[i] == b.segments[i])) return false;
  return true;
}

Path stable_prefix(const Path& p) {
  Path out;
  for (const auto& seg : p.segments) {
    if (seg.kind == PathSegment::Kind::Index && seg.index < 0) break;
    out.segments.push_back(seg);
  }
  return out;
}

}  // namespace strata::json
