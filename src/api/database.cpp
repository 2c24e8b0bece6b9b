// strata::Database: the async front end. Each start_* resolves the run and
// hands the operation (src/ops/) to the async driver, which completes the
// type-erased handler (posted to the handler's executor; see
// detail/initiate.hpp).
#include <strata/database.hpp>

#include "engine/engine.hpp"
#include "engine/op_driver.hpp"
#include "ops/event_ops.hpp"
#include "ops/json_ops.hpp"
#include "ops/history_ops.hpp"
#include "ops/kv_ops.hpp"
#include "ops/ttl_reaper.hpp"
#include "ops/run_diff.hpp"
#include "ops/run_merge.hpp"
#include "ops/run_replay.hpp"
#include "ops/run_digest.hpp"
#include "ops/run_ops.hpp"
#include "ops/state_ops.hpp"
#include "ops/vector_ops.hpp"
#include "txn/txn_state.hpp"

#include <random>

namespace strata {

using detail::Completion;
using detail::Outcome;

Database::Database(std::shared_ptr<detail::Engine> engine)
    : engine_(std::move(engine)), executor_(engine_->executor()) {
  engine_->attach_worker(std::make_unique<ops::TtlReaper>(*engine_, engine_->options().ttl_reap_interval));
}

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
  return Transaction(detail::value_or_throw(detail::begin_transaction(*engine_, run)), executor_);
}
Transaction Database::begin(std::string_view run, error_code& ec) {
  return Transaction(detail::value_or_code(detail::begin_transaction(*engine_, run), ec), executor_);
}
Transaction Database::begin(std::string_view run, AsOf as_of) {
  return Transaction(detail::value_or_throw(detail::begin_transaction(*engine_, run, as_of)), executor_);
}
Transaction Database::begin(std::string_view run, AsOf as_of, error_code& ec) {
  return Transaction(detail::value_or_code(detail::begin_transaction(*engine_, run, as_of), ec), executor_);
}

namespace detail {

std::chrono::microseconds retry_delay(const Options& options, int attempt) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  const auto base = options.transaction_backoff.count();
  const long long window = base << std::min(attempt - 1, 6);
  return std::chrono::microseconds(std::uniform_int_distribution<long long>(0, window)(rng));
}

void throw_unless_retryable(const Options& options, error_code ec, int attempt) {
  if (ec != errc::transaction_conflict) throw Error(ec);
  if (attempt >= options.max_transaction_attempts)
    throw Error(ec, "transaction gave up after " + std::to_string(attempt) + " conflicting attempts");
}

}  // namespace detail

// ---- async operations -------------------------------------------------------------

namespace {

/// Resolves `run`, then runs the operation make(run_ref) asynchronously.
template <class T, class MakeOp>
void on_run(detail::Engine& e, std::string_view run, Completion<T>& c, MakeOp&& make) {
  auto r = e.resolve_run(run);
  if (!r) return detail::complete(c, Outcome<T>::fail(std::move(r)));
  detail::execute_async(e, make(r.value), std::move(c));
}

}  // namespace

void Database::start_kv_put(std::string run, std::string key, Value v, PutOptions options, Completion<Version> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::KvPut{r, key, std::move(v), options}; });
}
void Database::start_kv_get(std::string run, std::string key, std::optional<AsOf> as_of, Completion<std::optional<Value>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::KvGet{r, key, as_of}; });
}
void Database::start_kv_delete(std::string run, std::string key, Completion<bool> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::KvDelete{r, key}; });
}
void Database::start_kv_list(std::string run, std::string prefix, PageRequest page, std::optional<AsOf> as_of, Completion<KeyPage> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::KvList{r, prefix, page, as_of}; });
}
void Database::start_kv_history(std::string run, std::string key, HistoryRequest page, Completion<std::vector<VersionedValue>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::KvHistory{r, key, page}; });
}
void Database::start_state_history(std::string run, std::string cell, HistoryRequest page,
                                   Completion<std::vector<VersionedValue>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::StateHistory{r, cell, page}; });
}
void Database::start_json_history(std::string run, std::string key, HistoryRequest page,
                                  Completion<std::vector<VersionedValue>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::JsonHistory{r, key, page}; });
}
void Database::start_vector_history(std::string run, std::string collection, std::string key, HistoryRequest page,
                                    Completion<std::vector<VectorVersion>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::VectorHistory{r, collection, key, page}; });
}

void Database::start_event_append(std::string run, std::string type, Value payload, Completion<std::uint64_t> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::EventAppend{r, type, std::move(payload)}; });
}
void Database::start_event_read(std::string run, std::uint64_t sequence, std::optional<AsOf> as_of, Completion<std::optional<Event>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::EventRead{r, sequence, as_of}; });
}
void Database::start_event_read_by_type(std::string run, std::string type, std::optional<std::size_t> limit,
                                        std::optional<AsOf> as_of, Completion<std::vector<Event>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::EventReadByType{r, type, limit, as_of}; });
}
void Database::start_event_range(std::string run, std::uint64_t from, std::uint64_t to,
                                 std::optional<std::size_t> limit, std::optional<AsOf> as_of, Completion<std::vector<Event>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::EventRange{r, from, to, limit, as_of}; });
}
void Database::start_event_len(std::string run, std::optional<AsOf> as_of, Completion<std::uint64_t> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::EventLen{r, as_of}; });
}
void Database::start_event_verify(std::string run, Completion<EventVerification> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::EventVerify{r}; });
}

