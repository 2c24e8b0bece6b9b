// Checks shared by every Transaction operation (transaction*.cpp).
#pragma once

#include "engine/engine.hpp"
#include "engine/outcome.hpp"
#include "keys/key_rules.hpp"
#include "txn/txn_state.hpp"

#include <string>
#include <string_view>

namespace strata::detail {

inline error_code check_active(const TxnState* t, std::string& detail) {
  if (!t || !t->active) {
    detail = "the transaction was already committed or rolled back";
    return make_error_code(errc::transaction_not_active);
  }
  return t->engine->usable(*t->run, detail);  // closed database, deleted run
}

/// Writes: active, and not a read-only transaction opened at an AsOf.
inline error_code check_writable(const TxnState* t, std::string& detail) {
  if (auto ec = check_active(t, detail)) return ec;
  if (t->as_of) {
    detail = "the transaction reads run \"" + t->run->name() + "\" as of " + to_string(*t->as_of) + " (version " +
             std::to_string(t->snapshot) + "): it is read-only";
    return make_error_code(errc::read_only);
  }
  return {};
}

/// Common prologue of every keyed operation: active (and, for a write,
/// writable) + valid key.
template <class T>
bool prologue(const TxnState* t, std::string_view key, Outcome<T>& o, bool writes = false) {
  if ((o.ec = writes ? check_writable(t, o.detail) : check_active(t, o.detail))) return false;
  o.ec = keys::check_user_key(key, &o.detail);
  return !o.ec;
}
/// The prologue of a keyed write.
template <class T>
bool write_prologue(const TxnState* t, std::string_view key, Outcome<T>& o) {
  return prologue(t, key, o, true);
}

}  // namespace strata::detail
