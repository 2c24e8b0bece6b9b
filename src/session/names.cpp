#include "session/names.hpp"

#include <algorithm>
#include <array>
#include <variant>

namespace strata {
namespace session_detail {
namespace {

// In variant order; the static_asserts catch an alternative added to the
// variant without a name here.
constexpr std::array<std::string_view, 52> kCommandNames{
    "kv_put",        "kv_get",          "kv_delete",    "kv_list",         "kv_history",
    "event_append",  "event_read",      "event_read_by_type", "event_range", "event_len",
    "event_verify",  "state_set",       "state_read",   "state_init",      "state_cas",
    "state_history",
    "json_set",      "json_get",        "json_delete",  "json_list",       "json_array_append",
    "json_incr",     "json_history",
    "vector_create", "vector_drop",     "vector_list",  "vector_info",     "vector_upsert",
    "vector_upsert_batch", "vector_get",    "vector_delete",   "vector_search", "vector_history",
    "run_create",      "run_use",      "run_list",        "run_info",
    "run_delete",    "run_set_status",  "run_set_metadata", "run_digest", "run_fork", "run_diff", "run_merge", "run_replay", "begin",       "commit",
    "rollback",      "ping",            "info",         "flush",           "compact",
};
static_assert(kCommandNames.size() == std::variant_size_v<Command>);

constexpr std::array<std::string_view, 34> kOutputNames{
    "done",          "version",      "maybe_value",   "existed",     "count",
    "keys",          "history",      "sequence",      "maybe_event", "events",
    "length",        "verification", "maybe_state",   "maybe_version", "wrote",
    "value",         "run",          "runs",          "run_selected", "deleted",
    "info",          "pong",         "txn_begun",     "txn_committed", "txn_rolled_back",
    "collection",    "collections",  "maybe_vector",  "matches",     "digest",      "diff",        "merged",      "replayed",
    "vector_history",
};
static_assert(kOutputNames.size() == std::variant_size_v<Output>);

template <std::size_t N>
std::optional<std::size_t> find(const std::array<std::string_view, N>& names, std::string_view name) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<std::size_t>(it - names.begin());
}

}  // namespace

std::string_view command_name_at(std::size_t index) noexcept { return kCommandNames[index]; }
std::string_view output_name_at(std::size_t index) noexcept { return kOutputNames[index]; }
std::optional<std::size_t> command_index_of(std::string_view name) noexcept { return find(kCommandNames, name); }
std::optional<std::size_t> output_index_of(std::string_view name) noexcept { return find(kOutputNames, name); }

}  // namespace session_detail

std::string_view command_name(const Command& command) noexcept {
  return session_detail::command_name_at(command.index());
}

std::string_view output_name(const Output& output) noexcept {
  return session_detail::output_name_at(output.index());
}

}  // namespace strata
