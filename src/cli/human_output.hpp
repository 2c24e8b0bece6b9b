// How the CLI prints: a command's Output as human text (default), errors
// as one line, and the --json error document. The JSON rendering of
// results is the library's codec (strata::to_json_text).
#pragma once

#include <strata/command.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::cli {

/// Human text of `output`, the result of `command`: at least one line, no
/// trailing newline. Absent values are "(nil)", empty listings "(empty)".
/// `current_run` marks the session's run in run listings and details.
std::string render_human(const Command& command, const Output& output, const std::string& current_run);

/// "error: <code>: <message>" — the one line printed on stderr.
std::string error_line(std::string_view code, std::string_view message);

/// {"error":{"code":...,"message":...}} — printed on stdout in --json mode
/// so a reader expecting one document per command stays in step.
boost::json::value error_json(std::string_view code, std::string_view message);

/// Microseconds since the Unix epoch as ISO 8601 UTC with microseconds,
/// e.g. "2024-05-01T12:00:00.000123Z".
std::string format_timestamp(std::int64_t us);

}  // namespace strata::cli
