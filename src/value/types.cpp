#include <strata/types.hpp>
#include <strata/vector.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace strata {

namespace {
constexpr std::array<std::string_view, 6> kStatusNames = {"active",    "paused",    "completed",
                                                          "failed",    "cancelled", "archived"};
}

std::string_view run_status_name(RunStatus s) noexcept { return kStatusNames[static_cast<std::size_t>(s)]; }

std::optional<RunStatus> parse_run_status(std::string_view s) noexcept {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    auto n = kStatusNames[i];
    if (n.size() == s.size() && std::equal(n.begin(), n.end(), s.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        }))
      return static_cast<RunStatus>(i);
  }
  return std::nullopt;
}

namespace {
constexpr std::array<std::string_view, 3> kStrategyNames = {"fail_on_conflict", "source_wins", "target_wins"};
constexpr std::array<std::string_view, 3> kStrategyWords = {"fail", "source-wins", "target-wins"};
}  // namespace

std::string_view merge_strategy_name(MergeStrategy s) noexcept { return kStrategyNames[static_cast<std::size_t>(s)]; }

std::optional<MergeStrategy> parse_merge_strategy(std::string_view s) noexcept {
  for (std::size_t i = 0; i < kStrategyNames.size(); ++i)
    if (s == kStrategyNames[i] || s == kStrategyWords[i]) return static_cast<MergeStrategy>(i);
  return std::nullopt;
}

}  // namespace strata

namespace strata {

namespace {
constexpr std::array<std::string_view, 3> kMetricNames = {"cosine", "euclidean", "dot"};
}

std::string_view metric_name(Metric m) noexcept { return kMetricNames[static_cast<std::size_t>(m)]; }

std::optional<Metric> parse_metric(std::string_view s) noexcept {
  for (std::size_t i = 0; i < kMetricNames.size(); ++i) {
    auto n = kMetricNames[i];
    if (n.size() == s.size() && std::equal(n.begin(), n.end(), s.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        }))
      return static_cast<Metric>(i);
  }
  if (s == "dotproduct" || s == "dot_product") return Metric::DotProduct;
  return std::nullopt;
}

}  // namespace strata
