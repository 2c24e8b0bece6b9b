// strata::Strata: the synchronous facade. Every call is one operation
// (src/ops/) on the handle's current run, run inline by the sync driver;
// sync() throws, sync(..., ec) sets an error_code carrying the same detail.
#include <strata/facade.hpp>

#include "engine/engine.hpp"
#include "engine/op_driver.hpp"
#include "ops/event_ops.hpp"
#include "ops/json_ops.hpp"
#include "ops/history_ops.hpp"
#include "ops/kv_ops.hpp"
#include "ops/run_diff.hpp"
#include "ops/run_merge.hpp"
#include "ops/run_replay.hpp"
#include "ops/run_digest.hpp"
#include "ops/run_ops.hpp"
#include "ops/state_ops.hpp"
#include "ops/vector_ops.hpp"
#include "txn/txn_state.hpp"

namespace strata {

using detail::Outcome;
using detail::value_or_code;
using detail::value_or_throw;

namespace {

template <class Op>
auto sync(detail::Engine& e, Op&& op) {
  return value_or_throw(detail::execute(e, std::forward<Op>(op)));
}
template <class Op>
auto sync(detail::Engine& e, Op&& op, error_code& ec) {
  return value_or_code(detail::execute(e, std::forward<Op>(op)), ec);
}

}  // namespace

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
  // "default" can be neither deleted nor recreated, so resolving it now
  // gives the handle its run for good (a closed database has it too).
  run_ = db_->engine_->runs().find("default");
}

/// Runs `make(run)` on the handle's current run.
#define STRATA_SYNC(make, ...) sync(*db_->engine_, make, ##__VA_ARGS__)

// ---- runs ---------------------------------------------------------------------------

RunInfo Strata::create_run(std::string_view name, Object metadata) {
  return STRATA_SYNC((ops::CreateRun{std::string(name), std::move(metadata)}));
}
RunInfo Strata::create_run(std::string_view name, Object metadata, error_code& ec) {
  return STRATA_SYNC((ops::CreateRun{std::string(name), std::move(metadata)}), ec);
}

void Strata::set_run(std::string_view name) {
  run_ = value_or_throw(db_->engine_->resolve_run(name));
  run_name_ = std::string(name);
}
void Strata::set_run(std::string_view name, error_code& ec) {
  auto r = value_or_code(db_->engine_->resolve_run(name), ec);
  if (ec) return;
  run_ = std::move(r);
  run_name_ = std::string(name);
}

std::vector<RunInfo> Strata::list_runs() { return STRATA_SYNC(ops::ListRuns{}); }
std::vector<RunInfo> Strata::list_runs(error_code& ec) { return STRATA_SYNC(ops::ListRuns{}, ec); }
bool Strata::run_exists(std::string_view name) { return STRATA_SYNC(ops::RunExists{name}); }
bool Strata::run_exists(std::string_view name, error_code& ec) { return STRATA_SYNC(ops::RunExists{name}, ec); }
RunInfo Strata::run_info(std::string_view name) { return STRATA_SYNC(ops::GetRunInfo{name}); }
RunInfo Strata::run_info(std::string_view name, error_code& ec) { return STRATA_SYNC(ops::GetRunInfo{name}, ec); }
RunDigest Strata::run_digest(std::string_view name, std::optional<AsOf> as_of) {
  return STRATA_SYNC((ops::DigestRun{name, as_of}));
}
RunDigest Strata::run_digest(std::string_view name, std::optional<AsOf> as_of, error_code& ec) {
  return STRATA_SYNC((ops::DigestRun{name, as_of}), ec);
}

RunInfo Strata::fork_run(std::string_view name, std::optional<AsOf> at) {
  return STRATA_SYNC((ops::ForkRun{run_name_, std::string(name), at, {}}));
}
RunInfo Strata::fork_run(std::string_view name, std::optional<AsOf> at, error_code& ec) {
  return STRATA_SYNC((ops::ForkRun{run_name_, std::string(name), at, {}}), ec);
}

RunDiff Strata::diff_runs(std::string_view a, std::string_view b, std::optional<AsOf> as_of) {
  return STRATA_SYNC((ops::DiffRuns{a, b, as_of}));
}
RunDiff Strata::diff_runs(std::string_view a, std::string_view b, std::optional<AsOf> as_of, error_code& ec) {
  return STRATA_SYNC((ops::DiffRuns{a, b, as_of}), ec);
}

