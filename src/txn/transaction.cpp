// strata::Transaction: reads at the snapshot merged with buffered writes.
#include <strata/transaction.hpp>

#include "codec/value_codec.hpp"
#include "engine/engine.hpp"
#include "keys/key_rules.hpp"
#include "keys/storage_key.hpp"
#include "ops/checks.hpp"
#include "txn/txn_checks.hpp"
#include "txn/txn_listing.hpp"
#include "txn/txn_state.hpp"

#include <algorithm>
#include <limits>

namespace strata {

using detail::Outcome;

namespace {

using detail::check_active;
using detail::prologue;

std::string kv_key(const detail::TxnState& t, std::string_view key) {
  return keys::storage_key(t.run->id, keys::Primitive::Kv, key);
}

/// The transaction's view of one key: own write first, then the snapshot
/// (which joins the read set).
std::optional<Value> view(detail::TxnState& t, const std::string& skey) {
  if (auto it = t.writes.find(skey); it != t.writes.end())
    return it->second.tombstone ? std::nullopt : std::optional<Value>(it->second.value);
  t.reads.push_back(skey);
  return t.view().get(skey);
}

Outcome<std::optional<Value>> do_get(detail::TxnState* t, std::string_view key) {
  Outcome<std::optional<Value>> o;
  if (prologue(t, key, o)) o.value = view(*t, kv_key(*t, key));
  return o;
}

Outcome<bool> do_put(detail::TxnState* t, std::string_view key, Value&& value, const PutOptions& options = {}) {
  Outcome<bool> o;
  if (!detail::write_prologue(t, key, o)) return o;
  if ((o.ec = codec::check_value_limits(value, &o.detail))) {
    o.detail = "value for key " + keys::quote_for_message(key) + ": " + o.detail;
    return o;
  }
  std::uint64_t ttl_ms = 0;
  if (!ops::ttl_ok(options, ttl_ms, o)) return o;
  t->writes.insert_or_assign(kv_key(*t, key), detail::BufferedWrite{false, std::move(value), ttl_ms});
  return o;
}

Outcome<bool> do_delete(detail::TxnState* t, std::string_view key) {
  Outcome<bool> o;
  if (!detail::write_prologue(t, key, o)) return o;
  std::string skey = kv_key(*t, key);
  o.value = view(*t, skey).has_value();
  t->writes.insert_or_assign(std::move(skey), detail::BufferedWrite{true, Value{}});
  return o;
}

Outcome<KeyPage> do_list(detail::TxnState* t, std::string_view prefix, const PageRequest& page) {
  Outcome<KeyPage> o;
  if ((o.ec = check_active(t, o.detail))) return o;
  return detail::list_view(t, keys::Primitive::Kv, prefix, page, t->writes,
                           [](const detail::BufferedWrite& w) { return w.tombstone; });
}

}  // namespace

Transaction::Transaction(std::unique_ptr<detail::TxnState> state, boost::asio::any_io_executor ex)
    : state_(std::move(state)), executor_(std::move(ex)) {}
Transaction::Transaction(Transaction&&) noexcept = default;
Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    rollback();
    state_ = std::move(other.state_);
    executor_ = std::move(other.executor_);
  }
  return *this;
}
Transaction::~Transaction() { rollback(); }

bool Transaction::active() const noexcept { return state_ && state_->active; }
Version Transaction::snapshot_version() const noexcept { return state_ ? state_->snapshot : 0; }
const std::string& Transaction::run() const noexcept {
  static const std::string none;
  return state_ ? state_->run->name() : none;
}

std::optional<Value> Transaction::kv_get(std::string_view key) {
  return detail::value_or_throw(do_get(state_.get(), key));
}
std::optional<Value> Transaction::kv_get(std::string_view key, error_code& ec) {
  return detail::value_or_code(do_get(state_.get(), key), ec);
}
void Transaction::kv_put(std::string_view key, Value value) {
  detail::value_or_throw(do_put(state_.get(), key, std::move(value)));
}
void Transaction::kv_put(std::string_view key, Value value, error_code& ec) {
  detail::value_or_code(do_put(state_.get(), key, std::move(value)), ec);
}
void Transaction::kv_put(std::string_view key, Value value, const PutOptions& options) {
  detail::value_or_throw(do_put(state_.get(), key, std::move(value), options));
}
void Transaction::kv_put(std::string_view key, Value value, const PutOptions& options, error_code& ec) {
  detail::value_or_code(do_put(state_.get(), key, std::move(value), options), ec);
}
bool Transaction::kv_delete(std::string_view key) { return detail::value_or_throw(do_delete(state_.get(), key)); }
bool Transaction::kv_delete(std::string_view key, error_code& ec) {
  return detail::value_or_code(do_delete(state_.get(), key), ec);
}
KeyPage Transaction::kv_list(std::string_view prefix, const PageRequest& page) {
  return detail::value_or_throw(do_list(state_.get(), prefix, page));
}
KeyPage Transaction::kv_list(std::string_view prefix, const PageRequest& page, error_code& ec) {
  return detail::value_or_code(do_list(state_.get(), prefix, page), ec);
}

static Outcome<Version> do_commit(detail::TxnState* t) {
  Outcome<Version> o;
  if ((o.ec = check_active(t, o.detail))) return o;
  return detail::commit_transaction(*t);
}
Version Transaction::commit() { return detail::value_or_throw(do_commit(state_.get())); }
Version Transaction::commit(error_code& ec) { return detail::value_or_code(do_commit(state_.get()), ec); }

void Transaction::rollback() noexcept {
  if (!state_ || !state_->active) return;
  state_->active = false;
  state_->writes.clear();
  state_->reads.clear();
  state_->events.clear();
  state_->json_reads.clear();
  state_->ranges.clear();
  state_->json_docs.clear();
}

void Transaction::start_commit(detail::Completion<Version> completion) {
  std::string detail;
  if (auto ec = check_active(state_.get(), detail)) return completion(ec, std::move(detail), 0);
  detail::commit_transaction_async(*state_, std::move(completion));
}

}  // namespace strata
