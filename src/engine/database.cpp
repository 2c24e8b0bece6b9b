// strata::Database: the async front end. Each start_* runs the engine's one
// implementation of the operation and completes the type-erased handler
// (which posts to the handler's executor; see detail/initiate.hpp).
#include <strata/database.hpp>

#include "engine/engine.hpp"
#include "txn/txn_state.hpp"

#include <random>

namespace strata {

using detail::Completion;
using detail::Outcome;

namespace {

template <class T>
void complete(Completion<T>& c, Outcome<T>&& o) {
  c(o.ec, std::move(o.value));
}

}  // namespace

Database::Database(std::shared_ptr<detail::Engine> engine)
    : engine_(std::move(engine)), executor_(engine_->executor()) {}

Database::~Database() { close(); }

std::shared_ptr<Database> Database::open(Options options) {
  auto e = detail::value_or_throw(detail::Engine::open(std::move(options)));
  return std::shared_ptr<Database>(new Database(std::move(e)));
}

std::shared_ptr<Database> Database::open(Options options, error_code& ec) {
  auto e = detail::value_or_code(detail::Engine::open(std::move(options)), ec);
  if (ec) return nullptr;
  return std::shared_ptr<Database>(new Database(std::move(e)));
}

void Database::close() { engine_->close(); }
Database::executor_type Database::get_executor() const noexcept { return executor_; }
const Options& Database::options() const noexcept { return engine_->options(); }

Transaction Database::begin(std::string_view run) {
  return Transaction(detail::value_or_throw(engine_->begin(run)), executor_);
}
Transaction Database::begin(std::string_view run, error_code& ec) {
  return Transaction(detail::value_or_code(engine_->begin(run), ec), executor_);
}

std::chrono::microseconds Database::backoff_delay(int attempt) const {
  // Full jitter over an exponentially growing window (capped at 64x base),
  // so that transactions that collided once do not collide again in step.
  thread_local std::minstd_rand rng{std::random_device{}()};
  const auto base = engine_->options().transaction_backoff.count();
  const long long window = base << std::min(attempt - 1, 6);
  return std::chrono::microseconds(std::uniform_int_distribution<long long>(0, window)(rng));
}

void Database::throw_unless_retryable(error_code ec, int attempt) const {
  if (ec != errc::transaction_conflict)
    throw Error(ec, "transaction commit failed");
  if (attempt >= engine_->options().max_transaction_attempts)
    throw Error(ec, "transaction gave up after " + std::to_string(attempt) + " conflicting attempts");
}

// ---- async operations -------------------------------------------------------------

/// Resolves `run` then runs op(run_state) with the engine; errors complete c.
template <class T, class Op>
static void with_run(detail::Engine& e, std::string_view run, Completion<T>& c, Op&& op) {
  auto r = e.resolve_run(run);
  if (!r) return c(r.ec, T{});
  complete(c, op(*r.value));
}

void Database::start_kv_put(std::string run, std::string key, Value v, Completion<Version> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, 0);
  engine_->kv_put_async(std::move(r.value), key, std::move(v), std::move(c));
}

void Database::start_kv_get(std::string run, std::string key, Completion<std::optional<Value>> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, std::nullopt);
  engine_->kv_get_async(*r.value, key, std::move(c));
}

void Database::start_kv_delete(std::string run, std::string key, Completion<bool> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, false);
  engine_->kv_delete_async(std::move(r.value), key, std::move(c));
}

void Database::start_kv_list(std::string run, std::string prefix, PageRequest page, Completion<KeyPage> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->kv_list(rs, prefix, page); });
}

void Database::start_kv_history(std::string run, std::string key, Completion<std::vector<VersionedValue>> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->kv_history(rs, key); });
}

void Database::start_event_append(std::string run, std::string type, Value payload, Completion<std::uint64_t> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, std::uint64_t{});
  engine_->event_append_async(std::move(r.value), type, std::move(payload), std::move(c));
}