MergeResult Strata::merge_run(std::string_view source, std::string_view target, MergeStrategy strategy) {
  return STRATA_SYNC((ops::MergeRun{std::string(source), std::string(target), strategy}));
}
MergeResult Strata::merge_run(std::string_view source, std::string_view target, MergeStrategy strategy,
                              error_code& ec) {
  return STRATA_SYNC((ops::MergeRun{std::string(source), std::string(target), strategy}), ec);
}

ReplayResult Strata::replay_run(std::string_view source, std::string_view dest, std::optional<AsOf> up_to) {
  return STRATA_SYNC((ops::ReplayRun{std::string(source), std::string(dest), up_to}));
}
ReplayResult Strata::replay_run(std::string_view source, std::string_view dest, std::optional<AsOf> up_to,
                                error_code& ec) {
  return STRATA_SYNC((ops::ReplayRun{std::string(source), std::string(dest), up_to}), ec);
}

namespace {
Outcome<std::size_t> delete_unless_current(detail::Engine& e, std::string_view name, const std::string& current) {
  if (name == current && name != "default")
    return detail::fail<std::size_t>(errc::run_is_current,
                                     "run \"" + current + "\" is this handle's current run; switch away first");
  return detail::execute(e, ops::DeleteRun{std::string(name), nullptr});
}
}  // namespace

std::size_t Strata::delete_run(std::string_view name) {
  return value_or_throw(delete_unless_current(*db_->engine_, name, run_name_));
}
std::size_t Strata::delete_run(std::string_view name, error_code& ec) {
  return value_or_code(delete_unless_current(*db_->engine_, name, run_name_), ec);
}
RunInfo Strata::set_run_status(std::string_view name, RunStatus status) {
  return STRATA_SYNC((ops::UpdateRun{std::string(name), status, std::nullopt}));
}
RunInfo Strata::set_run_status(std::string_view name, RunStatus status, error_code& ec) {
  return STRATA_SYNC((ops::UpdateRun{std::string(name), status, std::nullopt}), ec);
}
RunInfo Strata::set_run_metadata(std::string_view name, Object metadata) {
  return STRATA_SYNC((ops::UpdateRun{std::string(name), std::nullopt, std::move(metadata)}));
}
RunInfo Strata::set_run_metadata(std::string_view name, Object metadata, error_code& ec) {
  return STRATA_SYNC((ops::UpdateRun{std::string(name), std::nullopt, std::move(metadata)}), ec);
}

// ---- kv ------------------------------------------------------------------------------

