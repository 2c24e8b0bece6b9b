// strata::Command and strata::Output — every operation as a plain value
// (docs/design/errors.md), so that a CLI, a server or a test can build, store, send and
// replay operations without calling the API by hand.
//
//  * A Command is one struct per operation in namespace strata::cmd. Each
//    has `run`: the run it acts on, unset meaning the executing Session's
//    current run (inside an open transaction: the transaction's run). Run
//    lifecycle commands name their run in `name`; for them, and for
//    database-wide commands (ping, info, flush, compact, run_list) and
//    commit/rollback, `run` has no effect.
//  * An Output is one struct per kind of result in namespace strata::out.
//    Which Output a Command yields is listed in docs/commands.md; a few
//    depend on whether a transaction is open (a buffered write has no
//    version yet, so it yields Done or Wrote instead of VersionOut).
//  * Every member has a default, so designated initializers may name only
//    the arguments: cmd::KvPut{.key = "k", .value = 42}.
//  * Both are regular values (copyable, equality-comparable) and round-trip
//    through the JSON codec of <strata/command_json.hpp>.
//  * Session (<strata/session.hpp>) executes them.
#pragma once

#include <strata/types.hpp>
#include <strata/value.hpp>
#include <strata/vector.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace strata {

namespace cmd {

using RunName = std::optional<std::string>;

// ---- KV ------------------------------------------------------------------------
struct KvPut {
  RunName run{};
  std::string key{};
  Value value{};
  /// The value's time to live in ms (unset: none), as PutOptions::ttl.
  std::optional<std::uint64_t> ttl_ms{};
  friend bool operator==(const KvPut&, const KvPut&) = default;
};
struct KvGet {
  RunName run{};
  std::string key{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const KvGet&, const KvGet&) = default;
};
struct KvDelete {
  RunName run{};
  std::string key{};
  friend bool operator==(const KvDelete&, const KvDelete&) = default;
};
/// One page of keys; pass the previous page's next_cursor as `cursor`.
struct KvList {
  RunName run{};
  std::string prefix{};
  std::optional<std::size_t> limit{};
  std::string cursor{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const KvList&, const KvList&) = default;
};
/// Not transactional: inside a transaction it reads the committed history.
struct KvHistory {
  RunName run{};
  std::string key{};
  /// One page: at most `limit` versions older than `before` (unset: all, from the newest).
  std::optional<std::size_t> limit{};
  std::optional<Version> before{};
  friend bool operator==(const KvHistory&, const KvHistory&) = default;
};

// ---- Event log -----------------------------------------------------------------
struct EventAppend {
  RunName run{};
  std::string type{};
  Object payload{};
  friend bool operator==(const EventAppend&, const EventAppend&) = default;
};
struct EventRead {
  RunName run{};
  std::uint64_t sequence = 0;
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const EventRead&, const EventRead&) = default;
};
struct EventReadByType {
  RunName run{};
  std::string type{};
  std::optional<std::size_t> limit{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const EventReadByType&, const EventReadByType&) = default;
};
/// Events with from <= sequence <= to; `to` may exceed the log's length.
struct EventRange {
  RunName run{};
  std::uint64_t from = 1;
  std::uint64_t to = 1;
  std::optional<std::size_t> limit{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const EventRange&, const EventRange&) = default;
};
struct EventLen {
  RunName run{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const EventLen&, const EventLen&) = default;
};
/// A whole-log check: inside a transaction it runs on the database.
struct EventVerify {
  RunName run{};
  friend bool operator==(const EventVerify&, const EventVerify&) = default;
};

