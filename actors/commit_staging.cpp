// Coordinator: staging a commit's JSON edits and event appends, encoding its
// WAL record and installing its writes (the steps of commit_as_owner that
// go beyond plain key writes). Everything here runs as the coordinator's
// owner.
#include "actors/coordinator.hpp"

#include "codec/value_codec.hpp"
#include "events/event_log.hpp"
#include "keys/key_rules.hpp"
#include "runs/run_registry.hpp"

namespace strata::actors {

std::optional<Value> Coordinator::latest_value(const std::string& key) {
  const auto hk = storage::HashedKey::of(key);
  return shards_.for_key(hk).with_owner([&](storage::ShardStore& s) -> std::optional<Value> {
    const auto* chain = s.find(hk);
    const auto* node = chain ? chain->newest() : nullptr;
    if (!node || node->tombstone) return std::nullopt;
    return node->value;
  });
}

bool Coordinator::json_reads_valid(const CommitRequest& request, std::string& detail) {
  for (const JsonRead& r : request.json_reads) {
    const auto hk = storage::HashedKey::of(r.key);
    Version changed_at = shards_.for_key(hk).with_owner([&](storage::ShardStore& s) -> Version {
      const auto* chain = s.find(hk);
      for (auto* n = chain ? chain->newest() : nullptr; n && n->version > request.snapshot; n = n->older.get())
        if (json_changes_.overlaps(n->version, r.key, r.path)) return n->version;
      return 0;
    });
    if (changed_at) {
      detail = "path " + json::format_path(r.path) + " of JSON document " +
               keys::quote_for_message(keys::user_key_of(r.key)) + " was read at version " +
               std::to_string(request.snapshot) + " and an overlapping path changed at version " +
               std::to_string(changed_at) + " by another transaction";
      return false;
    }
  }
  return true;
}

error_code Coordinator::stage_json(CommitRequest& request, CommitOutcome& out) {
  for (JsonIntent& intent : request.json) {
    StagedDocument staged{intent.key, {}, {}};
    wal::LoggedPatch log{intent.key, {}};
    if (auto v = latest_value(intent.key)) staged.doc = {true, std::move(*v)};
    json::PatchResult result;
    std::string detail;
    error_code ec = json::apply_edits(staged.doc, intent.ops, result, &detail);
    if (!ec && staged.doc.exists) ec = codec::check_value_limits(staged.doc.value, &detail);
    if (ec) {
      out.detail = "JSON document " + keys::quote_for_message(keys::user_key_of(intent.key)) + ": " + detail;
      return ec;
    }
    out.json_erased += result.erased;
    if (!result.last_increment.is_null()) out.json_result = result.last_increment;
    if (result.resolved.empty()) continue;  // nothing changed (e.g. erasing a missing path)
    log.edits = std::move(result.resolved);
    staged.changed = std::move(result.changed);
    // Log the path-level edits, or the whole document when that is smaller.
    if (wal_.persistent()) {
      const std::size_t whole = staged.doc.exists ? codec::encoded_size(staged.doc.value) : 0;
      if (whole + 8 < wal::patch_size(log)) {
        log.edits.clear();
        log.edits.push_back({staged.doc.exists ? json::ResolvedEdit::Kind::Set : json::ResolvedEdit::Kind::Erase,
                             json::Path{}, staged.doc.exists ? staged.doc.value : Value()});
      }
    }
    staged_docs_.push_back(std::move(staged));
    staged_logs_.push_back(std::move(log));
  }
  return {};
}

void Coordinator::stage_events(CommitRequest& request, std::int64_t ts, CommitOutcome& out) {
  const auto head_value = latest_value(events::head_key(request.run->id));
  staged_head_ = events::decode_head(head_value ? &*head_value : nullptr);
  out.first_sequence = staged_head_.length + 1;
  for (EventIntent& e : request.events) {
    events::AppendedEvent a{++staged_head_.length, std::move(e.type), std::move(e.payload), {}};
    a.hash = events::chain_hash(staged_head_.last_hash, a.sequence, a.type, a.payload, ts);
    staged_head_.last_hash = a.hash;
    staged_events_.push_back(std::move(a));
  }
}

void Coordinator::encode_record(const CommitRequest& request, Version version, std::int64_t ts, bool staged,
                                std::string& framed) {
  std::string& payload = payload_scratch_;
  payload.clear();
  if (staged) wal::encode_commit(version, ts, request.run->id, request.writes, payload, staged_events_, staged_logs_);
  else wal::encode_commit(version, ts, request.run->id, request.writes, payload);
  wal::append_record(framed, wal::RecordType::Commit, payload);
}

void Coordinator::install_staged(CommitRequest& request, Version version, std::int64_t ts) {
  if (!staged_events_.empty()) {
    std::vector<WriteIntent> writes;
    for (auto& e : staged_events_) events::expand(request.run->id, std::move(e), writes);
    for (auto& w : writes) install(w.key, version, ts, false, std::move(w.value));
    install(events::head_key(request.run->id), version, ts, false, events::encode_head(staged_head_));
  }
  for (auto& d : staged_docs_) {
    json_changes_.record(version, d.key, std::move(d.changed));
    install(d.key, version, ts, !d.doc.exists, std::move(d.doc.value));
  }
}

}  // namespace strata::actors