Version Strata::kv_put(std::string_view key, Value value) { return STRATA_SYNC((ops::KvPut{run_, key, std::move(value)})); }
Version Strata::kv_put(std::string_view key, Value value, const PutOptions& options) {
  return STRATA_SYNC((ops::KvPut{run_, key, std::move(value), options}));
}
Version Strata::kv_put(std::string_view key, Value value, const PutOptions& options, error_code& ec) {
  return STRATA_SYNC((ops::KvPut{run_, key, std::move(value), options}), ec);
}
Version Strata::kv_put(std::string_view key, Value value, error_code& ec) {
  return STRATA_SYNC((ops::KvPut{run_, key, std::move(value)}), ec);
}
std::optional<Value> Strata::kv_get(std::string_view key) { return STRATA_SYNC((ops::KvGet{run_, key})); }
std::optional<Value> Strata::kv_get(std::string_view key, error_code& ec) { return STRATA_SYNC((ops::KvGet{run_, key}), ec); }
std::optional<Value> Strata::kv_get(std::string_view key, AsOf as_of) { return STRATA_SYNC((ops::KvGet{run_, key, as_of})); }
std::optional<Value> Strata::kv_get(std::string_view key, AsOf as_of, error_code& ec) {
  return STRATA_SYNC((ops::KvGet{run_, key, as_of}), ec);
}
bool Strata::kv_delete(std::string_view key) { return STRATA_SYNC((ops::KvDelete{run_, key})); }
bool Strata::kv_delete(std::string_view key, error_code& ec) { return STRATA_SYNC((ops::KvDelete{run_, key}), ec); }
KeyPage Strata::kv_list(std::string_view prefix, const PageRequest& page) {
  return STRATA_SYNC((ops::KvList{run_, prefix, page}));
}
KeyPage Strata::kv_list(std::string_view prefix, const PageRequest& page, error_code& ec) {
  return STRATA_SYNC((ops::KvList{run_, prefix, page}), ec);
}
KeyPage Strata::kv_list(std::string_view prefix, const PageRequest& page, AsOf as_of) {
  return STRATA_SYNC((ops::KvList{run_, prefix, page, as_of}));
}
KeyPage Strata::kv_list(std::string_view prefix, const PageRequest& page, AsOf as_of, error_code& ec) {
  return STRATA_SYNC((ops::KvList{run_, prefix, page, as_of}), ec);
}
std::vector<VersionedValue> Strata::kv_history(std::string_view key, const HistoryRequest& page) {
  return STRATA_SYNC((ops::KvHistory{run_, key, page}));
}
std::vector<VersionedValue> Strata::kv_history(std::string_view key, error_code& ec) {
  return STRATA_SYNC((ops::KvHistory{run_, key}), ec);
}
std::vector<VersionedValue> Strata::kv_history(std::string_view key, const HistoryRequest& page, error_code& ec) {
  return STRATA_SYNC((ops::KvHistory{run_, key, page}), ec);
}
std::vector<VersionedValue> Strata::state_history(std::string_view cell, const HistoryRequest& page) {
  return STRATA_SYNC((ops::StateHistory{run_, cell, page}));
}
std::vector<VersionedValue> Strata::state_history(std::string_view cell, const HistoryRequest& page, error_code& ec) {
  return STRATA_SYNC((ops::StateHistory{run_, cell, page}), ec);
}
std::vector<VersionedValue> Strata::json_history(std::string_view key, const HistoryRequest& page) {
  return STRATA_SYNC((ops::JsonHistory{run_, key, page}));
}
std::vector<VersionedValue> Strata::json_history(std::string_view key, const HistoryRequest& page, error_code& ec) {
  return STRATA_SYNC((ops::JsonHistory{run_, key, page}), ec);
}
std::vector<VectorVersion> Strata::vector_history(std::string_view collection, std::string_view key,
                                                  const HistoryRequest& page) {
  return STRATA_SYNC((ops::VectorHistory{run_, collection, key, page}));
}
std::vector<VectorVersion> Strata::vector_history(std::string_view collection, std::string_view key,
                                                  const HistoryRequest& page, error_code& ec) {
  return STRATA_SYNC((ops::VectorHistory{run_, collection, key, page}), ec);
}

// ---- events ----------------------------------------------------------------------------