// ---- State cells ---------------------------------------------------------------
struct StateSet {
  RunName run{};
  std::string cell{};
  Value value{};
  friend bool operator==(const StateSet&, const StateSet&) = default;
};
struct StateRead {
  RunName run{};
  std::string cell{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const StateRead&, const StateRead&) = default;
};
struct StateInit {
  RunName run{};
  std::string cell{};
  Value value{};
  friend bool operator==(const StateInit&, const StateInit&) = default;
};
/// `expected` unset: write only if the cell is absent.
struct StateCas {
  RunName run{};
  std::string cell{};
  std::optional<Version> expected{};
  Value value{};
  friend bool operator==(const StateCas&, const StateCas&) = default;
};
/// Not transactional, like kv_history.
struct StateHistory {
  RunName run{};
  std::string cell{};
  std::optional<std::size_t> limit{};
  std::optional<Version> before{};
  friend bool operator==(const StateHistory&, const StateHistory&) = default;
};

// ---- JSON documents ------------------------------------------------------------
struct JsonSet {
  RunName run{};
  std::string key{};
  std::string path{};
  Value value{};
  friend bool operator==(const JsonSet&, const JsonSet&) = default;
};
struct JsonGet {
  RunName run{};
  std::string key{};
  std::string path{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const JsonGet&, const JsonGet&) = default;
};
struct JsonDelete {
  RunName run{};
  std::string key{};
  std::string path{};
  friend bool operator==(const JsonDelete&, const JsonDelete&) = default;
};
struct JsonList {
  RunName run{};
  std::string prefix{};
  std::optional<std::size_t> limit{};
  std::string cursor{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const JsonList&, const JsonList&) = default;
};
struct JsonArrayAppend {
  RunName run{};
  std::string key{};
  std::string path{};
  Value value{};
  friend bool operator==(const JsonArrayAppend&, const JsonArrayAppend&) = default;
};
struct JsonIncr {
  RunName run{};
  std::string key{};
  std::string path{};
  Value delta{};
  friend bool operator==(const JsonIncr&, const JsonIncr&) = default;
};
/// The whole document per version. Not transactional, like kv_history.
struct JsonHistory {
  RunName run{};
  std::string key{};
  std::optional<std::size_t> limit{};
  std::optional<Version> before{};
  friend bool operator==(const JsonHistory&, const JsonHistory&) = default;
};

// ---- Vector store ------------------------------------------------------------------
struct VectorCreate {
  RunName run{};
  std::string name{};
  std::size_t dimension = 0;
  Metric metric = Metric::Cosine;
  CollectionOptions options{};
  friend bool operator==(const VectorCreate&, const VectorCreate&) = default;
};
struct VectorDrop {
  RunName run{};
  std::string name{};
  friend bool operator==(const VectorDrop&, const VectorDrop&) = default;
};
struct VectorList {
  RunName run{};
  friend bool operator==(const VectorList&, const VectorList&) = default;
};
struct VectorInfo {
  RunName run{};
  std::string name{};
  friend bool operator==(const VectorInfo&, const VectorInfo&) = default;
};
struct VectorUpsert {
  RunName run{};
  std::string collection{};
  std::string key{};
  std::vector<float> vector{};
  std::optional<Value> metadata{};
  friend bool operator==(const VectorUpsert&, const VectorUpsert&) = default;
};
/// Many vectors in one commit (all or none).
struct VectorUpsertBatch {
  RunName run{};
  std::string collection{};
  std::vector<VectorRecord> records{};
  friend bool operator==(const VectorUpsertBatch&, const VectorUpsertBatch&) = default;
};
struct VectorGet {
  RunName run{};
  std::string collection{};
  std::string key{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const VectorGet&, const VectorGet&) = default;
};
struct VectorDelete {
  RunName run{};
  std::string collection{};
  std::string key{};
  friend bool operator==(const VectorDelete&, const VectorDelete&) = default;
};
/// Not transactional: inside a transaction it searches the committed state.
struct VectorSearch {
  RunName run{};
  std::string collection{};
  std::vector<float> vector{};
  std::size_t k = 10;
  std::optional<Value> filter{};
  bool exact = false;
  std::optional<std::size_t> ef{};
  /// Read the run as it was then (time travel; unset: now).
  std::optional<AsOf> as_of{};
  friend bool operator==(const VectorSearch&, const VectorSearch&) = default;
};
/// Not transactional, like kv_history.
struct VectorHistory {
  RunName run{};
  std::string collection{};
  std::string key{};
  std::optional<std::size_t> limit{};
  std::optional<Version> before{};
  friend bool operator==(const VectorHistory&, const VectorHistory&) = default;
};

