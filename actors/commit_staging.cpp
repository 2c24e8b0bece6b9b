// Coordinator: staging a commit's JSON edits and event appends (the steps of
// commit_as_owner that go beyond plain key writes). Everything here runs as
// the coordinator's owner, against the newest state.
#include "actors/coordinator.hpp"

#include "actors/read_view.hpp"
#include "codec/value_codec.hpp"
#include "events/event_log.hpp"
#include "keys/key_rules.hpp"
#include "wal/log_records.hpp"

namespace strata::actors {

error_code Coordinator::stage_json(CommitRequest& request, CommitOutcome& out) {
  const ReadView newest(shards_, *request.run, ReadView::kNewest);
  for (JsonIntent& intent : request.json) {
    json::Document doc;
    if (auto v = newest.get(intent.key)) doc = {true, std::move(*v)};
    json::PatchResult result;
    std::string detail;
    error_code ec = json::apply_edits(doc, intent.ops, result, &detail);
    // The stored document and the edit's values were checked already: only
    // the result's depth and size can break a rule now.
    if (!ec && doc.exists) ec = codec::check_value_shape(doc.value, &detail);
    if (ec) {
      out.detail = "JSON document " + keys::quote_for_message(keys::user_key_of(intent.key)) + ": " + detail;
      return ec;
    }
    out.json_erased += result.erased;
    if (!result.last_increment.is_null()) out.json_result = result.last_increment;
    if (result.resolved.empty()) continue;  // nothing changed (e.g. erasing a missing path)
    commit::JsonPatch patch{intent.key, std::move(result.resolved), std::nullopt};
    // Log the path-level edits, or the whole document when that is smaller.
    if (wal_.persistent()) {
      const std::size_t whole = doc.exists ? codec::encoded_size(doc.value) : 0;
      if (whole + 8 < wal::patch_size(patch)) {
        patch.edits.clear();
        patch.edits.push_back({doc.exists ? json::ResolvedEdit::Kind::Set : json::ResolvedEdit::Kind::Erase,
                               json::Path{}, doc.exists ? doc.value : Value()});
      }
    }
    patch.result = std::move(doc);
    staged_patches_.push_back(std::move(patch));
    staged_changed_.push_back(std::move(result.changed));
  }
  return {};
}

void Coordinator::stage_events(CommitRequest& request, std::int64_t ts, CommitOutcome& out) {
  const auto head_value = ReadView(shards_, *request.run, ReadView::kNewest).get(events::head_key(request.run->id));
  events::Head head = events::decode_head(head_value ? &*head_value : nullptr);
  out.first_sequence = head.length + 1;
  for (EventIntent& e : request.events) {
    commit::AppendedEvent a{++head.length, std::move(e.type), std::move(e.payload), {}};
    a.hash = events::chain_hash(head.last_hash, a.sequence, a.type, a.payload, ts);
    head.last_hash = a.hash;
    staged_events_.push_back(std::move(a));
  }
}

}  // namespace strata::actors