std::uint64_t Strata::event_append(std::string_view type, Value payload) {
  return STRATA_SYNC((ops::EventAppend{run_, type, std::move(payload)}));
}
std::uint64_t Strata::event_append(std::string_view type, Value payload, error_code& ec) {
  return STRATA_SYNC((ops::EventAppend{run_, type, std::move(payload)}), ec);
}
std::optional<Event> Strata::event_read(std::uint64_t sequence) { return STRATA_SYNC((ops::EventRead{run_, sequence})); }
std::optional<Event> Strata::event_read(std::uint64_t sequence, error_code& ec) {
  return STRATA_SYNC((ops::EventRead{run_, sequence}), ec);
}
std::optional<Event> Strata::event_read(std::uint64_t sequence, AsOf as_of) {
  return STRATA_SYNC((ops::EventRead{run_, sequence, as_of}));
}
std::optional<Event> Strata::event_read(std::uint64_t sequence, AsOf as_of, error_code& ec) {
  return STRATA_SYNC((ops::EventRead{run_, sequence, as_of}), ec);
}
std::vector<Event> Strata::event_read_by_type(std::string_view type, std::optional<std::size_t> limit) {
  return STRATA_SYNC((ops::EventReadByType{run_, type, limit}));
}
std::vector<Event> Strata::event_read_by_type(std::string_view type, std::optional<std::size_t> limit, error_code& ec) {
  return STRATA_SYNC((ops::EventReadByType{run_, type, limit}), ec);
}
std::vector<Event> Strata::event_read_by_type(std::string_view type, std::optional<std::size_t> limit, AsOf as_of) {
  return STRATA_SYNC((ops::EventReadByType{run_, type, limit, as_of}));
}
std::vector<Event> Strata::event_read_by_type(std::string_view type, std::optional<std::size_t> limit, AsOf as_of,
                                              error_code& ec) {
  return STRATA_SYNC((ops::EventReadByType{run_, type, limit, as_of}), ec);
}
std::vector<Event> Strata::event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit) {
  return STRATA_SYNC((ops::EventRange{run_, from, to, limit}));
}
std::vector<Event> Strata::event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit,
                                       error_code& ec) {
  return STRATA_SYNC((ops::EventRange{run_, from, to, limit}), ec);
}
std::vector<Event> Strata::event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit,
                                       AsOf as_of) {
  return STRATA_SYNC((ops::EventRange{run_, from, to, limit, as_of}));
}
std::vector<Event> Strata::event_range(std::uint64_t from, std::uint64_t to, std::optional<std::size_t> limit,
                                       AsOf as_of, error_code& ec) {
  return STRATA_SYNC((ops::EventRange{run_, from, to, limit, as_of}), ec);
}
std::uint64_t Strata::event_len() { return STRATA_SYNC(ops::EventLen{run_}); }
std::uint64_t Strata::event_len(error_code& ec) { return STRATA_SYNC(ops::EventLen{run_}, ec); }
std::uint64_t Strata::event_len(AsOf as_of) { return STRATA_SYNC((ops::EventLen{run_, as_of})); }
std::uint64_t Strata::event_len(AsOf as_of, error_code& ec) { return STRATA_SYNC((ops::EventLen{run_, as_of}), ec); }
EventVerification Strata::event_verify() { return STRATA_SYNC(ops::EventVerify{run_}); }
EventVerification Strata::event_verify(error_code& ec) { return STRATA_SYNC(ops::EventVerify{run_}, ec); }

// ---- state cells ----------------------------------------------------------------------------

Version Strata::state_set(std::string_view cell, Value value) {
  return STRATA_SYNC(ops::StateSet(run_, cell, std::move(value)));
}
Version Strata::state_set(std::string_view cell, Value value, error_code& ec) {
  return STRATA_SYNC(ops::StateSet(run_, cell, std::move(value)), ec);
}
std::optional<VersionedValue> Strata::state_read(std::string_view cell) { return STRATA_SYNC((ops::StateRead{run_, cell})); }
std::optional<VersionedValue> Strata::state_read(std::string_view cell, error_code& ec) {
  return STRATA_SYNC((ops::StateRead{run_, cell}), ec);
}
std::optional<VersionedValue> Strata::state_read(std::string_view cell, AsOf as_of) {
  return STRATA_SYNC((ops::StateRead{run_, cell, as_of}));
}
std::optional<VersionedValue> Strata::state_read(std::string_view cell, AsOf as_of, error_code& ec) {
  return STRATA_SYNC((ops::StateRead{run_, cell, as_of}), ec);
}
Version Strata::state_init(std::string_view cell, Value value) {
  return STRATA_SYNC(ops::StateInit(run_, cell, std::move(value)));
}
Version Strata::state_init(std::string_view cell, Value value, error_code& ec) {
  return STRATA_SYNC(ops::StateInit(run_, cell, std::move(value)), ec);
}
std::optional<Version> Strata::state_cas(std::string_view cell, std::optional<Version> expected, Value value) {
  return STRATA_SYNC(ops::StateCas(run_, cell, expected, std::move(value)));
}
std::optional<Version> Strata::state_cas(std::string_view cell, std::optional<Version> expected, Value value,
                                         error_code& ec) {
  return STRATA_SYNC(ops::StateCas(run_, cell, expected, std::move(value)), ec);
}

// ---- JSON documents ----------------------------------------------------------------------------