void Database::start_event_read(std::string run, std::uint64_t sequence, Completion<std::optional<Event>> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->event_read(rs, sequence); });
}

void Database::start_event_read_by_type(std::string run, std::string type, std::optional<std::size_t> limit, Completion<std::vector<Event>> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->event_read_by_type(rs, type, limit); });
}

void Database::start_event_range(std::string run, std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit, Completion<std::vector<Event>> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->event_range(rs, from, to, limit); });
}

void Database::start_event_len(std::string run, Completion<std::uint64_t> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->event_len(rs); });
}

void Database::start_event_verify(std::string run, Completion<EventVerification> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->event_verify(rs); });
}

void Database::start_state_set(std::string run, std::string cell, Value value, Completion<Version> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, Version{});
  engine_->state_set_async(std::move(r.value), cell, std::move(value), std::move(c));
}

void Database::start_state_read(std::string run, std::string cell, Completion<std::optional<VersionedValue>> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->state_read(rs, cell); });
}

void Database::start_state_init(std::string run, std::string cell, Value value, Completion<Version> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, Version{});
  engine_->state_init_async(std::move(r.value), cell, std::move(value), std::move(c));
}

void Database::start_state_cas(std::string run, std::string cell, std::optional<Version> expected, Value value, Completion<std::optional<Version>> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, std::optional<Version>{});
  engine_->state_cas_async(std::move(r.value), cell, std::move(expected), std::move(value), std::move(c));
}

void Database::start_json_set(std::string run, std::string key, std::string path, Value value, Completion<Version> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, Version{});
  engine_->json_set_async(std::move(r.value), key, path, std::move(value), std::move(c));
}

void Database::start_json_get(std::string run, std::string key, std::string path, Completion<std::optional<Value>> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->json_get(rs, key, path); });
}

void Database::start_json_delete(std::string run, std::string key, std::string path, Completion<std::size_t> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, std::size_t{});
  engine_->json_delete_async(std::move(r.value), key, path, std::move(c));
}

void Database::start_json_list(std::string run, std::string prefix, PageRequest page, Completion<KeyPage> c) {
  with_run(*engine_, run, c, [&](auto& rs) { return engine_->json_list(rs, prefix, page); });
}

void Database::start_json_array_append(std::string run, std::string key, std::string path, Value value, Completion<Version> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, Version{});
  engine_->json_array_append_async(std::move(r.value), key, path, std::move(value), std::move(c));
}

void Database::start_json_incr(std::string run, std::string key, std::string path, Value delta, Completion<Value> c) {
  auto r = engine_->resolve_run(run);
  if (!r) return c(r.ec, Value{});
  engine_->json_incr_async(std::move(r.value), key, path, std::move(delta), std::move(c));
}

void Database::start_create_run(std::string name, Object metadata, Completion<RunInfo> c) {
  engine_->run_change_async<RunInfo>([&] { return engine_->create_run(name, std::move(metadata)); }, std::move(c));
}

void Database::start_delete_run(std::string name, Completion<std::size_t> c) {
  engine_->run_change_async<std::size_t>([&] { return engine_->delete_run(name); }, std::move(c));
}

void Database::start_list_runs(Completion<std::vector<RunInfo>> c) { complete(c, engine_->list_runs()); }

void Database::start_run_info(std::string name, Completion<RunInfo> c) { complete(c, engine_->run_info(name)); }

void Database::start_run_exists(std::string name, Completion<bool> c) { complete(c, engine_->run_exists(name)); }

void Database::start_update_run(std::string name, std::optional<RunStatus> status, std::optional<Object> metadata,
                                Completion<RunInfo> c) {
  engine_->run_change_async<RunInfo>([&] { return engine_->update_run(name, status, std::move(metadata)); },
                                     std::move(c));
}

void Database::start_ping(Completion<std::string> c) {
  std::string detail;
  if (engine_->closed()) return c(make_error_code(errc::database_closed), {});
  c({}, "PONG");
}

void Database::start_info(Completion<DatabaseInfo> c) { c({}, engine_->info()); }

}  // namespace strata