// ---- Runs (refused while a transaction is open, except list and info) ------------
struct RunCreate {
  RunName run{};
  std::string name{};
  Object metadata{};
  friend bool operator==(const RunCreate&, const RunCreate&) = default;
};
/// Switches the session's current run.
struct RunUse {
  RunName run{};
  std::string name{};
  friend bool operator==(const RunUse&, const RunUse&) = default;
};
struct RunList {
  RunName run{};
  friend bool operator==(const RunList&, const RunList&) = default;
};
struct RunInfo {
  RunName run{};
  std::string name{};
  friend bool operator==(const RunInfo&, const RunInfo&) = default;
};
/// run_digest: a content hash of run `name` at `as_of` (unset: now).
struct RunDigest {
  RunName run{};
  std::string name{};
  std::optional<AsOf> as_of{};
  friend bool operator==(const RunDigest&, const RunDigest&) = default;
};
/// run_fork: forks `run` (unset: the session's current run) into a new run
/// `name` at `at` (unset: now); Strata::fork_run.
struct RunFork {
  RunName run{};
  std::string name{};
  std::optional<AsOf> at{};
  friend bool operator==(const RunFork&, const RunFork&) = default;
};
/// run_diff: what differs between runs `a` and `b` at `as_of` (unset: now).
struct RunDiff {
  RunName run{};
  std::string a{};
  std::string b{};
  std::optional<AsOf> as_of{};
  friend bool operator==(const RunDiff&, const RunDiff&) = default;
};
/// run_merge: merges run `source` into run `target`; Strata::merge_run.
struct RunMerge {
  RunName run{};
  std::string source{};
  std::string target{};
  MergeStrategy strategy = MergeStrategy::FailOnConflict;
  friend bool operator==(const RunMerge&, const RunMerge&) = default;
};
/// run_replay: a new run `dest` rebuilt from run `source`'s commits up to
/// `up_to` (unset: now); Strata::replay_run.
struct RunReplay {
  RunName run{};
  std::string source{};
  std::string dest{};
  std::optional<AsOf> up_to{};
  friend bool operator==(const RunReplay&, const RunReplay&) = default;
};
struct RunDelete {
  RunName run{};
  std::string name{};
  friend bool operator==(const RunDelete&, const RunDelete&) = default;
};
struct RunSetStatus {
  RunName run{};
  std::string name{};
  RunStatus status = RunStatus::Active;
  friend bool operator==(const RunSetStatus&, const RunSetStatus&) = default;
};
struct RunSetMetadata {
  RunName run{};
  std::string name{};
  Object metadata{};
  friend bool operator==(const RunSetMetadata&, const RunSetMetadata&) = default;
};

// ---- Transactions ----------------------------------------------------------------
/// Opens the session's transaction, on `run` (unset: the current run).
struct Begin {
  RunName run{};
  /// Read-only, as the run was then (writes are read_only).
  std::optional<AsOf> as_of{};
  friend bool operator==(const Begin&, const Begin&) = default;
};
struct Commit {
  RunName run{};
  friend bool operator==(const Commit&, const Commit&) = default;
};
struct Rollback {
  RunName run{};
  friend bool operator==(const Rollback&, const Rollback&) = default;
};

// ---- Database --------------------------------------------------------------------
struct Ping {
  RunName run{};
  friend bool operator==(const Ping&, const Ping&) = default;
};
struct Info {
  RunName run{};
  friend bool operator==(const Info&, const Info&) = default;
};
struct Flush {
  RunName run{};
  friend bool operator==(const Flush&, const Flush&) = default;
};
struct Compact {
  RunName run{};
  friend bool operator==(const Compact&, const Compact&) = default;
};

}  // namespace cmd

