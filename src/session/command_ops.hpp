// Each Command as an operation (src/ops/) and each operation's result as an
// Output: one op_of / out_of pair per command, shared by Session::execute
// and Session::async_execute so the two cannot disagree.
#pragma once

#include "ops/event_ops.hpp"
#include "ops/history_ops.hpp"
#include "ops/json_ops.hpp"
#include "ops/kv_ops.hpp"
#include "ops/run_diff.hpp"
#include "ops/run_merge.hpp"
#include "ops/run_replay.hpp"
#include "ops/run_digest.hpp"
#include "ops/run_ops.hpp"
#include "ops/state_ops.hpp"
#include "ops/vector_ops.hpp"

#include <strata/command.hpp>

namespace strata::session_detail {

using detail::RunRef;

inline PageRequest page_of(std::optional<std::size_t> limit, const std::string& cursor) { return {limit, cursor}; }
inline out::Keys keys_of(KeyPage page) { return {std::move(page.keys), std::move(page.next_cursor)}; }

// ---- KV ---------------------------------------------------------------------------
inline PutOptions put_options_of(const cmd::KvPut& c) {
  PutOptions o;
  if (c.ttl_ms) o.ttl = std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(*c.ttl_ms));
  return o;
}
inline auto op_of(const RunRef& r, const cmd::KvPut& c) { return ops::KvPut{r, c.key, c.value, put_options_of(c)}; }
inline Output out_of(const cmd::KvPut&, Version v) { return out::VersionOut{v}; }
inline auto op_of(const RunRef& r, const cmd::KvGet& c) { return ops::KvGet{r, c.key, c.as_of}; }
inline Output out_of(const cmd::KvGet&, std::optional<Value> v) { return out::MaybeValue{std::move(v)}; }
inline auto op_of(const RunRef& r, const cmd::KvDelete& c) { return ops::KvDelete{r, c.key}; }
inline Output out_of(const cmd::KvDelete&, bool existed) { return out::Existed{existed}; }
inline auto op_of(const RunRef& r, const cmd::KvList& c) { return ops::KvList{r, c.prefix, page_of(c.limit, c.cursor), c.as_of}; }
inline Output out_of(const cmd::KvList&, KeyPage p) { return keys_of(std::move(p)); }
inline HistoryRequest history_page_of(const auto& c) { return {c.limit, c.before}; }
inline auto op_of(const RunRef& r, const cmd::KvHistory& c) { return ops::KvHistory{r, c.key, history_page_of(c)}; }
inline Output out_of(const cmd::KvHistory&, std::vector<VersionedValue> h) { return out::History{std::move(h)}; }

// ---- events -------------------------------------------------------------------------
inline auto op_of(const RunRef& r, const cmd::EventAppend& c) { return ops::EventAppend{r, c.type, Value(c.payload)}; }
inline Output out_of(const cmd::EventAppend&, std::uint64_t seq) { return out::Sequence{seq}; }
inline auto op_of(const RunRef& r, const cmd::EventRead& c) { return ops::EventRead{r, c.sequence, c.as_of}; }
inline Output out_of(const cmd::EventRead&, std::optional<Event> e) { return out::MaybeEvent{std::move(e)}; }
inline auto op_of(const RunRef& r, const cmd::EventReadByType& c) { return ops::EventReadByType{r, c.type, c.limit, c.as_of}; }
inline Output out_of(const cmd::EventReadByType&, std::vector<Event> e) { return out::Events{std::move(e)}; }
inline auto op_of(const RunRef& r, const cmd::EventRange& c) { return ops::EventRange{r, c.from, c.to, c.limit, c.as_of}; }
inline Output out_of(const cmd::EventRange&, std::vector<Event> e) { return out::Events{std::move(e)}; }
inline auto op_of(const RunRef& r, const cmd::EventLen& c) { return ops::EventLen{r, c.as_of}; }
inline Output out_of(const cmd::EventLen&, std::uint64_t n) { return out::Length{n}; }
inline auto op_of(const RunRef& r, const cmd::EventVerify&) { return ops::EventVerify{r}; }
inline Output out_of(const cmd::EventVerify&, EventVerification v) { return out::Verification{std::move(v)}; }