void Database::start_state_set(std::string run, std::string cell, Value value, Completion<Version> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::StateSet(r, cell, std::move(value)); });
}
void Database::start_state_read(std::string run, std::string cell, std::optional<AsOf> as_of, Completion<std::optional<VersionedValue>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::StateRead{r, cell, as_of}; });
}
void Database::start_state_init(std::string run, std::string cell, Value value, Completion<Version> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::StateInit(r, cell, std::move(value)); });
}
void Database::start_state_cas(std::string run, std::string cell, std::optional<Version> expected, Value value,
                               Completion<std::optional<Version>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::StateCas(r, cell, expected, std::move(value)); });
}

void Database::start_json_set(std::string run, std::string key, std::string path, Value value, Completion<Version> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::JsonSet(r, key, path, std::move(value)); });
}
void Database::start_json_get(std::string run, std::string key, std::string path, std::optional<AsOf> as_of, Completion<std::optional<Value>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::JsonGet{r, key, path, as_of}; });
}
void Database::start_json_delete(std::string run, std::string key, std::string path, Completion<std::size_t> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::JsonDelete(r, key, path); });
}
void Database::start_json_list(std::string run, std::string prefix, PageRequest page, std::optional<AsOf> as_of, Completion<KeyPage> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::JsonList{r, prefix, page, as_of}; });
}
void Database::start_json_array_append(std::string run, std::string key, std::string path, Value value,
                                       Completion<Version> c) {
  on_run(*engine_, run, c,
         [&](const detail::RunRef& r) { return ops::JsonArrayAppend(r, key, path, std::move(value)); });
}
void Database::start_json_incr(std::string run, std::string key, std::string path, Value delta, Completion<Value> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::JsonIncr(r, key, path, std::move(delta)); });
}

void Database::start_vector_create(std::string run, std::string name, std::size_t dimension, Metric metric,
                                   CollectionOptions options, Completion<Version> c) {
  on_run(*engine_, run, c,
         [&](const detail::RunRef& r) { return ops::VectorCreate{r, name, dimension, metric, options}; });
}
void Database::start_vector_drop(std::string run, std::string name, Completion<Version> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::VectorDrop{r, name}; });
}
void Database::start_vector_list(std::string run, Completion<std::vector<CollectionInfo>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::VectorList{r}; });
}
void Database::start_vector_info(std::string run, std::string name, Completion<CollectionInfo> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::VectorInfo{r, name}; });
}
void Database::start_vector_upsert(std::string run, std::string collection, std::vector<VectorRecord> records,
                                   Completion<Version> c) {
  const auto views = ops::views_of(records);
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::VectorUpsert{r, collection, views}; });
}
void Database::start_vector_get(std::string run, std::string collection, std::string key,
                                std::optional<AsOf> as_of, Completion<std::optional<VectorEntry>> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::VectorGet{r, collection, key, as_of}; });
}
void Database::start_vector_delete(std::string run, std::string collection, std::string key, Completion<bool> c) {
  on_run(*engine_, run, c, [&](const detail::RunRef& r) { return ops::VectorDelete{r, collection, key}; });
}
void Database::start_vector_search(std::string run, std::string collection, std::vector<float> query, std::size_t k,
                                   VectorSearchOptions options, Completion<std::vector<VectorMatch>> c) {
  on_run(*engine_, run, c,
         [&](const detail::RunRef& r) { return ops::VectorSearch{r, collection, query, k, options}; });
}

void Database::start_create_run(std::string name, Object metadata, Completion<RunInfo> c) {
  detail::execute_async(*engine_, ops::CreateRun{std::move(name), std::move(metadata)}, std::move(c));
}
void Database::start_delete_run(std::string name, Completion<std::size_t> c) {
  detail::execute_async(*engine_, ops::DeleteRun{std::move(name), nullptr}, std::move(c));
}
void Database::start_list_runs(Completion<std::vector<RunInfo>> c) {
  detail::execute_async(*engine_, ops::ListRuns{}, std::move(c));
}
void Database::start_run_info(std::string name, Completion<RunInfo> c) {
  detail::execute_async(*engine_, ops::GetRunInfo{name}, std::move(c));
}
void Database::start_run_digest(std::string name, std::optional<AsOf> as_of, Completion<RunDigest> c) {
  detail::execute_async(*engine_, ops::DigestRun{name, as_of}, std::move(c));
}
void Database::start_replay_run(std::string source, std::string dest, std::optional<AsOf> up_to,
                                Completion<ReplayResult> c) {
  detail::execute_async(*engine_, ops::ReplayRun{std::move(source), std::move(dest), up_to}, std::move(c));
}
void Database::start_merge_run(std::string source, std::string target, MergeStrategy strategy,
                               Completion<MergeResult> c) {
  detail::execute_async(*engine_, ops::MergeRun{std::move(source), std::move(target), strategy}, std::move(c));
}
void Database::start_diff_runs(std::string a, std::string b, std::optional<AsOf> as_of, Completion<RunDiff> c) {
  detail::execute_async(*engine_, ops::DiffRuns{a, b, as_of}, std::move(c));
}
void Database::start_fork_run(std::string source, std::string name, std::optional<AsOf> at, Completion<RunInfo> c) {
  detail::execute_async(*engine_, ops::ForkRun{std::move(source), std::move(name), at, {}}, std::move(c));
}
void Database::start_run_exists(std::string name, Completion<bool> c) {
  detail::execute_async(*engine_, ops::RunExists{name}, std::move(c));
}
void Database::start_update_run(std::string name, std::optional<RunStatus> status, std::optional<Object> metadata,
                                Completion<RunInfo> c) {
  detail::execute_async(*engine_, ops::UpdateRun{std::move(name), status, std::move(metadata)}, std::move(c));
}

void Database::start_ping(Completion<std::string> c) {
  std::string detail;
  if (auto ec = engine_->check_open(detail)) return c(ec, std::move(detail), {});
  c({}, "PONG");
}

void Database::start_info(Completion<DatabaseInfo> c) { c({}, engine_->info()); }

}  // namespace strata
