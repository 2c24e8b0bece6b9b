// Payloads of the WAL record types (the framing is in record_format.hpp;
// the layout is documented in docs/formats/wal.md).
//
//   Commit    := version:varint ts_us:varint run:varint n:varint write*n
//   write     := put | delete | event | patch
//   put       := 1:u8 key:string value           (value codec encoding; key = run-tagged storage key)
//   delete    := 2:u8 key:string
//   put_ttl   := 6:u8 key:string ttl_ms:varint value   (a KV put with a time to live, from the commit's ts)
//   event     := 3:u8 seq:varint type:string payload:value hash:32 bytes
//                (an append to the record's run's event log; recovery derives
//                the type index and the log head from it)
//   patch     := 4:u8 key:string n:varint edit*n   (a JSON document's path-level edits)
//   vector    := 5:u8 key:string n:varint float*n metadata:value
//                (a vector's put: n little-endian IEEE-754 floats; metadata Null when none)
//   edit      := 1:u8 path:string value | 2:u8 path:string   (set | erase; canonical path text)
//   string    := len:varint bytes
//   RunCreate := run:varint created_us:varint namelen:varint name metadata:value
//   RunDelete := run:varint
//   RunUpdate := run:varint status:u8 metadata:value
//
// Later primitives add op codes to `write` (e.g. JSON path patches) rather
// than new record types, so one commit stays one record.
#pragma once

#include "commit/commit_entry.hpp"
#include "keys/storage_key.hpp"

#include <strata/types.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::wal {

struct RunEntry {
  keys::RunId id = 0;
  RunInfo info;  // name + created_us (+ fork_version) for RunCreate; status + metadata for RunUpdate
  keys::RunId parent_id = 0;  // RunCreate of a fork: the run it was forked from
};

/// Appends the payload of a Commit record for `commit`.
void encode_commit(const commit::CommitEntry& commit, std::string& payload);
/// Bytes a patch takes in a commit record (to log whichever of patch and
/// whole document is smaller).
std::size_t patch_size(const commit::JsonPatch& patch);
/// `parent_id` != 0: a fork of that run at info.fork_version.
void encode_run_create(keys::RunId id, const RunInfo& info, std::string& payload, keys::RunId parent_id = 0);
void encode_run_delete(keys::RunId id, std::string& payload);
void encode_run_update(keys::RunId id, const RunInfo& info, std::string& payload);

/// Decoders: false with `why` on malformed input.
bool decode_commit(std::string_view payload, commit::OwnedCommit& out, std::string& why);
bool decode_run_create(std::string_view payload, RunEntry& out, std::string& why);
bool decode_run_delete(std::string_view payload, RunEntry& out, std::string& why);
bool decode_run_update(std::string_view payload, RunEntry& out, std::string& why);

/// Shared by the snapshot format: length-prefixed string.
void put_string(std::string& out, std::string_view s);
bool get_string(std::string_view& in, std::string& s);

}  // namespace strata::wal
