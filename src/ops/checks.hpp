// Validation shared by the operations (src/ops/) and transactions: each
// check fills an Outcome's code and detail and says whether to go on.
#pragma once

#include "codec/value_codec.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"
#include "keys/key_rules.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace strata::ops {

/// A valid user key (what = "key", "state cell", "JSON document" ... for
/// the message is not needed: key_rules names the key).
template <class T>
bool key_ok(std::string_view key, detail::Outcome<T>& o) {
  o.ec = keys::check_user_key(key, &o.detail);
  return !o.ec;
}

/// A value within the limits; the detail names `what` and the key.
template <class T>
bool value_ok(const Value& v, std::string_view what, std::string_view key, detail::Outcome<T>& o) {
  o.ec = codec::check_value_limits(v, &o.detail);
  if (o.ec) o.detail = std::string(what) + " " + keys::quote_for_message(key) + ": " + o.detail;
  return !o.ec;
}

/// The TTL of `options` in ms (0: none) into `ttl_ms`; invalid_input
/// outside 1 ms - 2^48-1 ms (what a version node holds).
template <class T>
bool ttl_ok(const PutOptions& options, std::uint64_t& ttl_ms, detail::Outcome<T>& o) {
  ttl_ms = 0;
  if (!options.ttl) return true;
  const auto ms = options.ttl->count();
  if (ms < 1 || static_cast<std::uint64_t>(ms) > mvcc::VersionNode::kMaxTtlMs) {
    o.ec = make_error_code(errc::invalid_input);
    o.detail = "ttl of " + std::to_string(ms) + " ms is outside 1 ms - " +
               std::to_string(mvcc::VersionNode::kMaxTtlMs) + " ms";
    return false;
  }
  ttl_ms = static_cast<std::uint64_t>(ms);
  return true;
}

/// The database is open and the run not deleted.
template <class T>
bool usable(detail::Engine& e, const detail::RunState& run, detail::Outcome<T>& o) {
  o.ec = e.usable(run, o.detail);
  return !o.ec;
}

/// The run's view at `as_of` (unset: the visible version) into `view`;
/// false (with the Outcome's error) for a point after the newest commit.
template <class T>
bool view_at(detail::Engine& e, const detail::RunState& run, const std::optional<AsOf>& as_of,
             std::optional<actors::ReadView>& view, detail::Outcome<T>& o) {
  auto v = e.resolve(as_of);
  if (!v) {
    o.ec = v.ec;
    o.detail = std::move(v.detail);
    return false;
  }
  view.emplace(e.view_as_of(run, as_of, v.value));
  return true;
}

}  // namespace strata::ops
