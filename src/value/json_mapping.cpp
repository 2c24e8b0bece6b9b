#include "value/json_mapping.hpp"

#include <algorithm>

namespace strata::json_mapping {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_digit(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string base64_encode(const Bytes& in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t n = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    const std::uint32_t n = (in[i] << 16) | (rest == 2 ? in[i + 1] << 8 : 0);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// Zero bits before the padding are required so that every byte string has
// exactly one accepted text (no "Zh==" alias of "Zg==").
bool base64_decode(std::string_view in, Bytes& out) {
  if (in.size() % 4 != 0) return false;
  std::size_t pad = 0;
  if (!in.empty() && in.back() == '=') pad = in[in.size() - 2] == '=' ? 2 : 1;
  out.clear();
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const std::size_t digits = i + 4 == in.size() ? 4 - pad : 4;
    std::uint32_t n = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const int d = j < digits ? base64_digit(in[i + j]) : 0;
      if (d < 0) return false;
      n = (n << 6) | static_cast<std::uint32_t>(d);
    }
    if (digits < 4 && (n & (digits == 3 ? 0xffu : 0xffffu)) != 0) return false;
    out.push_back(static_cast<std::uint8_t>(n >> 16));
    if (digits > 2) out.push_back(static_cast<std::uint8_t>(n >> 8));
    if (digits > 3) out.push_back(static_cast<std::uint8_t>(n));
  }
  return true;
}

std::string bad_base64_detail(std::string_view text) {
  constexpr std::size_t kQuoted = 60;
  return "\"$bytes\" is not valid padded base64: \"" +
         std::string(text.substr(0, std::min(text.size(), kQuoted))) +
         (text.size() > kQuoted ? "...\"" : "\"");
}

std::string uint64_out_of_range_detail(std::uint64_t u) {
  return "JSON integer " + std::to_string(u) + " is above the Int maximum 9223372036854775807";
}

std::string too_deep_detail() {
  return "JSON nests deeper than " + std::to_string(kMaxNestingDepth) + " levels";
}

std::string non_finite_number_detail() { return "JSON number is out of the range of a double"; }

}  // namespace strata::json_mapping
