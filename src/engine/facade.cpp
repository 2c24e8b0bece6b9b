// strata::Strata: the synchronous facade. Every call resolves the handle's
// current run (cached) and calls the engine inline.
#include <strata/facade.hpp>

#include "engine/engine.hpp"

namespace strata {

using detail::Outcome;
using detail::value_or_code;
using detail::value_or_throw;

Strata Strata::open(const std::filesystem::path& path, Options options) {
  options.path = path;
  return Strata(Database::open(std::move(options)));
}

Strata Strata::open_temp(Options options) {
  options.path.clear();
  options.durability = Durability::InMemory;
  return Strata(Database::open(std::move(options)));
}

Strata::Strata(std::shared_ptr<Database> db) : db_(std::move(db)) {
  if (!db_) throw Error(errc::invalid_input, "Strata needs a database");
}

namespace {

/// Runs op(run_state) on the handle's current run (re-resolving the cached
/// state if the run was deleted and perhaps created again).
template <class T, class Op>
Outcome<T> on_current(detail::Engine& e, const std::string& name, std::shared_ptr<const detail::RunState>& cache,
                      Op&& op) {
  if (!cache || !cache->alive.load(std::memory_order_acquire)) {
    auto r = e.resolve_run(name);
    if (!r) return Outcome<T>::fail(r.ec, std::move(r.detail));
    cache = std::move(r.value);
  }
  return op(*cache);
}

}  // namespace

#define STRATA_ON_RUN(T, call)                                                                \
  on_current<T>(*db_->engine_, run_name_, run_, [&](const detail::RunState& rs) { return call; })

// ---- runs ---------------------------------------------------------------------------

RunInfo Strata::create_run(std::string_view name, Object metadata) {
  return value_or_throw(db_->engine_->create_run(name, std::move(metadata)));
}
RunInfo Strata::create_run(std::string_view name, Object metadata, error_code& ec) {
  return value_or_code(db_->engine_->create_run(name, std::move(metadata)), ec);
}

static Outcome<std::shared_ptr<const detail::RunState>> resolve(detail::Engine& e, std::string_view name) {
  auto r = e.resolve_run(name);
  if (!r) return Outcome<std::shared_ptr<const detail::RunState>>::fail(r.ec, std::move(r.detail));
  return std::shared_ptr<const detail::RunState>(std::move(r.value));
}

void Strata::set_run(std::string_view name) {
  run_ = value_or_throw(resolve(*db_->engine_, name));
  run_name_ = std::string(name);
}
void Strata::set_run(std::string_view name, error_code& ec) {
  auto r = value_or_code(resolve(*db_->engine_, name), ec);
  if (ec) return;
  run_ = std::move(r);
  run_name_ = std::string(name);
}

std::vector<RunInfo> Strata::list_runs() { return value_or_throw(db_->engine_->list_runs()); }
std::vector<RunInfo> Strata::list_runs(error_code& ec) { return value_or_code(db_->engine_->list_runs(), ec); }
bool Strata::run_exists(std::string_view name) { return value_or_throw(db_->engine_->run_exists(name)); }
bool Strata::run_exists(std::string_view name, error_code& ec) {
  return value_or_code(db_->engine_->run_exists(name), ec);
}
RunInfo Strata::run_info(std::string_view name) { return value_or_throw(db_->engine_->run_info(name)); }
RunInfo Strata::run_info(std::string_view name, error_code& ec) {
  return value_or_code(db_->engine_->run_info(name), ec);
}

static Outcome<std::size_t> delete_unless_current(detail::Engine& e, std::string_view name,
                                                  const std::string& current) {
  if (name == current && name != "default")
    return Outcome<std::size_t>::fail(make_error_code(errc::run_is_current),
                                      "run \"" + current + "\" is this handle's current run; switch away first");
  return e.delete_run(name);
}
std::size_t Strata::delete_run(std::string_view name) {
  return value_or_throw(delete_unless_current(*db_->engine_, name, run_name_));
}
std::size_t Strata::delete_run(std::string_view name, error_code& ec) {
  return value_or_code(delete_unless_current(*db_->engine_, name, run_name_), ec);
}

RunInfo Strata::set_run_status(std::string_view name, RunStatus status) {
  return value_or_throw(db_->engine_->update_run(name, status, std::nullopt));
}
RunInfo Strata::set_run_status(std::string_view name, RunStatus status, error_code& ec) {
  return value_or_code(db_->engine_->update_run(name, status, std::nullopt), ec);
}
RunInfo Strata::set_run_metadata(std::string_view name, Object metadata) {
  return value_or_throw(db_->engine_->update_run(name, std::nullopt, std::move(metadata)));
}
RunInfo Strata::set_run_metadata(std::string_view name, Object metadata, error_code& ec) {
  return value_or_code(db_->engine_->update_run(name, std::nullopt, std::move(metadata)), ec);
}

// ---- kv ---------------------------------------------------------------------------------

Version Strata::kv_put(std::string_view key, Value value) {
  return value_or_throw(STRATA_ON_RUN(Version, db_->engine_->kv_put(rs, key, std::move(value))));
}
Version Strata::kv_put(std::string_view key, Value value, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(Version, db_->engine_->kv_put(rs, key, std::move(value))), ec);
}
std::optional<Value> Strata::kv_get(std::string_view key) {
  return value_or_throw(STRATA_ON_RUN(std::optional<Value>, db_->engine_->kv_get(rs, key)));
}
std::optional<Value> Strata::kv_get(std::string_view key, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::optional<Value>, db_->engine_->kv_get(rs, key)), ec);
}
bool Strata::kv_delete(std::string_view key) {
  return value_or_throw(STRATA_ON_RUN(bool, db_->engine_->kv_delete(rs, key)));
}
bool Strata::kv_delete(std::string_view key, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(bool, db_->engine_->kv_delete(rs, key)), ec);
}
KeyPage Strata::kv_list(std::string_view prefix, const PageRequest& page) {
  return value_or_throw(STRATA_ON_RUN(KeyPage, db_->engine_->kv_list(rs, prefix, page)));
}
KeyPage Strata::kv_list(std::string_view prefix, const PageRequest& page, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(KeyPage, db_->engine_->kv_list(rs, prefix, page)), ec);
}
std::vector<VersionedValue> Strata::kv_history(std::string_view key) {
  return value_or_throw(STRATA_ON_RUN(std::vector<VersionedValue>, db_->engine_->kv_history(rs, key)));
}
std::vector<VersionedValue> Strata::kv_history(std::string_view key, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::vector<VersionedValue>, db_->engine_->kv_history(rs, key)), ec);
}

