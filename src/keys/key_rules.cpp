#include "keys/key_rules.hpp"

#include "unicode/utf8.hpp"

#include <cstdint>

namespace strata::keys {

bool is_valid_utf8(std::string_view s) noexcept { return utf8::is_valid(s); }

std::string quote_for_message(std::string_view s) { return utf8::quote(s); }

error_code check_user_key(std::string_view key, std::string* detail) {
  auto fail = [&](errc e, std::string msg) {
    if (detail) *detail = std::move(msg);
    return make_error_code(e);
  };
  if (key.empty()) return fail(errc::key_empty, "key must not be empty");
  if (key.size() > kMaxKeyBytes)
    return fail(errc::key_too_long, "key " + quote_for_message(key) + " is " + std::to_string(key.size()) +
                                        " bytes; the limit is 1024");
  if (key.find('\0') != std::string_view::npos)
    return fail(errc::key_contains_nul, "key " + quote_for_message(key) + " contains a NUL byte");
  if (!is_valid_utf8(key)) return fail(errc::key_not_utf8, "key " + quote_for_message(key) + " is not valid UTF-8");
  if (key.starts_with(kReservedPrefix))
    return fail(errc::key_reserved, "key " + quote_for_message(key) + " uses the reserved prefix \"_strata/\"");
  return {};
}

error_code list_start(RunId run, Primitive primitive, std::string_view prefix, const PageRequest& page,
                      std::string& from, std::string* detail) {
  auto fail = [&](errc e, std::string msg) {
    if (detail) *detail = std::move(msg);
    return make_error_code(e);
  };
  if (page.limit && *page.limit == 0) return fail(errc::invalid_limit, "list limit must be at least 1");
  if (page.cursor.empty()) {
    from = storage_key(run, primitive, prefix);
    return {};
  }
  std::string_view last;
  if (!parse_cursor(page.cursor, run, prefix, last))
    return fail(errc::invalid_cursor, "cursor " + quote_for_message(page.cursor) +
                                          " was not returned by a listing of prefix " + quote_for_message(prefix) +
                                          " in this run");
  from = storage_key(run, primitive, last);
  from.push_back('\0');  // the smallest key after the cursor's
  return {};
}

error_code check_run_name(std::string_view name, std::string* detail) {
  auto fail = [&](std::string msg) {
    if (detail) *detail = std::move(msg);
    return make_error_code(errc::invalid_run_name);
  };
  if (name.empty()) return fail("run name must not be empty");
  if (name.size() > kMaxRunNameChars)
    return fail("run name " + quote_for_message(name) + " is " + std::to_string(name.size()) +
                " characters; the limit is 128");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    if (!ok) return fail("run name " + quote_for_message(name) + " may only contain [A-Za-z0-9._-]");
  }
  // A run name becomes a file name (exports, bundles): "." and ".." would
  // name directories.
  if (name == "." || name == "..") return fail("run name " + quote_for_message(name) + " is reserved (a directory name)");
  return {};
}

}  // namespace strata::keys