/// Every operation. The order of alternatives is not part of the contract
/// (the JSON codec names them by "op").
using Command = std::variant<
    cmd::KvPut, cmd::KvGet, cmd::KvDelete, cmd::KvList, cmd::KvHistory,                             //
    cmd::EventAppend, cmd::EventRead, cmd::EventReadByType, cmd::EventRange, cmd::EventLen,         //
    cmd::EventVerify,                                                                               //
    cmd::StateSet, cmd::StateRead, cmd::StateInit, cmd::StateCas, cmd::StateHistory,                //
    cmd::JsonSet, cmd::JsonGet, cmd::JsonDelete, cmd::JsonList, cmd::JsonArrayAppend, cmd::JsonIncr,  //
    cmd::JsonHistory,                                                                               //
    cmd::VectorCreate, cmd::VectorDrop, cmd::VectorList, cmd::VectorInfo, cmd::VectorUpsert,        //
    cmd::VectorUpsertBatch, cmd::VectorGet, cmd::VectorDelete, cmd::VectorSearch, cmd::VectorHistory,                                           //
    cmd::RunCreate, cmd::RunUse, cmd::RunList, cmd::RunInfo, cmd::RunDelete, cmd::RunSetStatus,     //
    cmd::RunSetMetadata, cmd::RunDigest, cmd::RunFork, cmd::RunDiff, cmd::RunMerge, cmd::RunReplay,//
    cmd::Begin, cmd::Commit, cmd::Rollback,                                                         //
    cmd::Ping, cmd::Info, cmd::Flush, cmd::Compact>;

/// The operation's snake_case name, as in JSON's "op": "kv_put", "run_set_status", ...
std::string_view command_name(const Command& command) noexcept;

