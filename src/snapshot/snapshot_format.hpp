// Snapshot file format (docs/formats/wal.md): the record framing of the WAL
// with its own magic, holding the whole state at one version:
//
//   SnapshotBegin := covered_version:varint last_ts:varint next_run_id:varint wal_start_segment:varint
//   SnapshotRun   := id:varint created_us:varint name:string status:u8 metadata:value
//   SnapshotChain := key:string n:varint (version:varint ts:varint flags:u8 [ttl_ms:varint] [value])*n   newest first
//                    flags: bit 0 tombstone, bit 1 a TTL follows (KV values)
//   SnapshotEnd   := runs:varint chains:varint
//
// A snapshot is valid only with its SnapshotEnd record and matching counts:
// it is written to a temp file and renamed, so a partial one never carries
// the final name.
#pragma once

#include "keys/storage_key.hpp"
#include "mvcc/version_chain.hpp"

#include <strata/types.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace strata::snapshot {

struct Header {
  Version covered_version = 0;
  std::int64_t last_timestamp_us = 0;
  keys::RunId next_run_id = 1;
  std::uint64_t wal_start_segment = 1;
};

struct ChainImage {
  std::string key;
  struct Node {
    Version version;
    std::int64_t timestamp_us;
    bool tombstone;
    Value value;
    std::uint64_t ttl_ms = 0;
  };
  std::vector<Node> newest_first;
};

void encode_header(const Header& h, std::string& payload);
bool decode_header(std::string_view in, Header& h, std::string& why);
/// `parent_id` != 0: a fork of that run at info.fork_version.
void encode_run(keys::RunId id, const RunInfo& info, std::string& payload, keys::RunId parent_id = 0);
bool decode_run(std::string_view in, keys::RunId& id, RunInfo& info, keys::RunId& parent_id, std::string& why);
/// Appends the chain's nodes with version <= covered; returns false when none.
bool encode_chain(const mvcc::VersionChain& chain, Version covered, std::string& payload);
bool decode_chain(std::string_view in, ChainImage& out, std::string& why);
void encode_end(std::uint64_t runs, std::uint64_t chains, std::string& payload);
bool decode_end(std::string_view in, std::uint64_t& runs, std::uint64_t& chains, std::string& why);

/// <dir>/snapshot-<version, 16 digits>.snap
std::filesystem::path snapshot_path(const std::filesystem::path& dir, Version v);
/// Parses a snapshot file name; false for other files.
bool parse_snapshot_name(const std::string& name, Version& v);

}  // namespace strata::snapshot