Version Strata::json_set(std::string_view key, std::string_view path, Value value) {
  return STRATA_SYNC(ops::JsonSet(run_, key, path, std::move(value)));
}
Version Strata::json_set(std::string_view key, std::string_view path, Value value, error_code& ec) {
  return STRATA_SYNC(ops::JsonSet(run_, key, path, std::move(value)), ec);
}
std::optional<Value> Strata::json_get(std::string_view key, std::string_view path) {
  return STRATA_SYNC((ops::JsonGet{run_, key, path}));
}
std::optional<Value> Strata::json_get(std::string_view key, std::string_view path, error_code& ec) {
  return STRATA_SYNC((ops::JsonGet{run_, key, path}), ec);
}
std::optional<Value> Strata::json_get(std::string_view key, std::string_view path, AsOf as_of) {
  return STRATA_SYNC((ops::JsonGet{run_, key, path, as_of}));
}
std::optional<Value> Strata::json_get(std::string_view key, std::string_view path, AsOf as_of, error_code& ec) {
  return STRATA_SYNC((ops::JsonGet{run_, key, path, as_of}), ec);
}
std::size_t Strata::json_delete(std::string_view key, std::string_view path) {
  return STRATA_SYNC(ops::JsonDelete(run_, key, path));
}
std::size_t Strata::json_delete(std::string_view key, std::string_view path, error_code& ec) {
  return STRATA_SYNC(ops::JsonDelete(run_, key, path), ec);
}
Version Strata::json_array_append(std::string_view key, std::string_view path, Value value) {
  return STRATA_SYNC(ops::JsonArrayAppend(run_, key, path, std::move(value)));
}
Version Strata::json_array_append(std::string_view key, std::string_view path, Value value, error_code& ec) {
  return STRATA_SYNC(ops::JsonArrayAppend(run_, key, path, std::move(value)), ec);
}
Value Strata::json_incr(std::string_view key, std::string_view path, Value delta) {
  return STRATA_SYNC(ops::JsonIncr(run_, key, path, std::move(delta)));
}
Value Strata::json_incr(std::string_view key, std::string_view path, Value delta, error_code& ec) {
  return STRATA_SYNC(ops::JsonIncr(run_, key, path, std::move(delta)), ec);
}
KeyPage Strata::json_list(std::string_view prefix, const PageRequest& page) {
  return STRATA_SYNC((ops::JsonList{run_, prefix, page}));
}
KeyPage Strata::json_list(std::string_view prefix, const PageRequest& page, error_code& ec) {
  return STRATA_SYNC((ops::JsonList{run_, prefix, page}), ec);
}
KeyPage Strata::json_list(std::string_view prefix, const PageRequest& page, AsOf as_of) {
  return STRATA_SYNC((ops::JsonList{run_, prefix, page, as_of}));
}
KeyPage Strata::json_list(std::string_view prefix, const PageRequest& page, AsOf as_of, error_code& ec) {
  return STRATA_SYNC((ops::JsonList{run_, prefix, page, as_of}), ec);
}

// ---- vector store --------------------------------------------------------------------------

