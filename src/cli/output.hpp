// The result of one CLI command, and its two renderings: human text
// (default) and one JSON document (--json). Commands return typed results
// and never format, so a new output mode touches this file only.
#pragma once

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace strata::cli {

/// kv get: the value, or nothing when the key is absent.
struct ValueResult {
  std::optional<Value> value;
};
/// kv put: the commit version.
struct VersionResult {
  Version version = 0;
};
/// kv del: whether the key existed.
struct DeleteResult {
  bool existed = false;
};
/// kv list: keys in byte order.
struct KeysResult {
  std::vector<std::string> keys;
};
/// kv history: versions newest first, tombstones included.
struct HistoryResult {
  std::vector<VersionedValue> versions;
};
struct RunCreated {
  RunInfo run;
};
/// run use: the session's new current run.
struct RunSelected {
  std::string name;
};
struct RunDeleted {
  std::string name;
  std::size_t keys_removed = 0;
};
struct RunDetails {
  RunInfo run;
  bool current = false;
};
struct RunListing {
  std::vector<RunInfo> runs;
  std::string current;
};
struct InfoResult {
  DatabaseInfo info;
  std::string current_run;
};
/// Plain text (ping).
struct TextResult {
  std::string text;
};

using Output = std::variant<ValueResult, VersionResult, DeleteResult, KeysResult, HistoryResult, RunCreated,
                            RunSelected, RunDeleted, RunDetails, RunListing, InfoResult, TextResult>;

/// Human text: at least one line, no trailing newline. Absent values are
/// "(nil)", empty listings "(empty)".
std::string render_human(const Output& out);

/// One JSON document; values as strata::to_json gives them, versions as
/// numbers, an absent value as null.
boost::json::value render_json(const Output& out);

/// "error: <code>: <message>" — the one line printed on stderr.
std::string error_line(std::string_view code, std::string_view message);

/// {"error":{"code":...,"message":...}} — printed on stdout in --json mode
/// so a reader expecting one document per command stays in step.
boost::json::value error_json(std::string_view code, std::string_view message);

/// Microseconds since the Unix epoch as ISO 8601 UTC with microseconds,
/// e.g. "2024-05-01T12:00:00.000123Z".
std::string format_timestamp(std::int64_t us);

}  // namespace strata::cli