// ---- state cells -----------------------------------------------------------------------
inline auto op_of(const RunRef& r, const cmd::StateSet& c) { return ops::StateSet(r, c.cell, c.value); }
inline Output out_of(const cmd::StateSet&, Version v) { return out::VersionOut{v}; }
inline auto op_of(const RunRef& r, const cmd::StateRead& c) { return ops::StateRead{r, c.cell, c.as_of}; }
inline Output out_of(const cmd::StateRead&, std::optional<VersionedValue> v) { return out::MaybeState{std::move(v)}; }
inline auto op_of(const RunRef& r, const cmd::StateHistory& c) { return ops::StateHistory{r, c.cell, history_page_of(c)}; }
inline Output out_of(const cmd::StateHistory&, std::vector<VersionedValue> h) { return out::History{std::move(h)}; }
inline auto op_of(const RunRef& r, const cmd::StateInit& c) { return ops::StateInit(r, c.cell, c.value); }
inline Output out_of(const cmd::StateInit&, Version v) { return out::VersionOut{v}; }
inline auto op_of(const RunRef& r, const cmd::StateCas& c) { return ops::StateCas(r, c.cell, c.expected, c.value); }
inline Output out_of(const cmd::StateCas&, std::optional<Version> v) { return out::MaybeVersion{v}; }

// ---- JSON documents ------------------------------------------------------------------
inline auto op_of(const RunRef& r, const cmd::JsonSet& c) { return ops::JsonSet(r, c.key, c.path, c.value); }
inline Output out_of(const cmd::JsonSet&, Version v) { return out::VersionOut{v}; }
inline auto op_of(const RunRef& r, const cmd::JsonGet& c) { return ops::JsonGet{r, c.key, c.path, c.as_of}; }
inline Output out_of(const cmd::JsonGet&, std::optional<Value> v) { return out::MaybeValue{std::move(v)}; }
inline auto op_of(const RunRef& r, const cmd::JsonHistory& c) { return ops::JsonHistory{r, c.key, history_page_of(c)}; }
inline Output out_of(const cmd::JsonHistory&, std::vector<VersionedValue> h) { return out::History{std::move(h)}; }
inline auto op_of(const RunRef& r, const cmd::JsonDelete& c) { return ops::JsonDelete(r, c.key, c.path); }
inline Output out_of(const cmd::JsonDelete&, std::size_t n) { return out::Count{n}; }
inline auto op_of(const RunRef& r, const cmd::JsonList& c) {
  return ops::JsonList{r, c.prefix, page_of(c.limit, c.cursor), c.as_of};
}
inline Output out_of(const cmd::JsonList&, KeyPage p) { return keys_of(std::move(p)); }
inline auto op_of(const RunRef& r, const cmd::JsonArrayAppend& c) {
  return ops::JsonArrayAppend(r, c.key, c.path, c.value);
}
inline Output out_of(const cmd::JsonArrayAppend&, Version v) { return out::VersionOut{v}; }
inline auto op_of(const RunRef& r, const cmd::JsonIncr& c) { return ops::JsonIncr(r, c.key, c.path, c.delta); }
inline Output out_of(const cmd::JsonIncr&, Value v) { return out::ValueOut{std::move(v)}; }

// ---- vector store ---------------------------------------------------------------------
inline auto op_of(const RunRef& r, const cmd::VectorCreate& c) {
  return ops::VectorCreate{r, c.name, c.dimension, c.metric, c.options};
}
inline Output out_of(const cmd::VectorCreate&, Version v) { return out::VersionOut{v}; }
inline auto op_of(const RunRef& r, const cmd::VectorDrop& c) { return ops::VectorDrop{r, c.name}; }
inline Output out_of(const cmd::VectorDrop&, Version v) { return out::VersionOut{v}; }
inline auto op_of(const RunRef& r, const cmd::VectorList&) { return ops::VectorList{r}; }
inline Output out_of(const cmd::VectorList&, std::vector<CollectionInfo> all) {
  return out::Collections{std::move(all)};
}
inline auto op_of(const RunRef& r, const cmd::VectorInfo& c) { return ops::VectorInfo{r, c.name}; }
inline Output out_of(const cmd::VectorInfo&, CollectionInfo i) { return out::Collection{std::move(i)}; }
inline auto op_of(const RunRef& r, const cmd::VectorUpsert& c) {
  return ops::VectorUpsertOne{r, c.collection, {c.key, c.vector, &c.metadata}};
}
inline Output out_of(const cmd::VectorUpsert&, Version v) { return out::VersionOut{v}; }
/// The batch's views, owned beside the operation (they point into the command).
struct VectorUpsertBatchOp {
  using Result = Version;
  const RunRef& run;
  const cmd::VectorUpsertBatch& c;
  std::vector<ops::VectorView> views = ops::views_of(c.records);
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e) {
    return ops::VectorUpsert{run, c.collection, views}.prepare(e);
  }
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};
inline auto op_of(const RunRef& r, const cmd::VectorUpsertBatch& c) { return VectorUpsertBatchOp{r, c}; }
inline Output out_of(const cmd::VectorUpsertBatch&, Version v) { return out::VersionOut{v}; }
inline auto op_of(const RunRef& r, const cmd::VectorGet& c) { return ops::VectorGet{r, c.collection, c.key, c.as_of}; }
inline Output out_of(const cmd::VectorGet&, std::optional<VectorEntry> e) { return out::MaybeVector{std::move(e)}; }
inline auto op_of(const RunRef& r, const cmd::VectorHistory& c) {
  return ops::VectorHistory{r, c.collection, c.key, history_page_of(c)};
}
inline Output out_of(const cmd::VectorHistory&, std::vector<VectorVersion> h) { return out::VectorHistory{std::move(h)}; }
inline auto op_of(const RunRef& r, const cmd::VectorDelete& c) { return ops::VectorDelete{r, c.collection, c.key}; }
inline Output out_of(const cmd::VectorDelete&, bool existed) { return out::Existed{existed}; }

