#include <strata/types.hpp>

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

}  // namespace strata
