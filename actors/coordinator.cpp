#include "actors/coordinator.hpp"

#include "keys/key_rules.hpp"
#include "runs/run_registry.hpp"
#include "wal/log_records.hpp"
#include "wal/record_format.hpp"

#include <algorithm>
#include <chrono>

namespace strata::actors {

std::int64_t wall_clock_us() noexcept {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Coordinator::Coordinator(const boost::asio::any_io_executor& ex, ShardMap& shards, WalWriter& wal)
    : mailbox_(ex), shards_(shards), wal_(wal) {}

std::int64_t Coordinator::next_timestamp() {
  // Monotonic even if the wall clock steps back, so that version order and
  // timestamp order agree (time-travel reads by timestamp rely on it).
  last_timestamp_us_ = std::max(wall_clock_us(), last_timestamp_us_);
  return last_timestamp_us_;
}

error_code Coordinator::check_writable(std::string& detail) const {
  if (wal_.healthy()) return {};  // the common case takes no lock
  const auto health = wal_.health();
  detail = "writes are refused after a failed log write (" + health.detail + "); reopen the database";
  return health.ec;
}

bool Coordinator::read_set_valid(const CommitRequest& request, std::string& detail) {
  for (const std::string& key : request.reads) {
    const auto hk = storage::HashedKey::of(key);
    Version latest = shards_.for_key(hk).with_owner([&](storage::ShardStore& s) {
      const auto* chain = s.find(hk);
      return chain ? chain->latest_version() : Version{0};
    });
    if (latest > request.snapshot) {
      detail = "key " + keys::quote_for_message(keys::user_key_of(key)) + " was read at version " +
               std::to_string(request.snapshot) + " and changed at version " + std::to_string(latest) +
               " by another transaction";
      return false;
    }
  }
  return true;
}

bool Coordinator::expectations_hold(const CommitRequest& request, CommitOutcome& out) {
  for (const Expectation& e : request.expectations) {
    const auto hk = storage::HashedKey::of(e.key);
    auto [live, latest] = shards_.for_key(hk).with_owner([&](storage::ShardStore& s) {
      const auto* chain = s.find(hk);
      return std::pair(chain && chain->latest_is_live(), chain ? chain->latest_version() : Version{0});
    });
    bool holds = false;
    switch (e.kind) {
      case Expectation::Kind::Live: holds = live; break;
      case Expectation::Kind::Absent: holds = !live; break;
      case Expectation::Kind::VersionIs: holds = live && latest == e.version; break;
    }
    if (!holds) {
      out.expectation_failed = true;
      out.existing_version = live ? latest : 0;
      return false;
    }
  }
  return true;
}

CommitOutcome Coordinator::commit_as_owner(CommitRequest& request) {
  CommitOutcome out;
  if (!request.run->alive.load(std::memory_order_acquire)) {
    out.ec = make_error_code(errc::run_not_found);
    out.detail = "run \"" + request.run->name() + "\" was deleted";
    return out;
  }
  if ((out.ec = check_writable(out.detail))) return out;
  if ((!request.reads.empty() && !read_set_valid(request, out.detail)) ||
      (!request.json_reads.empty() && !json_reads_valid(request, out.detail))) {
    conflicts_.fetch_add(1, std::memory_order_relaxed);
    out.ec = make_error_code(errc::transaction_conflict);
    return out;
  }
  if (!request.expectations.empty() && !expectations_hold(request, out)) return out;
  // A plain commit (KV, state cells) skips staging entirely: it is the hot
  // path of every put.
  const bool staged = !request.json.empty() || !request.events.empty();
  if (staged) {
    staged_docs_.clear();
    staged_logs_.clear();
    staged_events_.clear();
    if (!request.json.empty() && (out.ec = stage_json(request, out))) return out;
    if (request.writes.empty() && request.events.empty() && staged_docs_.empty()) {
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
  // Encode before installing (installing moves the values); install before
  // appending, so that a record the WAL may publish at once is already in
  // the chains.
  std::string& framed = scratch_;
  framed.clear();
  if (wal_.persistent()) encode_record(request, version, ts, staged, framed);
  for (WriteIntent& w : request.writes) install(w.key, version, ts, w.tombstone, std::move(w.value));
  if (staged) install_staged(request, version, ts);
  out.ticket = wal_.append(framed, version);
  if (wal_.acknowledges_inline()) visible_.store(version, std::memory_order_release);
  commits_.fetch_add(1, std::memory_order_relaxed);
  out.version = version;
  return out;
}

CommitOutcome Coordinator::commit(CommitRequest& request) {
  CommitOutcome out = mailbox_.with_owner([&] { return commit_as_owner(request); });
  if (!out.ec && out.version && !wal_.acknowledges_inline()) {
    if (auto st = wal_.wait(out.ticket); !st) {
      out.ec = st.ec;
      out.detail = st.detail;
    }
  }
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
