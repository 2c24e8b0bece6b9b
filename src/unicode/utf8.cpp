#include "unicode/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace strata::utf8 {

namespace {

/// Length of the valid UTF-8 sequence at the front of `s`, or 0.
std::size_t sequence_length(std::string_view s) noexcept {
  const auto c = static_cast<std::uint8_t>(s[0]);
  const std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || n > s.size()) return 0;
  return is_valid(s.substr(0, n)) ? n : 0;
}

}  // namespace

std::string quote(std::string_view s, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  std::size_t i = 0;
  while (i < s.size() && i < max_bytes) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = sequence_length(s.substr(i));
    if (c == '\0') {
      out += "\\0";
    } else if (c == '"') {
      out += "\\\"";
    } else if (n == 0 || c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      if (i + n > max_bytes) break;
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    ++i;
  }
  out += i < s.size() ? "...\"" : "\"";
  return out;
}

bool is_valid(std::string_view s) noexcept {
  auto p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto* end = p + s.size();
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  while (p < end) {
    // ASCII fast path: 32 bytes per step while no byte has its high bit.
    while (end - p >= 32) {
      std::uint64_t w[4];
      std::memcpy(w, p, 32);
      if (((w[0] | w[1] | w[2] | w[3]) & kHigh) != 0) break;
      p += 32;
    }
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & kHigh) == 0) {
        p += 8;
        continue;
      }
    }
    std::uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

}  // namespace strata::utf8
