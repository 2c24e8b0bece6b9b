// Error model (docs/design/errors.md): one error_code category "strata" with one code per
// condition, and strata::Error, the exception thrown by the synchronous facade.
//
// Every rejection of bad input has its own code, so callers can branch on the
// exact rule that was broken; messages carried by Error name the offending
// key, run or path and the limit that applies.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace strata {

using boost::system::error_code;

enum class errc : int {
  ok = 0,
  // Lookups that found nothing where something was required.
  key_not_found = 1,
  run_not_found,
  collection_not_found,
  document_not_found,
  // Type and input problems.
  wrong_type,
  invalid_key,          // generic invalid key (see the specific codes below)
  key_empty,            // user key is ""
  key_too_long,         // user key > 1024 bytes
  key_not_utf8,         // user key is not valid UTF-8
  key_contains_nul,     // user key contains '\0'
  key_reserved,         // user key starts with "_strata/"
  invalid_run_name,     // run names: 1-128 chars of [A-Za-z0-9._-]
  invalid_path,
  invalid_input,
  invalid_json,         // JSON text that does not parse
  value_too_large,      // encoded value > 16 MiB
  nesting_too_deep,     // arrays/objects nested deeper than 128
  integer_out_of_range, // an integer that does not fit int64
  invalid_limit,        // a list/page limit of 0
  invalid_cursor,       // a pagination cursor this run/prefix did not produce
  // Concurrency.
  version_conflict,
  transaction_conflict,
  transaction_not_active,
  transaction_already_active,
  // Lifecycle.
  run_exists,
  run_is_default,       // "default" cannot be deleted
  run_is_current,       // the handle's current run cannot be deleted
  collection_exists,
  dimension_mismatch,
  constraint_violation,
  history_trimmed,
  database_locked,
  database_closed,
  read_only,
  corruption,
  io,
  internal,
  // Values decoding from bytes (WAL, snapshots, bundles).
  codec_truncated,      // encoded value ends early
  codec_bad_tag,        // unknown kind tag in encoded value
  codec_bad_version,    // unknown encoding format version
  // Event log.
  invalid_event_type,   // event types: 1-256 bytes of UTF-8, no NUL
  invalid_sequence,     // event sequence 0, or a range with from > to
  // Values entering the database.
  invalid_utf8,         // a String value, Object key or JSON path member is not valid UTF-8
  non_finite_float,     // a Float that is NaN or infinite (it could not be printed as JSON)
  // Vector store.
  invalid_collection_name,  // collection names: 1-256 bytes of UTF-8, no '/', no NUL, no leading '_'
  invalid_dimension,        // vector dimension outside 1-65536
  invalid_vector,           // a vector component that is NaN or infinite
  invalid_filter,           // a search filter that does not parse
  invalid_k,                // a search's k outside 1-10000
  // Runs as branches.
  run_has_children,         // a run with live forks cannot be deleted (delete the forks first)
  merge_conflict,           // merge_run with fail_on_conflict: both runs changed the same entries
  replay_divergence,        // a Recorder in replay was asked for an input other than the recorded one
};

/// The "strata" error category. Its messages are static, one per code.
const boost::system::error_category& strata_category() noexcept;

inline error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), strata_category()};
}

/// `ec` carrying `detail` — the offending key, run, path or limit — in its
/// message: message() is "<detail>: <static message>" and error_detail()
/// returns the detail. The code still compares equal to the plain code
/// (`ec == errc::key_empty` holds), and its category is still "strata".
/// Every error StrataDB reports, through any front end (a thrown Error, an
/// error_code& overload, an async completion), carries its detail this way,
/// so all three show the same message.
///
/// How: the detail lives in an interned category object that is never freed
/// (an error_code is a plain value and cannot own it). A process interns at
/// most 65,536 distinct details (a few MiB); past that, new details are
/// dropped from error codes (the code and its static message remain) — the
/// thrown Error keeps its detail regardless. Codes of other categories, and
/// an empty detail, are returned unchanged.
error_code with_detail(error_code ec, std::string_view detail);
inline error_code make_error_code(errc e, std::string_view detail) { return with_detail(make_error_code(e), detail); }
/// The detail carried by `ec` (empty when it carries none).
std::string_view error_detail(const error_code& ec) noexcept;

/// Thrown by every throwing synchronous call. `code()` is the strata error
/// code (carrying its detail); `what()` is the code's what(), the same text
/// an async operation's exception or an error_code& overload shows:
/// "<detail>: <static message> [strata:<n>]".
class Error : public boost::system::system_error {
 public:
  explicit Error(error_code ec) : boost::system::system_error(ec), detail_(error_detail(ec)) {}
  Error(error_code ec, const std::string& detail) : Error(ec, detail, with_detail(ec, detail)) {}
  Error(errc e, const std::string& detail) : Error(make_error_code(e), detail) {}

  /// The dynamic part of the message only (may be empty).
  const std::string& detail() const noexcept { return detail_; }

 private:
  // Keeps the detail in what() even when the interning limit was reached.
  Error(error_code plain, const std::string& detail, error_code carrying)
      : boost::system::system_error(
            error_detail(carrying).empty() && !detail.empty() ? boost::system::system_error(plain, detail)
                                                              : boost::system::system_error(carrying)),
        detail_(detail) {}
  std::string detail_;
};

}  // namespace strata

namespace boost::system {
template <>
struct is_error_code_enum<strata::errc> : std::true_type {};
}  // namespace boost::system