Version Strata::vector_create_collection(std::string_view name, std::size_t dimension, Metric metric,
                                         const CollectionOptions& options) {
  return STRATA_SYNC((ops::VectorCreate{run_, name, dimension, metric, options}));
}
Version Strata::vector_create_collection(std::string_view name, std::size_t dimension, Metric metric,
                                         const CollectionOptions& options, error_code& ec) {
  return STRATA_SYNC((ops::VectorCreate{run_, name, dimension, metric, options}), ec);
}
Version Strata::vector_delete_collection(std::string_view name) { return STRATA_SYNC((ops::VectorDrop{run_, name})); }
Version Strata::vector_delete_collection(std::string_view name, error_code& ec) {
  return STRATA_SYNC((ops::VectorDrop{run_, name}), ec);
}
std::vector<CollectionInfo> Strata::vector_list_collections() { return STRATA_SYNC(ops::VectorList{run_}); }
std::vector<CollectionInfo> Strata::vector_list_collections(error_code& ec) { return STRATA_SYNC(ops::VectorList{run_}, ec); }
CollectionInfo Strata::vector_collection_info(std::string_view name) { return STRATA_SYNC((ops::VectorInfo{run_, name})); }
CollectionInfo Strata::vector_collection_info(std::string_view name, error_code& ec) {
  return STRATA_SYNC((ops::VectorInfo{run_, name}), ec);
}
Version Strata::vector_upsert(std::string_view collection, std::string_view key, std::span<const float> vector,
                              const std::optional<Value>& metadata) {
  const ops::VectorView one{key, vector, &metadata};
  return STRATA_SYNC((ops::VectorUpsert{run_, collection, {&one, 1}}));
}
Version Strata::vector_upsert(std::string_view collection, std::string_view key, std::span<const float> vector,
                              const std::optional<Value>& metadata, error_code& ec) {
  const ops::VectorView one{key, vector, &metadata};
  return STRATA_SYNC((ops::VectorUpsert{run_, collection, {&one, 1}}), ec);
}
Version Strata::vector_upsert_batch(std::string_view collection, std::span<const VectorRecord> records) {
  const auto views = ops::views_of(records);
  return STRATA_SYNC((ops::VectorUpsert{run_, collection, views}));
}
Version Strata::vector_upsert_batch(std::string_view collection, std::span<const VectorRecord> records,
                                    error_code& ec) {
  const auto views = ops::views_of(records);
  return STRATA_SYNC((ops::VectorUpsert{run_, collection, views}), ec);
}
std::optional<VectorEntry> Strata::vector_get(std::string_view collection, std::string_view key) {
  return STRATA_SYNC((ops::VectorGet{run_, collection, key}));
}
std::optional<VectorEntry> Strata::vector_get(std::string_view collection, std::string_view key, error_code& ec) {
  return STRATA_SYNC((ops::VectorGet{run_, collection, key}), ec);
}
std::optional<VectorEntry> Strata::vector_get(std::string_view collection, std::string_view key, AsOf as_of) {
  return STRATA_SYNC((ops::VectorGet{run_, collection, key, as_of}));
}
std::optional<VectorEntry> Strata::vector_get(std::string_view collection, std::string_view key, AsOf as_of,
                                              error_code& ec) {
  return STRATA_SYNC((ops::VectorGet{run_, collection, key, as_of}), ec);
}
bool Strata::vector_delete(std::string_view collection, std::string_view key) {
  return STRATA_SYNC((ops::VectorDelete{run_, collection, key}));
}
bool Strata::vector_delete(std::string_view collection, std::string_view key, error_code& ec) {
  return STRATA_SYNC((ops::VectorDelete{run_, collection, key}), ec);
}
std::vector<VectorMatch> Strata::vector_search(std::string_view collection, std::span<const float> query,
                                               std::size_t k, const VectorSearchOptions& options) {
  return STRATA_SYNC((ops::VectorSearch{run_, collection, query, k, options}));
}
std::vector<VectorMatch> Strata::vector_search(std::string_view collection, std::span<const float> query,
                                               std::size_t k, const VectorSearchOptions& options, error_code& ec) {
  return STRATA_SYNC((ops::VectorSearch{run_, collection, query, k, options}), ec);
}

void Strata::vector_wait_indexed() { db_->engine_->vectors().wait_until_indexed(); }

#undef STRATA_SYNC

// ---- transactions / database ---------------------------------------------------------------

Transaction Strata::begin() {
  return Transaction(value_or_throw(detail::begin_transaction(*db_->engine_, run_)), db_->get_executor());
}
Transaction Strata::begin(error_code& ec) {
  return Transaction(value_or_code(detail::begin_transaction(*db_->engine_, run_), ec), db_->get_executor());
}
Transaction Strata::begin(AsOf as_of) {
  return Transaction(value_or_throw(detail::begin_transaction(*db_->engine_, run_, as_of)), db_->get_executor());
}
Transaction Strata::begin(AsOf as_of, error_code& ec) {
  return Transaction(value_or_code(detail::begin_transaction(*db_->engine_, run_, as_of), ec), db_->get_executor());
}

std::string Strata::ping() {
  std::string detail;
  if (auto ec = db_->engine_->check_open(detail)) throw Error(ec, detail);
  return "PONG";
}
DatabaseInfo Strata::info() { return db_->engine_->info(); }
namespace {
void throw_unless(const io::IoStatus& st) {
  if (!st) throw Error(st.ec, st.detail);
}
error_code code_of(const io::IoStatus& st) { return st ? error_code() : with_detail(st.ec, st.detail); }
}  // namespace

void Strata::flush() { throw_unless(db_->engine_->flush()); }
void Strata::flush(error_code& ec) { ec = code_of(db_->engine_->flush()); }
void Strata::compact() { throw_unless(db_->engine_->compact()); }
void Strata::compact(error_code& ec) { ec = code_of(db_->engine_->compact()); }
void Strata::close() { db_->close(); }

}  // namespace strata
