// AsOf's text forms (include/strata/types.hpp): a version, µs, or UTC time.
#include <strata/types.hpp>

#include <charconv>
#include <cstdio>

namespace strata {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

template <class T>
std::optional<T> number(std::string_view s) {
  if (!all_digits(s)) return std::nullopt;
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z -> µs since the epoch.
std::optional<std::int64_t> utc_time(std::string_view s) {
  if (s.size() < 20 || s.back() != 'Z' || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  auto y = number<int>(s.substr(0, 4));
  auto mo = number<unsigned>(s.substr(5, 2)), d = number<unsigned>(s.substr(8, 2));
  auto h = number<unsigned>(s.substr(11, 2)), mi = number<unsigned>(s.substr(14, 2)),
       se = number<unsigned>(s.substr(17, 2));
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > kDays[*mo - 1] + (*mo == 2 && leap(*y)) || *h > 23 || *mi > 59 || *se > 59)
    return std::nullopt;
  std::int64_t frac = 0;
  std::string_view rest = s.substr(19, s.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 7) return std::nullopt;
    auto f = number<std::int64_t>(rest.substr(1));
    if (!f) return std::nullopt;
    frac = *f;
    for (std::size_t i = rest.size() - 1; i < 6; ++i) frac *= 10;
  }
  const std::int64_t days = days_from_civil(*y, *mo, *d);
  return ((days * 24 + *h) * 60 + *mi) * 60'000'000 + static_cast<std::int64_t>(*se) * 1'000'000 + frac;
}

}  // namespace

std::optional<AsOf> parse_as_of(std::string_view text) {
  if (auto v = number<Version>(text)) return AsOf::at_version(*v);
  if (text.size() > 2 && text.ends_with("us"))
    if (auto t = number<std::int64_t>(text.substr(0, text.size() - 2))) return AsOf::at_time_us(*t);
  if (auto t = utc_time(text)) return AsOf::at_time_us(*t);
  return std::nullopt;
}

std::string to_string(const AsOf& as_of) {
  if (as_of.kind == AsOf::Kind::Version) return "version " + std::to_string(as_of.version);
  // civil_from_days, the inverse of days_from_civil.
  std::int64_t us = as_of.timestamp_us;
  std::int64_t days = us >= 0 ? us / 86'400'000'000 : (us - 86'399'999'999) / 86'400'000'000;
  std::int64_t in_day = us - days * 86'400'000'000;
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[96];  // room for any int64 year (the compiler checks the worst case)
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(in_day / 3'600'000'000), static_cast<long long>(in_day / 60'000'000 % 60),
                static_cast<long long>(in_day / 1'000'000 % 60), static_cast<long long>(in_day % 1'000'000));
  return buf;
}

}  // namespace strata
