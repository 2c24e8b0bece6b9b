#include "actors/coordinator.hpp"

#include "wal/log_records.hpp"

#include <algorithm>
#include <chrono>

namespace strata::actors {

std::int64_t wall_clock_us() noexcept {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Coordinator::Coordinator(const boost::asio::any_io_executor& ex, ShardMap& shards, const detail::RunRegistry& runs,
                         WalWriter& wal)
    : ownership_(ex), shards_(shards), target_(shards, runs), wal_(wal) {}

std::int64_t Coordinator::next_timestamp() {
  // Monotonic even if the wall clock steps back, so that version order and
  // timestamp order agree (time-travel reads by timestamp rely on it).
  last_timestamp_us_ = std::max(wall_clock_us(), last_timestamp_us_);
  return last_timestamp_us_;
}

error_code Coordinator::check_writable(std::string& detail) const {
  if (wal_.healthy()) return {};  // the common case takes no lock
  const auto health = wal_.health();
  if (health.ec == errc::database_closed) detail = health.detail;
  else detail = "writes are refused after a failed log write (" + health.detail + "); reopen the database";
  return health.ec;
}

CommitOutcome Coordinator::commit_as_owner(CommitRequest& request) {
  CommitOutcome out;
  if (!conditions_hold(request, out)) return out;
  // A plain commit (KV, state cells) skips staging entirely: it is the hot
  // path of every put.
  const bool staged = !request.json.empty() || !request.events.empty();
  if (staged) {
    staged_patches_.clear();
    staged_changed_.clear();
    staged_events_.clear();
    if (!request.json.empty() && (out.ec = stage_json(request, out))) return out;
    if (request.writes.empty() && request.events.empty() && staged_patches_.empty()) {
      out.nothing_written = true;
      return out;
    }
  } else if (request.writes.empty()) {
    out.nothing_written = true;
    return out;
  }
  const Version version = next_version_++;
  const std::int64_t ts = next_timestamp();
  if (!request.events.empty()) stage_events(request, ts, out);
  commit::CommitEntry entry{version, ts, request.run->id, request.writes, {}, {}};
  if (staged) {
    entry.events = staged_events_;
    entry.patches = staged_patches_;
  }
  // Encode before applying (applying moves the values); apply before
  // appending, so that a record the WAL may publish at once is already in
  // the chains.
  std::string& framed = scratch_;
  framed.clear();
  if (wal_.persistent()) {
    std::string& payload = payload_scratch_;
    payload.clear();
    wal::encode_commit(entry, payload);
    wal::append_record(framed, wal::RecordType::Commit, payload);
  }
  if (auto bad = commit::apply_commit(entry, target_, observers_); !bad.empty()) {
    // Staging resolved every edit against the same newest state, so this
    // cannot happen; refuse further commits rather than log a broken one.
    out.ec = make_error_code(errc::internal);
    out.detail = "commit " + std::to_string(version) + " did not apply: " + bad;
    return out;
  }
  for (std::size_t i = 0; i < staged_changed_.size() && staged; ++i)
    json_changes_.record(version, staged_patches_[i].key, std::move(staged_changed_[i]));
  out.ticket = wal_.append(framed, version);
  if (wal_.acknowledges_inline()) visible_.store(version, std::memory_order_release);
  commits_.fetch_add(1, std::memory_order_relaxed);
  out.version = version;
  return out;
}

WalWriter::Ticket Coordinator::log_as_owner(wal::RecordType type, std::string_view payload) {
  std::string framed;
  wal::append_record(framed, type, payload);
  return wal_.append(framed, 0);
}

void Coordinator::publish(Version v) noexcept { visible_.store(v, std::memory_order_release); }

void Coordinator::restore(Version last, std::int64_t last_timestamp_us) noexcept {
  next_version_ = last + 1;
  last_timestamp_us_ = last_timestamp_us;
  visible_.store(last, std::memory_order_release);
}

}  // namespace strata::actors
