#include "recovery/recovery.hpp"

#include "snapshot/snapshot_format.hpp"
#include "wal/log_records.hpp"
#include "wal/record_format.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fcntl.h>
#include <map>

namespace strata::recovery {

namespace {

io::IoStatus corruption(const std::filesystem::path& file, std::size_t offset, const std::string& why) {
  return {make_error_code(errc::corruption),
          "corruption in " + file.string() + " at offset " + std::to_string(offset) + ": " + why};
}

/// Newest snapshot file, or empty.
std::filesystem::path newest_snapshot(io::FileIo& io, const std::filesystem::path& dir) {
  std::filesystem::path best;
  Version best_v = 0;
  for (const auto& name : io.list_dir(dir)) {
    Version v = 0;
    if (snapshot::parse_snapshot_name(name, v) && (best.empty() || v > best_v)) {
      best = dir / name;
      best_v = v;
    }
  }
  return best;
}

std::map<std::uint64_t, std::filesystem::path> wal_segments(io::FileIo& io, const std::filesystem::path& wal_dir) {
  std::map<std::uint64_t, std::filesystem::path> out;
  for (const auto& name : io.list_dir(wal_dir)) {
    std::uint64_t n = 0;
    if (name.size() == 24 && std::sscanf(name.c_str(), "wal-%16" SCNu64 ".log", &n) == 1) out[n] = wal_dir / name;
  }
  return out;
}

io::IoStatus load_snapshot(io::FileIo& io, const std::filesystem::path& file, RecoverySink& sink,
                           RecoveredState& st, std::uint64_t& wal_start) {
  std::string image;
  if (auto s = io.read_file(file, image); !s) return s;
  wal::RecordReader reader(image);
  std::string why;
  if (!reader.check_header(wal::kSnapshotMagic, why)) return corruption(file, 0, why);
  wal::RecordReader::Record r;
  std::uint64_t runs = 0, chains = 0;
  bool begun = false;
  snapshot::ChainImage chain;
  for (;;) {
    auto status = reader.next(r, why);
    if (status == wal::RecordReader::Status::End) return corruption(file, reader.position(), "no end record");
    if (status != wal::RecordReader::Status::Ok) return corruption(file, reader.position(), why);
    if (!begun && r.type != wal::RecordType::SnapshotBegin) return corruption(file, r.offset, "no begin record");
    switch (r.type) {
      case wal::RecordType::SnapshotBegin: {
        snapshot::Header h;
        if (begun || !snapshot::decode_header(r.payload, h, why)) return corruption(file, r.offset, why);
        begun = true;
        st.last_version = h.covered_version;
        st.last_timestamp_us = h.last_timestamp_us;
        st.next_run_id = h.next_run_id;
        wal_start = h.wal_start_segment;
        break;
      }
      case wal::RecordType::SnapshotRun: {
        keys::RunId id = 0, parent = 0;
        RunInfo info;
        if (!snapshot::decode_run(r.payload, id, info, parent, why)) return corruption(file, r.offset, why);
        if (!sink.restore_run(id, std::move(info), parent))
          return corruption(file, r.offset, "fork parent run " + std::to_string(parent) + " is unknown");
        ++runs;
        break;
      }
      case wal::RecordType::SnapshotChain: {
        if (!snapshot::decode_chain(r.payload, chain, why)) return corruption(file, r.offset, why);
        for (auto it = chain.newest_first.rbegin(); it != chain.newest_first.rend(); ++it)
          sink.install(chain.key, it->version, it->timestamp_us, it->tombstone, std::move(it->value), it->ttl_ms);
        ++chains;
        break;
      }
      case wal::RecordType::SnapshotEnd: {
        std::uint64_t want_runs = 0, want_chains = 0;
        if (!snapshot::decode_end(r.payload, want_runs, want_chains, why)) return corruption(file, r.offset, why);
        if (want_runs != runs || want_chains != chains) return corruption(file, r.offset, "record counts differ");
        if (reader.position() != image.size()) return corruption(file, reader.position(), "data after end record");
        return {};
      }
      default:
        return corruption(file, r.offset, "unexpected record type " + std::to_string(int(r.type)));
    }
  }
}

io::IoStatus apply_record(const wal::RecordReader::Record& r, RecoverySink& sink, RecoveredState& st,
                          const std::filesystem::path& file) {
  std::string why;
  switch (r.type) {
    case wal::RecordType::Commit: {
      commit::OwnedCommit c;
      if (!wal::decode_commit(r.payload, c, why)) return corruption(file, r.offset, why);
      if (c.version != st.last_version + 1)
        return corruption(file, r.offset, "commit version " + std::to_string(c.version) + " follows " +
                                              std::to_string(st.last_version));
      auto entry = c.entry();
      if (auto bad = commit::apply_commit(entry, sink, sink.observers()); !bad.empty())
        return corruption(file, r.offset, bad);
      st.last_version = c.version;
      st.last_timestamp_us = std::max(st.last_timestamp_us, c.timestamp_us);
      return {};
    }
    case wal::RecordType::RunCreate: {
      wal::RunEntry e;
      if (!wal::decode_run_create(r.payload, e, why)) return corruption(file, r.offset, why);
      st.next_run_id = std::max<keys::RunId>(st.next_run_id, e.id + 1);
      if (!sink.restore_run(e.id, std::move(e.info), e.parent_id))
        return corruption(file, r.offset, "fork parent run " + std::to_string(e.parent_id) + " is unknown");
      return {};
    }
    case wal::RecordType::RunDelete: {
      wal::RunEntry e;
      if (!wal::decode_run_delete(r.payload, e, why)) return corruption(file, r.offset, why);
      sink.drop_run(e.id);
      return {};
    }
    case wal::RecordType::RunUpdate: {
      wal::RunEntry e;
      if (!wal::decode_run_update(r.payload, e, why)) return corruption(file, r.offset, why);
      sink.update_run(e.id, e.info.status, std::move(e.info.metadata));
      return {};
    }
    default:
      return corruption(file, r.offset, "unknown record type " + std::to_string(int(r.type)));
  }
}

/// Cuts a torn tail off the last segment so the next open sees a clean end.
io::IoStatus truncate_tail(io::FileIo& io, const std::filesystem::path& file, std::size_t keep) {
  int fd = -1;
  if (auto s = io.open(file, O_WRONLY, fd); !s) return s;
  auto s = io.truncate(fd, file, keep);
  if (s) s = io.datasync(fd, file);
  io::FileIo::close(fd);
  return s;
}

/// `prev_size`: the final size of the segment before this one, when it was
/// replayed too (0 = not known); `size` receives this segment's final size.
io::IoStatus replay_segment(io::FileIo& io, const std::filesystem::path& file, bool last, std::uint64_t prev_size,
                            RecoverySink& sink, RecoveredState& st, std::uint64_t& size) {
  std::string image;
  if (auto s = io.read_file(file, image); !s) return s;
  std::string why;
  wal::RecordReader reader(image);
  size = 0;
  if (image.size() < wal::kFileHeaderSize && last) {
    // The crash hit while the segment was being created: nothing in it was
    // ever acknowledged.
    st.truncated_bytes += image.size();
    return io.remove(file);
  }
  if (!reader.check_header(wal::kWalMagic, why)) return corruption(file, 0, why);
  if (prev_size != 0 && reader.link() != 0 && reader.link() != prev_size)
    return corruption(file, 16, "the previous segment is " + std::to_string(prev_size) + " bytes but was " +
                                    std::to_string(reader.link()) + " bytes when this one started");
  size = image.size();
  wal::RecordReader::Record r;
  for (;;) {
    auto status = reader.next(r, why);
    if (status == wal::RecordReader::Status::End) return {};
    if (status == wal::RecordReader::Status::Ok) {
      if (auto s = apply_record(r, sink, st, file); !s) return s;
      ++st.records_replayed;
      continue;
    }
    if (status == wal::RecordReader::Status::TornTail && last) {
      st.truncated_bytes += image.size() - reader.position();
      size = reader.position();
      return truncate_tail(io, file, reader.position());
    }
    return corruption(file, reader.position(), why);
  }
}

}  // namespace

io::IoStatus recover(io::FileIo& io, const std::filesystem::path& dir, RecoverySink& sink, RecoveredState& st) {
  std::uint64_t wal_start = 0;
  if (auto snap = newest_snapshot(io, dir); !snap.empty()) {
    st.fresh = false;
    st.snapshot_file = snap.string();
    if (auto s = load_snapshot(io, snap, sink, st, wal_start); !s) return s;
  }
  sink.snapshot_loaded(st.last_version);
  auto segments = wal_segments(io, dir / "wal");
  std::uint64_t expected = wal_start;
  std::uint64_t prev_size = 0;
  for (auto it = segments.begin(); it != segments.end(); ++it) {
    const auto [number, path] = *it;
    if (number < wal_start) continue;  // covered by the snapshot; removal was interrupted
    if (expected != 0 && number != expected)
      return corruption(path, 0, "WAL segment " + std::to_string(expected) + " is missing");
    st.fresh = false;
    const bool last = std::next(it) == segments.end();
    std::uint64_t size = 0;
    if (auto s = replay_segment(io, path, last, prev_size, sink, st, size); !s) return s;
    if (size != 0) prev_size = st.last_segment_size = size;
    expected = number + 1;
    // A segment removed as torn-at-creation is created again by the writer.
    st.next_segment = io.exists(path) ? number + 1 : number;
  }
  st.next_segment = std::max<std::uint64_t>({st.next_segment, wal_start, 1});
  return {};
}

}  // namespace strata::recovery
