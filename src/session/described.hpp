// Boost.Describe member lists of every Command, Output and nested result
// struct: the JSON codec and InfoOut's equality walk these, so a field
// added to a struct needs one word added here (and nothing else).
// Field names in JSON are the C++ member names.
#pragma once

#include <strata/command.hpp>
#include <strata/types.hpp>

#include <boost/describe/class.hpp>

namespace strata {
BOOST_DESCRIBE_STRUCT(VersionedValue, (), (value, version, timestamp_us, tombstone))
BOOST_DESCRIBE_STRUCT(Event, (), (sequence, type, payload, timestamp_us, hash))
BOOST_DESCRIBE_STRUCT(EventVerification, (), (ok, checked, first_bad, reason))
BOOST_DESCRIBE_STRUCT(RunInfo, (), (name, status, metadata, created_us, parent, fork_version))
BOOST_DESCRIBE_STRUCT(RunDigest, (), (sha256, version))
BOOST_DESCRIBE_STRUCT(EntryChange, (), (key, collection, a, b, paths))
BOOST_DESCRIBE_STRUCT(MergeResult, (), (version, base_version, entries, events, resolved))
BOOST_DESCRIBE_STRUCT(ReplayResult, (), (commits, up_to, version))
BOOST_DESCRIBE_STRUCT(RunDiff, (), (a, b, version, fork_version, kv, state, json, collections, vectors, common_events,
                                    events_a, events_b))
BOOST_DESCRIBE_STRUCT(CollectionOptions, (), (hnsw_threshold, m, ef_construction, ef_search))
BOOST_DESCRIBE_STRUCT(CollectionInfo, (), (name, dimension, metric, options, count, index, memory_bytes))
BOOST_DESCRIBE_STRUCT(VectorEntry, (), (vector, metadata, version, timestamp_us))
BOOST_DESCRIBE_STRUCT(VectorRecord, (), (key, vector, metadata))
BOOST_DESCRIBE_STRUCT(VectorMatch, (), (key, score, metadata))
BOOST_DESCRIBE_STRUCT(DatabaseInfo, (),
                      (version, durability, path, uptime_us, shards, threads, runs, keys, visible_version,
                       commits, conflicts, wal_bytes, last_fsync_us, fsyncs, batch_histogram, recovered_records,
                       truncated_bytes, compactions, compaction_max_pause_us, actor_messages,
                       actor_message_waits, actor_message_wait_us, vector_index_bytes))
}  // namespace strata

namespace strata::cmd {
BOOST_DESCRIBE_STRUCT(KvPut, (), (run, key, value))
BOOST_DESCRIBE_STRUCT(KvGet, (), (run, key, as_of))
BOOST_DESCRIBE_STRUCT(KvDelete, (), (run, key))
BOOST_DESCRIBE_STRUCT(KvList, (), (run, prefix, limit, cursor, as_of))
BOOST_DESCRIBE_STRUCT(KvHistory, (), (run, key))
BOOST_DESCRIBE_STRUCT(EventAppend, (), (run, type, payload))
BOOST_DESCRIBE_STRUCT(EventRead, (), (run, sequence, as_of))
BOOST_DESCRIBE_STRUCT(EventReadByType, (), (run, type, limit, as_of))
BOOST_DESCRIBE_STRUCT(EventRange, (), (run, from, to, limit, as_of))
BOOST_DESCRIBE_STRUCT(EventLen, (), (run, as_of))
BOOST_DESCRIBE_STRUCT(EventVerify, (), (run))
BOOST_DESCRIBE_STRUCT(StateSet, (), (run, cell, value))
BOOST_DESCRIBE_STRUCT(StateRead, (), (run, cell, as_of))
BOOST_DESCRIBE_STRUCT(StateInit, (), (run, cell, value))
BOOST_DESCRIBE_STRUCT(StateCas, (), (run, cell, expected, value))
BOOST_DESCRIBE_STRUCT(JsonSet, (), (run, key, path, value))
BOOST_DESCRIBE_STRUCT(JsonGet, (), (run, key, path, as_of))
BOOST_DESCRIBE_STRUCT(JsonDelete, (), (run, key, path))
BOOST_DESCRIBE_STRUCT(JsonList, (), (run, prefix, limit, cursor, as_of))
BOOST_DESCRIBE_STRUCT(JsonArrayAppend, (), (run, key, path, value))
BOOST_DESCRIBE_STRUCT(JsonIncr, (), (run, key, path, delta))
BOOST_DESCRIBE_STRUCT(RunCreate, (), (run, name, metadata))
BOOST_DESCRIBE_STRUCT(RunUse, (), (run, name))
BOOST_DESCRIBE_STRUCT(RunList, (), (run))
BOOST_DESCRIBE_STRUCT(RunInfo, (), (run, name))
BOOST_DESCRIBE_STRUCT(RunDelete, (), (run, name))
BOOST_DESCRIBE_STRUCT(RunDigest, (), (run, name, as_of))
BOOST_DESCRIBE_STRUCT(RunFork, (), (run, name, at))
BOOST_DESCRIBE_STRUCT(RunDiff, (), (run, a, b, as_of))
BOOST_DESCRIBE_STRUCT(RunMerge, (), (run, source, target, strategy))
BOOST_DESCRIBE_STRUCT(RunReplay, (), (run, source, dest, up_to))
BOOST_DESCRIBE_STRUCT(RunSetStatus, (), (run, name, status))
BOOST_DESCRIBE_STRUCT(RunSetMetadata, (), (run, name, metadata))
BOOST_DESCRIBE_STRUCT(Begin, (), (run, as_of))
BOOST_DESCRIBE_STRUCT(Commit, (), (run))
BOOST_DESCRIBE_STRUCT(VectorCreate, (), (run, name, dimension, metric, options))
BOOST_DESCRIBE_STRUCT(VectorDrop, (), (run, name))
BOOST_DESCRIBE_STRUCT(VectorList, (), (run))
BOOST_DESCRIBE_STRUCT(VectorInfo, (), (run, name))
BOOST_DESCRIBE_STRUCT(VectorUpsert, (), (run, collection, key, vector, metadata))
BOOST_DESCRIBE_STRUCT(VectorUpsertBatch, (), (run, collection, records))
BOOST_DESCRIBE_STRUCT(VectorGet, (), (run, collection, key, as_of))
BOOST_DESCRIBE_STRUCT(VectorDelete, (), (run, collection, key))
BOOST_DESCRIBE_STRUCT(VectorSearch, (), (run, collection, vector, k, filter, exact, ef, as_of))
BOOST_DESCRIBE_STRUCT(Rollback, (), (run))
BOOST_DESCRIBE_STRUCT(Ping, (), (run))
BOOST_DESCRIBE_STRUCT(Info, (), (run))
BOOST_DESCRIBE_STRUCT(Flush, (), (run))
BOOST_DESCRIBE_STRUCT(Compact, (), (run))
}  // namespace strata::cmd