// ---- events, state cells, JSON (one line each: the engine does the work) ----------------

std::uint64_t Strata::event_append(std::string_view type, Value payload) {
  return value_or_throw(STRATA_ON_RUN(std::uint64_t, db_->engine_->event_append(rs, type, std::move(payload))));
}
std::uint64_t Strata::event_append(std::string_view type, Value payload, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::uint64_t, db_->engine_->event_append(rs, type, std::move(payload))), ec);
}
std::optional<Event> Strata::event_read(std::uint64_t sequence) {
  return value_or_throw(STRATA_ON_RUN(std::optional<Event>, db_->engine_->event_read(rs, sequence)));
}
std::optional<Event> Strata::event_read(std::uint64_t sequence, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::optional<Event>, db_->engine_->event_read(rs, sequence)), ec);
}
std::vector<Event> Strata::event_read_by_type(std::string_view type, std::optional<std::size_t> limit) {
  return value_or_throw(STRATA_ON_RUN(std::vector<Event>, db_->engine_->event_read_by_type(rs, type, limit)));
}
std::vector<Event> Strata::event_read_by_type(std::string_view type, std::optional<std::size_t> limit, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::vector<Event>, db_->engine_->event_read_by_type(rs, type, limit)), ec);
}
std::vector<Event> Strata::event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit) {
  return value_or_throw(STRATA_ON_RUN(std::vector<Event>, db_->engine_->event_range(rs, from, to, limit)));
}
std::vector<Event> Strata::event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::vector<Event>, db_->engine_->event_range(rs, from, to, limit)), ec);
}
std::uint64_t Strata::event_len() {
  return value_or_throw(STRATA_ON_RUN(std::uint64_t, db_->engine_->event_len(rs)));
}
std::uint64_t Strata::event_len(error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::uint64_t, db_->engine_->event_len(rs)), ec);
}
EventVerification Strata::event_verify() {
  return value_or_throw(STRATA_ON_RUN(EventVerification, db_->engine_->event_verify(rs)));
}
EventVerification Strata::event_verify(error_code& ec) {
  return value_or_code(STRATA_ON_RUN(EventVerification, db_->engine_->event_verify(rs)), ec);
}
Version Strata::state_set(std::string_view cell, Value value) {
  return value_or_throw(STRATA_ON_RUN(Version, db_->engine_->state_set(rs, cell, std::move(value))));
}
Version Strata::state_set(std::string_view cell, Value value, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(Version, db_->engine_->state_set(rs, cell, std::move(value))), ec);
}
std::optional<VersionedValue> Strata::state_read(std::string_view cell) {
  return value_or_throw(STRATA_ON_RUN(std::optional<VersionedValue>, db_->engine_->state_read(rs, cell)));
}
std::optional<VersionedValue> Strata::state_read(std::string_view cell, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::optional<VersionedValue>, db_->engine_->state_read(rs, cell)), ec);
}
Version Strata::state_init(std::string_view cell, Value value) {
  return value_or_throw(STRATA_ON_RUN(Version, db_->engine_->state_init(rs, cell, std::move(value))));
}
Version Strata::state_init(std::string_view cell, Value value, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(Version, db_->engine_->state_init(rs, cell, std::move(value))), ec);
}
std::optional<Version> Strata::state_cas(std::string_view cell, std::optional<Version> expected, Value value) {
  return value_or_throw(STRATA_ON_RUN(std::optional<Version>, db_->engine_->state_cas(rs, cell, expected, std::move(value))));
}
std::optional<Version> Strata::state_cas(std::string_view cell, std::optional<Version> expected, Value value, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::optional<Version>, db_->engine_->state_cas(rs, cell, expected, std::move(value))), ec);
}
Version Strata::json_set(std::string_view key, std::string_view path, Value value) {
  return value_or_throw(STRATA_ON_RUN(Version, db_->engine_->json_set(rs, key, path, std::move(value))));
}
Version Strata::json_set(std::string_view key, std::string_view path, Value value, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(Version, db_->engine_->json_set(rs, key, path, std::move(value))), ec);
}
std::optional<Value> Strata::json_get(std::string_view key, std::string_view path) {
  return value_or_throw(STRATA_ON_RUN(std::optional<Value>, db_->engine_->json_get(rs, key, path)));
}
std::optional<Value> Strata::json_get(std::string_view key, std::string_view path, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::optional<Value>, db_->engine_->json_get(rs, key, path)), ec);
}
std::size_t Strata::json_delete(std::string_view key, std::string_view path) {
  return value_or_throw(STRATA_ON_RUN(std::size_t, db_->engine_->json_delete(rs, key, path)));
}
std::size_t Strata::json_delete(std::string_view key, std::string_view path, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(std::size_t, db_->engine_->json_delete(rs, key, path)), ec);
}
Version Strata::json_array_append(std::string_view key, std::string_view path, Value value) {
  return value_or_throw(STRATA_ON_RUN(Version, db_->engine_->json_array_append(rs, key, path, std::move(value))));
}
Version Strata::json_array_append(std::string_view key, std::string_view path, Value value, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(Version, db_->engine_->json_array_append(rs, key, path, std::move(value))), ec);
}
Value Strata::json_incr(std::string_view key, std::string_view path, Value delta) {
  return value_or_throw(STRATA_ON_RUN(Value, db_->engine_->json_incr(rs, key, path, std::move(delta))));
}
Value Strata::json_incr(std::string_view key, std::string_view path, Value delta, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(Value, db_->engine_->json_incr(rs, key, path, std::move(delta))), ec);
}
KeyPage Strata::json_list(std::string_view prefix, const PageRequest& page) {
  return value_or_throw(STRATA_ON_RUN(KeyPage, db_->engine_->json_list(rs, prefix, page)));
}
KeyPage Strata::json_list(std::string_view prefix, const PageRequest& page, error_code& ec) {
  return value_or_code(STRATA_ON_RUN(KeyPage, db_->engine_->json_list(rs, prefix, page)), ec);
}

// ---- transactions / database ------------------------------------------------------------

Transaction Strata::begin() { return db_->begin(run_name_); }
Transaction Strata::begin(error_code& ec) { return db_->begin(run_name_, ec); }

std::string Strata::ping() {
  if (db_->engine_->closed()) throw Error(errc::database_closed, "the database is closed");
  return "PONG";
}
DatabaseInfo Strata::info() { return db_->engine_->info(); }
void Strata::flush() {
  auto st = db_->engine_->flush();
  if (!st) throw Error(st.ec, st.detail);
}
void Strata::flush(error_code& ec) { ec = db_->engine_->flush().ec; }
void Strata::compact() {
  auto st = db_->engine_->compact();
  if (!st) throw Error(st.ec, st.detail);
}
void Strata::compact(error_code& ec) { ec = db_->engine_->compact().ec; }
void Strata::close() { db_->close(); }

}  // namespace strata