namespace out {

/// Success without a result: a write buffered in a transaction, flush, compact.
struct Done {
  friend bool operator==(const Done&, const Done&) = default;
};
/// The commit version of a write (kv_put, state_set, state_init, json_set, ...).
struct VersionOut {
  Version version = 0;
  friend bool operator==(const VersionOut&, const VersionOut&) = default;
};
/// kv_get, json_get: the value, unset when absent.
struct MaybeValue {
  std::optional<Value> value{};
  friend bool operator==(const MaybeValue&, const MaybeValue&) = default;
};
/// kv_delete: whether the key existed.
struct Existed {
  bool existed = false;
  friend bool operator==(const Existed&, const Existed&) = default;
};
/// json_delete: values removed.
struct Count {
  std::size_t count = 0;
  friend bool operator==(const Count&, const Count&) = default;
};
/// kv_list, json_list: one page; next_cursor set when more keys may follow.
struct Keys {
  std::vector<std::string> keys{};
  std::optional<std::string> next_cursor{};
  friend bool operator==(const Keys&, const Keys&) = default;
};
/// kv_history, state_history, json_history: newest first, tombstones included.
struct History {
  std::vector<VersionedValue> versions{};
  friend bool operator==(const History&, const History&) = default;
};
/// event_append outside a transaction: the new event's sequence.
struct Sequence {
  std::uint64_t sequence = 0;
  friend bool operator==(const Sequence&, const Sequence&) = default;
};
struct MaybeEvent {
  std::optional<Event> event{};
  friend bool operator==(const MaybeEvent&, const MaybeEvent&) = default;
};
struct Events {
  std::vector<Event> events{};
  friend bool operator==(const Events&, const Events&) = default;
};
/// event_len.
struct Length {
  std::uint64_t length = 0;
  friend bool operator==(const Length&, const Length&) = default;
};
struct Verification {
  EventVerification verification{};
  friend bool operator==(const Verification&, const Verification&) = default;
};
/// state_read: value and the version that wrote it (0 for a write pending
/// in this transaction).
struct MaybeState {
  std::optional<VersionedValue> state{};
  friend bool operator==(const MaybeState&, const MaybeState&) = default;
};
/// state_cas outside a transaction: the new version, unset on a mismatch.
struct MaybeVersion {
  std::optional<Version> version{};
  friend bool operator==(const MaybeVersion&, const MaybeVersion&) = default;
};
/// state_init / state_cas inside a transaction: whether the write was buffered.
struct Wrote {
  bool wrote = false;
  friend bool operator==(const Wrote&, const Wrote&) = default;
};
/// json_incr: the incremented value.
struct ValueOut {
  Value value{};
  friend bool operator==(const ValueOut&, const ValueOut&) = default;
};
/// run_create, run_fork, run_info, run_set_status, run_set_metadata.
struct RunOut {
  strata::RunInfo run{};
  friend bool operator==(const RunOut&, const RunOut&) = default;
};
/// run_digest.
struct Digest {
  strata::RunDigest digest{};
  friend bool operator==(const Digest&, const Digest&) = default;
};
/// run_replay.
struct Replayed {
  strata::ReplayResult replay{};
  friend bool operator==(const Replayed&, const Replayed&) = default;
};
/// run_merge.
struct Merged {
  strata::MergeResult merge{};
  friend bool operator==(const Merged&, const Merged&) = default;
};
/// run_diff.
struct Diff {
  strata::RunDiff diff{};
  friend bool operator==(const Diff&, const Diff&) = default;
};
struct Runs {
  std::vector<strata::RunInfo> runs{};
  friend bool operator==(const Runs&, const Runs&) = default;
};
/// run_use: the session's new current run.
struct RunSelected {
  std::string name{};
  friend bool operator==(const RunSelected&, const RunSelected&) = default;
};
/// run_delete: keys removed with the run.
struct Deleted {
  std::size_t keys_removed = 0;
  friend bool operator==(const Deleted&, const Deleted&) = default;
};
/// info, with the session's current run.
struct InfoOut {
  DatabaseInfo info{};
  std::string current_run{};
  friend bool operator==(const InfoOut&, const InfoOut&);  // DatabaseInfo has no ==
};
struct Pong {
  std::string text{};
  friend bool operator==(const Pong&, const Pong&) = default;
};
struct TxnBegun {
  Version snapshot_version = 0;
  std::string run{};
  friend bool operator==(const TxnBegun&, const TxnBegun&) = default;
};
/// The commit version (the snapshot version for a read-only transaction).
struct TxnCommitted {
  Version version = 0;
  friend bool operator==(const TxnCommitted&, const TxnCommitted&) = default;
};
struct TxnRolledBack {
  friend bool operator==(const TxnRolledBack&, const TxnRolledBack&) = default;
};
struct Collection {
  strata::CollectionInfo collection{};
  friend bool operator==(const Collection&, const Collection&) = default;
};
struct Collections {
  std::vector<strata::CollectionInfo> collections{};
  friend bool operator==(const Collections&, const Collections&) = default;
};
struct MaybeVector {
  std::optional<strata::VectorEntry> vector{};
  friend bool operator==(const MaybeVector&, const MaybeVector&) = default;
};
/// vector_history: newest first, tombstones included.
struct VectorHistory {
  std::vector<strata::VectorVersion> versions{};
  friend bool operator==(const VectorHistory&, const VectorHistory&) = default;
};
struct Matches {
  std::vector<strata::VectorMatch> matches{};
  friend bool operator==(const Matches&, const Matches&) = default;
};

}  // namespace out

/// Every kind of result. Default-constructs to out::Done.
using Output = std::variant<out::Done, out::VersionOut, out::MaybeValue, out::Existed, out::Count, out::Keys,
                            out::History, out::Sequence, out::MaybeEvent, out::Events, out::Length,
                            out::Verification, out::MaybeState, out::MaybeVersion, out::Wrote, out::ValueOut,
                            out::RunOut, out::Runs, out::RunSelected, out::Deleted, out::InfoOut, out::Pong,
                            out::TxnBegun, out::TxnCommitted, out::TxnRolledBack, out::Collection,
                            out::Collections, out::MaybeVector, out::Matches, out::Digest, out::Diff, out::Merged, out::Replayed,
                            out::VectorHistory>;

/// The result's snake_case name, as in JSON's "type": "version", "maybe_value", ...
std::string_view output_name(const Output& output) noexcept;

}  // namespace strata
