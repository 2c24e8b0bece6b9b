// The "strata" error category (docs/design/errors.md): one static message
// per errc, and the interned categories that carry a detail (with_detail).
//
// Messages are fixed text; the offending key/run/path and the limit travel
// in the detail, so a message here must read well after "<detail>: ".
#include <strata/error.hpp>

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace strata {
namespace {

// The last enumerator of errc. Update it when a code is appended, so the
// static_assert below checks the new code has a message.
constexpr errc kLastErrc = errc::replay_divergence;

// No `default:` on purpose: -Wswitch (part of -Wall) then flags any new
// enumerator that was not given a message here.
constexpr const char* message_for(errc e) noexcept {
  switch (e) {
    case errc::ok: return "success";
    case errc::key_not_found: return "key not found";
    case errc::run_not_found: return "run not found";
    case errc::collection_not_found: return "vector collection not found";
    case errc::document_not_found: return "JSON document not found";
    case errc::wrong_type: return "value has the wrong type";
    case errc::invalid_key: return "invalid key";
    case errc::key_empty: return "key is empty";
    case errc::key_too_long: return "key is longer than 1024 bytes";
    case errc::key_not_utf8: return "key is not valid UTF-8";
    case errc::key_contains_nul: return "key contains a NUL byte";
    case errc::key_reserved: return "key starts with the reserved prefix \"_strata/\"";
    case errc::invalid_run_name:
      return "invalid run name (1-128 characters of A-Z a-z 0-9 . _ -)";
    case errc::invalid_path: return "invalid JSON path";
    case errc::invalid_input: return "invalid input";
    case errc::invalid_json: return "invalid JSON";
    case errc::value_too_large: return "value is larger than 16 MiB encoded";
    case errc::nesting_too_deep: return "arrays/objects are nested deeper than 128 levels";
    case errc::integer_out_of_range: return "integer does not fit in a signed 64-bit integer";
    case errc::invalid_limit: return "limit must be at least 1";
    case errc::invalid_cursor: return "cursor was not produced by this listing";
    case errc::version_conflict: return "version does not match the expected version";
    case errc::transaction_conflict: return "transaction conflicts with a committed write";
    case errc::transaction_not_active: return "no transaction is active";
    case errc::transaction_already_active: return "a transaction is already active";
    case errc::run_exists: return "run already exists";
    case errc::run_is_default: return "the \"default\" run cannot be deleted";
    case errc::run_is_current: return "the current run of this handle cannot be deleted";
    case errc::collection_exists: return "vector collection already exists";
    case errc::dimension_mismatch: return "vector dimension does not match the collection";
    case errc::constraint_violation: return "constraint violated";
    case errc::history_trimmed: return "requested version is older than the retained history";
    case errc::database_locked: return "database is locked by another process";
    case errc::database_closed: return "database is closed";
    case errc::read_only: return "database is open read-only";
    case errc::corruption: return "data corruption detected";
    case errc::io: return "I/O error";
    case errc::internal: return "internal error";
    case errc::codec_truncated: return "encoded value is truncated";
    case errc::codec_bad_tag: return "encoded value has an unknown type tag";
    case errc::codec_bad_version: return "encoded value has an unknown format version";
    case errc::invalid_event_type: return "invalid event type (1-256 bytes of UTF-8, no NUL)";
    case errc::invalid_sequence: return "invalid event sequence (sequences start at 1)";
    case errc::invalid_utf8: return "text is not valid UTF-8";
    case errc::non_finite_float: return "Float is NaN or infinite (only finite numbers are stored)";
    case errc::invalid_collection_name:
      return "invalid collection name (1-256 bytes of UTF-8, no '/', no NUL, no leading '_')";
    case errc::invalid_dimension: return "vector dimension must be 1-65536";
    case errc::invalid_vector: return "vector components must be finite numbers";
    case errc::invalid_filter: return "invalid search filter";
    case errc::invalid_k: return "k must be 1-10000";
    case errc::run_has_children: return "run has forks";
    case errc::merge_conflict: return "merge conflict";
    case errc::replay_divergence: return "replay diverged from the recording";
  }
  return nullptr;
}

constexpr bool every_code_has_a_message() {
  for (int i = 0; i <= static_cast<int>(kLastErrc); ++i) {
    const char* m = message_for(static_cast<errc>(i));
    if (m == nullptr || *m == '\0') return false;
  }
  return true;
}
static_assert(every_code_has_a_message(), "an errc enumerator has no message");

// A fixed id makes categories from different shared objects — and the
// detail-carrying ones below — compare equal to the plain category.
constexpr unsigned long long kStrataCategoryId = 0x9d3c'51a7'e2b4'6f08ULL;

const char* message_or_unknown(int ev) noexcept {
  if (ev < 0 || ev > static_cast<int>(kLastErrc)) return "unknown strata error";
  return message_for(static_cast<errc>(ev));
}

class StrataCategory final : public boost::system::error_category {
 public:
  constexpr StrataCategory() noexcept : error_category(kStrataCategoryId) {}
  const char* name() const noexcept override { return "strata"; }
  std::string message(int ev) const override { return message_or_unknown(ev); }
  char const* message(int ev, char*, std::size_t) const noexcept override { return message_or_unknown(ev); }
};

/// The strata category with one detail: message(ev) = "<detail>: <message>".
class DetailCategory final : public boost::system::error_category {
 public:
  explicit DetailCategory(std::string detail) : error_category(kStrataCategoryId), detail_(std::move(detail)) {}
  const char* name() const noexcept override { return "strata"; }
  std::string message(int ev) const override { return detail_ + ": " + message_or_unknown(ev); }
  char const* message(int ev, char* buffer, std::size_t len) const noexcept override {
    if (len == 0) return "";
    std::snprintf(buffer, len, "%s: %s", detail_.c_str(), message_or_unknown(ev));
    return buffer;
  }
  boost::system::error_condition default_error_condition(int ev) const noexcept override {
    return {ev, strata_category()};
  }
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::string detail_;
};

/// Interned detail categories; never freed (error codes may refer to them
/// for the life of the process), bounded in number.
class DetailTable {
 public:
  static constexpr std::size_t kMaxDetails = 1u << 16;
  static constexpr std::size_t kMaxDetailBytes = 1024;  // longer details are cut (UTF-8 safe)

  const DetailCategory* intern(std::string_view detail) {
    std::lock_guard lock(mu_);
    if (auto it = table_.find(detail); it != table_.end()) return it->second;
    if (table_.size() >= kMaxDetails) return nullptr;
    auto* cat = new DetailCategory(std::string(detail));
    table_.emplace(cat->detail(), cat);
    return cat;
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string_view, const DetailCategory*> table_;  // views into the categories' own strings
};

DetailTable& detail_table() {
  static auto* table = new DetailTable;  // never destroyed: codes may outlive static destruction
  return *table;
}

std::string_view cut_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a code point
  return s.substr(0, n);
}

}  // namespace

const boost::system::error_category& strata_category() noexcept {
  static const StrataCategory category;
  return category;
}

error_code with_detail(error_code ec, std::string_view detail) {
  if (detail.empty() || ec.category() != strata_category()) return ec;
  const DetailCategory* cat = detail_table().intern(cut_utf8(detail, DetailTable::kMaxDetailBytes));
  return cat ? error_code(ec.value(), *cat) : error_code(ec.value(), strata_category());
}

std::string_view error_detail(const error_code& ec) noexcept {
  if (ec.category() != strata_category()) return {};
  const auto* d = dynamic_cast<const DetailCategory*>(&ec.category());
  return d ? std::string_view(d->detail()) : std::string_view();
}

}  // namespace strata
