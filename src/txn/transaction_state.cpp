// strata::Transaction: state cells in a transaction. Cells are buffered
// writes like KV keys; a CAS compares against this transaction's view and
// puts the cell in the read set, so a concurrent change aborts the commit.
#include <strata/transaction.hpp>

#include "codec/value_codec.hpp"
#include "txn/txn_checks.hpp"

namespace strata {

using detail::Outcome;
using detail::prologue;
using detail::value_or_code;
using detail::value_or_throw;

namespace {

std::string cell_key(const detail::TxnState& t, std::string_view cell) {
  return keys::storage_key(t.run->id, keys::Primitive::State, cell);
}

/// The cell in this view: own pending write (version 0) or the snapshot's
/// (which joins the read set).
std::optional<VersionedValue> view(detail::TxnState& t, const std::string& key) {
  if (auto it = t.writes.find(key); it != t.writes.end()) {
    if (it->second.tombstone) return std::nullopt;
    return VersionedValue{it->second.value, 0, 0, false};
  }
  t.reads.push_back(key);
  return t.view().get_versioned(key);
}

bool value_ok(std::string_view cell, const Value& value, Outcome<bool>& o) {
  if ((o.ec = codec::check_value_limits(value, &o.detail)))
    o.detail = "value for state cell " + keys::quote_for_message(cell) + ": " + o.detail;
  return !o.ec;
}

Outcome<std::optional<VersionedValue>> do_read(detail::TxnState* t, std::string_view cell) {
  Outcome<std::optional<VersionedValue>> o;
  if (prologue(t, cell, o)) o.value = view(*t, cell_key(*t, cell));
  return o;
}

Outcome<bool> do_set(detail::TxnState* t, std::string_view cell, Value&& value) {
  Outcome<bool> o;
  if (!detail::write_prologue(t, cell, o) || !value_ok(cell, value, o)) return o;
  t->writes.insert_or_assign(cell_key(*t, cell), detail::BufferedWrite{false, std::move(value)});
  o.value = true;
  return o;
}

/// expected = nullopt: absent; else the snapshot version must match (a
/// cell written by this transaction has no version yet and never matches).
bool matches(const std::optional<VersionedValue>& current, std::optional<Version> expected) {
  if (!expected) return !current;
  return current && current->version != 0 && current->version == *expected;
}

Outcome<bool> do_cas(detail::TxnState* t, std::string_view cell, std::optional<Version> expected, Value&& value) {
  Outcome<bool> o;
  if (!detail::write_prologue(t, cell, o) || !value_ok(cell, value, o)) return o;
  std::string key = cell_key(*t, cell);
  if (!matches(view(*t, key), expected)) return o;  // false: no write
  t->writes.insert_or_assign(std::move(key), detail::BufferedWrite{false, std::move(value)});
  o.value = true;
  return o;
}

}  // namespace

std::optional<VersionedValue> Transaction::state_read(std::string_view cell) {
  return value_or_throw(do_read(state_.get(), cell));
}
std::optional<VersionedValue> Transaction::state_read(std::string_view cell, error_code& ec) {
  return value_or_code(do_read(state_.get(), cell), ec);
}
void Transaction::state_set(std::string_view cell, Value value) {
  value_or_throw(do_set(state_.get(), cell, std::move(value)));
}
void Transaction::state_set(std::string_view cell, Value value, error_code& ec) {
  value_or_code(do_set(state_.get(), cell, std::move(value)), ec);
}
bool Transaction::state_init(std::string_view cell, Value value) {
  return value_or_throw(do_cas(state_.get(), cell, std::nullopt, std::move(value)));
}
bool Transaction::state_init(std::string_view cell, Value value, error_code& ec) {
  return value_or_code(do_cas(state_.get(), cell, std::nullopt, std::move(value)), ec);
}
bool Transaction::state_cas(std::string_view cell, std::optional<Version> expected, Value value) {
  return value_or_throw(do_cas(state_.get(), cell, expected, std::move(value)));
}
bool Transaction::state_cas(std::string_view cell, std::optional<Version> expected, Value value, error_code& ec) {
  return value_or_code(do_cas(state_.get(), cell, expected, std::move(value)), ec);
}

}  // namespace strata
