// The JSON codec of Command and Output (docs/design/errors.md; reference:
// docs/commands.md).
//
//  * A Command is an object with "op" (its snake_case name), "run" when set,
//    and one member per argument named as the C++ field:
//      {"op":"kv_put","run":"r1","key":"k","value":42}
//  * An Output is an object with "type" and its fields:
//      {"type":"version","version":12}
//  * Values inside use strata::to_json / from_json (Bytes as
//    {"$bytes":"<base64>"}). Versions, sequences and counts are JSON
//    integers; an unset optional is left out.
//  * Decoding is strict: errc::invalid_json for text that does not parse;
//    errc::invalid_input for anything else, naming the op and the field
//    (`kv_put: field "key" must be a string`), an unknown op, or a member
//    the op does not have.
//  * Text is parsed with strata::Value::parse_json (exact for every double),
//    and the boost::json forms convert through strata::Value, so the text
//    and the value forms decode identically.
#pragma once

#include <strata/command.hpp>

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace strata {

boost::json::value to_json(const Command& command);
/// Compact JSON text, one line.
std::string to_json_text(const Command& command);
Command command_from_json(const boost::json::value& json);
Command parse_command(std::string_view json_text);

boost::json::value to_json(const Output& output);
std::string to_json_text(const Output& output);
Output output_from_json(const boost::json::value& json);
Output parse_output(std::string_view json_text);

}  // namespace strata
