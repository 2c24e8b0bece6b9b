#include "session/field_codec.hpp"

#include <boost/json/serialize.hpp>

namespace strata::session_detail {

void fail(const Where& where, std::string_view problem) {
  std::string detail(where.op);
  detail += ": ";
  if (!where.field.empty()) detail += "field \"" + where.field + "\" ";
  detail += problem;
  throw Error(errc::invalid_input, detail);
}

bool is_defaultable(std::string_view member) noexcept {
  return member == "prefix" || member == "cursor" || member == "metadata" || member == "options" ||
         member == "exact" || member == "k";
}

}  // namespace strata::session_detail

namespace strata::session_detail {

// boost::json::serialize prints doubles in scientific form (0.1 as "1E-1");
// Value's writer prints the shortest round-trip form, so doubles go through
// it. Everything else is serialized by Boost.JSON, member order kept.
void write_text(const boost::json::value& v, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::double_: out += Value(v.get_double()).to_json_string(); return;
    case boost::json::kind::array: {
      out += '[';
      const char* sep = "";
      for (const auto& item : v.get_array()) {
        out += sep;
        sep = ",";
        write_text(item, out);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      const char* sep = "";
      for (const auto& member : v.get_object()) {
        out += sep;
        sep = ",";
        out += boost::json::serialize(member.key());
        out += ':';
        write_text(member.value(), out);
      }
      out += '}';
      return;
    }
    default: out += boost::json::serialize(v); return;
  }
}

std::string json_text(const boost::json::value& v) {
  std::string out;
  write_text(v, out);
  return out;
}

}  // namespace strata::session_detail
