#include "cli/error_names.hpp"

namespace strata::cli {
namespace {

// No `default:` on purpose: -Wswitch flags an errc added without a name.
constexpr const char* name_for(errc e) noexcept {
  switch (e) {
    case errc::ok: return "ok";
    case errc::key_not_found: return "key_not_found";
    case errc::run_not_found: return "run_not_found";
    case errc::collection_not_found: return "collection_not_found";
    case errc::document_not_found: return "document_not_found";
    case errc::wrong_type: return "wrong_type";
    case errc::invalid_key: return "invalid_key";
    case errc::key_empty: return "key_empty";
    case errc::key_too_long: return "key_too_long";
    case errc::key_not_utf8: return "key_not_utf8";
    case errc::key_contains_nul: return "key_contains_nul";
    case errc::key_reserved: return "key_reserved";
    case errc::invalid_run_name: return "invalid_run_name";
    case errc::invalid_path: return "invalid_path";
    case errc::invalid_input: return "invalid_input";
    case errc::invalid_json: return "invalid_json";
    case errc::value_too_large: return "value_too_large";
    case errc::nesting_too_deep: return "nesting_too_deep";
    case errc::integer_out_of_range: return "integer_out_of_range";
    case errc::invalid_limit: return "invalid_limit";
    case errc::invalid_cursor: return "invalid_cursor";
    case errc::version_conflict: return "version_conflict";
    case errc::transaction_conflict: return "transaction_conflict";
    case errc::transaction_not_active: return "transaction_not_active";
    case errc::transaction_already_active: return "transaction_already_active";
    case errc::run_exists: return "run_exists";
    case errc::run_is_default: return "run_is_default";
    case errc::run_is_current: return "run_is_current";
    case errc::collection_exists: return "collection_exists";
    case errc::dimension_mismatch: return "dimension_mismatch";
    case errc::constraint_violation: return "constraint_violation";
    case errc::history_trimmed: return "history_trimmed";
    case errc::database_locked: return "database_locked";
    case errc::database_closed: return "database_closed";
    case errc::read_only: return "read_only";
    case errc::corruption: return "corruption";
    case errc::io: return "io";
    case errc::internal: return "internal";
    case errc::codec_truncated: return "codec_truncated";
    case errc::codec_bad_tag: return "codec_bad_tag";
    case errc::codec_bad_version: return "codec_bad_version";
    case errc::invalid_event_type: return "invalid_event_type";
    case errc::invalid_sequence: return "invalid_sequence";
    case errc::invalid_utf8: return "invalid_utf8";
    case errc::non_finite_float: return "non_finite_float";
    case errc::invalid_collection_name: return "invalid_collection_name";
    case errc::invalid_dimension: return "invalid_dimension";
    case errc::invalid_vector: return "invalid_vector";
    case errc::invalid_filter: return "invalid_filter";
    case errc::invalid_k: return "invalid_k";
    case errc::run_has_children: return "run_has_children";
    case errc::merge_conflict: return "merge_conflict";
    case errc::replay_divergence: return "replay_divergence";
  }
  return nullptr;
}

}  // namespace

std::string_view errc_name(errc e) noexcept {
  const char* name = name_for(e);
  return name ? name : "unknown";
}

std::string error_code_name(const error_code& ec) {
  if (ec.category() == strata_category()) return std::string(errc_name(static_cast<errc>(ec.value())));
  return std::string(ec.category().name()) + ":" + std::to_string(ec.value());
}

}  // namespace strata::cli