/// A search command's options, held beside the operation that refers to them.
struct SearchOp {
  using Result = std::vector<VectorMatch>;
  const RunRef& run;
  VectorSearchOptions options;
  const cmd::VectorSearch& c;
  detail::Outcome<Result> read(detail::Engine& e) const {
    return ops::VectorSearch{run, c.collection, c.vector, c.k, options}.read(e);
  }
};
inline auto op_of(const RunRef& r, const cmd::VectorSearch& c) {
  return SearchOp{r, VectorSearchOptions{c.filter, c.exact, c.ef, c.as_of}, c};
}
inline Output out_of(const cmd::VectorSearch&, std::vector<VectorMatch> m) { return out::Matches{std::move(m)}; }

// ---- runs (the run argument is unused: they name their run) -------------------------
inline auto op_of(const RunRef&, const cmd::RunCreate& c) { return ops::CreateRun{c.name, c.metadata}; }
inline auto op_of(const RunRef&, const cmd::RunList&) { return ops::ListRuns{}; }
inline Output out_of(const cmd::RunList&, std::vector<RunInfo> runs) { return out::Runs{std::move(runs)}; }
inline auto op_of(const RunRef&, const cmd::RunInfo& c) { return ops::GetRunInfo{c.name}; }
inline auto op_of(const RunRef&, const cmd::RunDelete& c) { return ops::DeleteRun{c.name, nullptr}; }
inline auto op_of(const RunRef&, const cmd::RunDigest& c) { return ops::DigestRun{c.name, c.as_of}; }
inline Output out_of(const cmd::RunDigest&, RunDigest d) { return out::Digest{std::move(d)}; }
inline auto op_of(const RunRef&, const cmd::RunReplay& c) { return ops::ReplayRun{c.source, c.dest, c.up_to}; }
inline Output out_of(const cmd::RunReplay&, ReplayResult r) { return out::Replayed{r}; }
inline auto op_of(const RunRef&, const cmd::RunMerge& c) { return ops::MergeRun{c.source, c.target, c.strategy}; }
inline Output out_of(const cmd::RunMerge&, MergeResult m) { return out::Merged{std::move(m)}; }
inline auto op_of(const RunRef&, const cmd::RunDiff& c) { return ops::DiffRuns{c.a, c.b, c.as_of}; }
inline Output out_of(const cmd::RunDiff&, RunDiff d) { return out::Diff{std::move(d)}; }
inline auto op_of(const RunRef& r, const cmd::RunFork& c) { return ops::ForkRun{r->name(), c.name, c.at, {}}; }
inline Output out_of(const cmd::RunDelete&, std::size_t n) { return out::Deleted{n}; }
inline auto op_of(const RunRef&, const cmd::RunSetStatus& c) { return ops::UpdateRun{c.name, c.status, std::nullopt}; }
inline auto op_of(const RunRef&, const cmd::RunSetMetadata& c) {
  return ops::UpdateRun{c.name, std::nullopt, c.metadata};
}
template <class C>
  requires(std::same_as<C, cmd::RunCreate> || std::same_as<C, cmd::RunFork> || std::same_as<C, cmd::RunInfo> ||
           std::same_as<C, cmd::RunSetStatus> || std::same_as<C, cmd::RunSetMetadata>)
Output out_of(const C&, RunInfo info) {
  return out::RunOut{std::move(info)};
}

/// A command that is one operation of src/ops/.
template <class C>
concept OpCommand = requires(const RunRef& r, const C& c) { op_of(r, c); };

}  // namespace strata::session_detail
