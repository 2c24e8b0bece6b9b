// Output <-> JSON. The members of each output come from described.hpp;
// this file adds the "type" discriminator and the entry points.
#include "session/described.hpp"
#include "session/field_codec.hpp"
#include "session/names.hpp"

#include <strata/command_json.hpp>

#include <boost/mp11/algorithm.hpp>

#include <variant>

namespace strata {
namespace {

using namespace session_detail;

Output decode_output(const Value& v) {
  if (!v.is_object())
    throw Error(errc::invalid_input,
                "an output must be a JSON object with a \"type\" member, not " + std::string(kind_name(v.kind())));
  const Object& o = v.as_object();
  auto type = o.find("type");
  if (type == o.end() || !type->second.is_string())
    throw Error(errc::invalid_input, "an output needs \"type\", a string naming the kind of result");
  const std::string& name = type->second.as_string();
  std::optional<std::size_t> index = output_index_of(name);
  if (!index)
    throw Error(errc::invalid_input,
                "unknown output type \"" + name.substr(0, 64) + "\" (docs/commands.md lists the types)");
  return boost::mp11::mp_with_index<std::variant_size_v<Output>>(*index, [&](auto i) -> Output {
    using O = std::variant_alternative_t<decltype(i)::value, Output>;
    Where where{output_name_at(i), {}};
    reject_unknown_members<O>(o, "type", where);
    O output;
    decode_members(o, output, where);
    return output;
  });
}

}  // namespace

boost::json::value to_json(const Output& output) {
  boost::json::object o;
  o["type"] = output_name(output);
  std::visit([&](const auto& x) { encode_members(x, o); }, output);
  return o;
}

std::string to_json_text(const Output& output) { return json_text(to_json(output)); }

Output output_from_json(const boost::json::value& json) { return decode_output(from_json(json)); }

Output parse_output(std::string_view json_text) { return decode_output(Value::parse_json(json_text)); }

namespace out {

// DatabaseInfo has no operator==; compare it member by member.
bool operator==(const InfoOut& a, const InfoOut& b) {
  bool equal = a.current_run == b.current_run;
  boost::mp11::mp_for_each<boost::describe::describe_members<DatabaseInfo, boost::describe::mod_public>>(
      [&](auto d) { equal = equal && a.info.*d.pointer == b.info.*d.pointer; });
  return equal;
}

}  // namespace out
}  // namespace strata
