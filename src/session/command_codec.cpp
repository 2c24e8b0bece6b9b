// Command <-> JSON. The members of each command come from described.hpp;
// this file adds the "op" discriminator and the entry points.
#include "session/described.hpp"
#include "session/field_codec.hpp"
#include "session/names.hpp"

#include <strata/command_json.hpp>

#include <boost/mp11/algorithm.hpp>

#include <variant>

namespace strata {
namespace {

using namespace session_detail;

// Names from the input are echoed in errors, cut short so that a hostile
// request cannot make the error message huge.
std::string quoted_prefix(const std::string& s) {
  constexpr std::size_t kMax = 64;
  return "\"" + (s.size() <= kMax ? s : s.substr(0, kMax) + "...") + "\"";
}

Command decode_command(const Value& v) {
  if (!v.is_object())
    throw Error(errc::invalid_input,
                "a command must be a JSON object with an \"op\" member, not " + std::string(kind_name(v.kind())));
  const Object& o = v.as_object();
  auto op = o.find("op");
  if (op == o.end() || !op->second.is_string())
    throw Error(errc::invalid_input, "a command needs \"op\", a string naming the operation (e.g. \"kv_put\")");
  const std::string& name = op->second.as_string();
  std::optional<std::size_t> index = command_index_of(name);
  if (!index)
    throw Error(errc::invalid_input, "unknown op " + quoted_prefix(name) + " (docs/commands.md lists the ops)");
  return boost::mp11::mp_with_index<std::variant_size_v<Command>>(*index, [&](auto i) -> Command {
    using C = std::variant_alternative_t<decltype(i)::value, Command>;
    Where where{command_name_at(i), {}};
    reject_unknown_members<C>(o, "op", where);
    C command;
    decode_members(o, command, where);
    return command;
  });
}

}  // namespace

boost::json::value to_json(const Command& command) {
  boost::json::object o;
  o["op"] = command_name(command);
  std::visit([&](const auto& c) { encode_members(c, o); }, command);
  return o;
}

std::string to_json_text(const Command& command) { return json_text(to_json(command)); }

Command command_from_json(const boost::json::value& json) { return decode_command(from_json(json)); }

Command parse_command(std::string_view json_text) { return decode_command(Value::parse_json(json_text)); }

}  // namespace strata