namespace strata::out {
BOOST_DESCRIBE_STRUCT(Done, (), ())
BOOST_DESCRIBE_STRUCT(VersionOut, (), (version))
BOOST_DESCRIBE_STRUCT(MaybeValue, (), (value))
BOOST_DESCRIBE_STRUCT(Existed, (), (existed))
BOOST_DESCRIBE_STRUCT(Count, (), (count))
BOOST_DESCRIBE_STRUCT(Keys, (), (keys, next_cursor))
BOOST_DESCRIBE_STRUCT(History, (), (versions))
BOOST_DESCRIBE_STRUCT(Sequence, (), (sequence))
BOOST_DESCRIBE_STRUCT(MaybeEvent, (), (event))
BOOST_DESCRIBE_STRUCT(Events, (), (events))
BOOST_DESCRIBE_STRUCT(Length, (), (length))
BOOST_DESCRIBE_STRUCT(Verification, (), (verification))
BOOST_DESCRIBE_STRUCT(MaybeState, (), (state))
BOOST_DESCRIBE_STRUCT(MaybeVersion, (), (version))
BOOST_DESCRIBE_STRUCT(Wrote, (), (wrote))
BOOST_DESCRIBE_STRUCT(ValueOut, (), (value))
BOOST_DESCRIBE_STRUCT(RunOut, (), (run))
BOOST_DESCRIBE_STRUCT(Runs, (), (runs))
BOOST_DESCRIBE_STRUCT(RunSelected, (), (name))
BOOST_DESCRIBE_STRUCT(Deleted, (), (keys_removed))
BOOST_DESCRIBE_STRUCT(InfoOut, (), (info, current_run))
BOOST_DESCRIBE_STRUCT(Pong, (), (text))
BOOST_DESCRIBE_STRUCT(TxnBegun, (), (snapshot_version, run))
BOOST_DESCRIBE_STRUCT(TxnCommitted, (), (version))
BOOST_DESCRIBE_STRUCT(TxnRolledBack, (), ())
BOOST_DESCRIBE_STRUCT(Collection, (), (collection))
BOOST_DESCRIBE_STRUCT(Collections, (), (collections))
BOOST_DESCRIBE_STRUCT(MaybeVector, (), (vector))
BOOST_DESCRIBE_STRUCT(Matches, (), (matches))
BOOST_DESCRIBE_STRUCT(Digest, (), (digest))
BOOST_DESCRIBE_STRUCT(Diff, (), (diff))
BOOST_DESCRIBE_STRUCT(Merged, (), (merge))
BOOST_DESCRIBE_STRUCT(Replayed, (), (replay))
}  // namespace strata::out
