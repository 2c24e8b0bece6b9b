// AsOf's text forms (include/strata/types.hpp): a version, µs, or UTC time.
// Dates are checked and converted with C++20's <chrono> calendar.
#include <strata/types.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>

namespace strata {

namespace {

namespace chr = std::chrono;

template <class T>
std::optional<T> number(std::string_view s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z -> µs since the epoch.
std::optional<std::int64_t> utc_time(std::string_view s) {
  if (s.size() < 20 || s.back() != 'Z' || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  auto y = number<int>(s.substr(0, 4));
  auto mo = number<unsigned>(s.substr(5, 2)), d = number<unsigned>(s.substr(8, 2));
  auto h = number<int>(s.substr(11, 2)), mi = number<int>(s.substr(14, 2)), se = number<int>(s.substr(17, 2));
  if (!y || !mo || !d || !h || !mi || !se || *h > 23 || *mi > 59 || *se > 59) return std::nullopt;
  const chr::year_month_day date{chr::year{*y}, chr::month{*mo}, chr::day{*d}};
  if (!date.ok()) return std::nullopt;  // month 1-12, the month's days, leap years
  std::int64_t frac = 0;
  std::string_view rest = s.substr(19, s.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 7) return std::nullopt;
    auto f = number<std::int64_t>(rest.substr(1));
    if (!f) return std::nullopt;
    frac = *f;
    for (std::size_t i = rest.size() - 1; i < 6; ++i) frac *= 10;
  }
  const auto t = chr::sys_days(date) + chr::hours(*h) + chr::minutes(*mi) + chr::seconds(*se);
  return chr::duration_cast<chr::microseconds>(t.time_since_epoch()).count() + frac;
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
  const chr::sys_time<chr::microseconds> t{chr::microseconds(as_of.timestamp_us)};
  const auto day = chr::floor<chr::days>(t);
  const chr::year_month_day date{day};
  const chr::hh_mm_ss<chr::microseconds> clock{t - day};
  char buf[96];  // room for any year (the compiler checks the worst case)
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long long>(clock.hours().count()), static_cast<long long>(clock.minutes().count()),
                static_cast<long long>(clock.seconds().count()), static_cast<long long>(clock.subseconds().count()));
  return buf;
}

}  // namespace strata
