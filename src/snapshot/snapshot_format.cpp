#include "snapshot/snapshot_format.hpp"

#include <limits>

#include "codec/value_codec.hpp"
#include "wal/log_records.hpp"

#include <cinttypes>
#include <cstdio>

namespace strata::snapshot {

using codec::get_varint;
using codec::put_varint;

namespace {
bool get(std::string_view& in, std::uint64_t& v, const char* what, std::string& why) {
  if (get_varint(in, v)) return true;
  why = std::string("bad ") + what;
  return false;
}
bool done(std::string_view in, std::string& why) {
  if (in.empty()) return true;
  why = "trailing bytes in snapshot record";
  return false;
}
}  // namespace

void encode_header(const Header& h, std::string& p) {
  put_varint(p, h.covered_version);
  put_varint(p, static_cast<std::uint64_t>(h.last_timestamp_us));
  put_varint(p, h.next_run_id);
  put_varint(p, h.wal_start_segment);
}

bool decode_header(std::string_view in, Header& h, std::string& why) {
  std::uint64_t ts = 0, next = 0;
  if (!get(in, h.covered_version, "covered version", why) || !get(in, ts, "timestamp", why) ||
      !get(in, next, "next run id", why) || !get(in, h.wal_start_segment, "segment", why))
    return false;
  h.last_timestamp_us = static_cast<std::int64_t>(ts);
  h.next_run_id = static_cast<keys::RunId>(next);
  return done(in, why);
}

void encode_run(keys::RunId id, const RunInfo& info, std::string& p, keys::RunId parent_id) {
  put_varint(p, id);
  put_varint(p, static_cast<std::uint64_t>(info.created_us));
  wal::put_string(p, info.name);
  p.push_back(static_cast<char>(info.status));
  codec::encode_value(Value(info.metadata), p);
  if (parent_id == 0) return;  // a plain run ends here (the format before forks)
  put_varint(p, parent_id);
  put_varint(p, info.fork_version.value_or(0));
}

bool decode_run(std::string_view in, keys::RunId& id, RunInfo& info, keys::RunId& parent_id, std::string& why) {
  std::uint64_t rid = 0, created = 0;
  if (!get(in, rid, "run id", why) || !get(in, created, "created time", why)) return false;
  if (!wal::get_string(in, info.name) || in.empty()) return why = "bad run name", false;
  const auto status = static_cast<std::uint8_t>(in.front());
  if (status > static_cast<std::uint8_t>(RunStatus::Archived)) return why = "bad run status", false;
  in.remove_prefix(1);
  error_code ec;
  Value meta = codec::decode_value(in, ec);
  if (ec || !meta.is_object()) return why = "bad run metadata", false;
  id = static_cast<keys::RunId>(rid);
  info.created_us = static_cast<std::int64_t>(created);
  info.status = static_cast<RunStatus>(status);
  info.metadata = std::move(meta.as_object());
  parent_id = 0;
  if (!in.empty()) {  // a fork: parent run and fork version
    std::uint64_t parent = 0, fork_version = 0;
    if (!get(in, parent, "fork parent", why) || !get(in, fork_version, "fork version", why)) return false;
    if (parent == 0 || parent == rid || parent > std::numeric_limits<keys::RunId>::max())
      return why = "bad fork parent", false;
    parent_id = static_cast<keys::RunId>(parent);
    info.fork_version = fork_version;
  }
  return done(in, why);
}

bool encode_chain(const mvcc::VersionChain& chain, Version covered, std::string& p) {
  std::uint64_t n = 0;
  for (auto* node = chain.at(covered); node; node = node->older.get()) ++n;
  if (n == 0) return false;
  wal::put_string(p, chain.key());
  put_varint(p, n);
  for (auto* node = chain.at(covered); node; node = node->older.get()) {
    put_varint(p, node->version);
    put_varint(p, static_cast<std::uint64_t>(node->timestamp_us));
    p.push_back(static_cast<char>((node->tombstone ? 1 : 0) | (node->has_ttl() ? 2 : 0)));
    if (node->has_ttl()) put_varint(p, node->ttl_ms());
    if (!node->tombstone) codec::encode_value(node->value, p);
  }
  return true;
}

bool decode_chain(std::string_view in, ChainImage& out, std::string& why) {
  std::uint64_t n = 0;
  if (!wal::get_string(in, out.key) || out.key.size() < keys::kStorageKeyHeader) return why = "bad key", false;
  if (!get(in, n, "version count", why)) return false;
  if (n == 0 || n > in.size()) return why = "bad version count", false;
  out.newest_first.clear();
  out.newest_first.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t v = 0, ts = 0;
    if (!get(in, v, "version", why) || !get(in, ts, "timestamp", why) || in.empty()) return false;
    const auto flags = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    if (flags > 3) return why = "bad version flags", false;
    const bool tomb = (flags & 1) != 0;
    std::uint64_t ttl_ms = 0;
    if ((flags & 2) && !get(in, ttl_ms, "ttl", why)) return false;
    if ((flags & 2) && (ttl_ms == 0 || ttl_ms > mvcc::VersionNode::kMaxTtlMs || tomb)) return why = "bad ttl", false;
    Value value;
    if (!tomb) {
      error_code ec;
      value = codec::decode_value(in, ec);
      if (ec) return why = "bad value: " + ec.message(), false;
    }
    if (!out.newest_first.empty() && v >= out.newest_first.back().version)
      return why = "versions out of order", false;
    out.newest_first.push_back({v, static_cast<std::int64_t>(ts), tomb, std::move(value), ttl_ms});
  }
  return done(in, why);
}

void encode_end(std::uint64_t runs, std::uint64_t chains, std::string& p) {
  put_varint(p, runs);
  put_varint(p, chains);
}

bool decode_end(std::string_view in, std::uint64_t& runs, std::uint64_t& chains, std::string& why) {
  return get(in, runs, "run count", why) && get(in, chains, "chain count", why) && done(in, why);
}

std::filesystem::path snapshot_path(const std::filesystem::path& dir, Version v) {
  char name[48];
  std::snprintf(name, sizeof name, "snapshot-%016" PRIu64 ".snap", v);
  return dir / name;
}

bool parse_snapshot_name(const std::string& name, Version& v) {
  std::uint64_t n = 0;
  char tail[8] = {};
  if (std::sscanf(name.c_str(), "snapshot-%16" SCNu64 ".%5s", &n, tail) != 2) return false;
  if (std::string_view(tail) != "snap" || name.size() != 30) return false;
  v = n;
  return true;
}

}  // namespace strata::snapshot
