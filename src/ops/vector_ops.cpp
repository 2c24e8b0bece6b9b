#include "ops/vector_ops.hpp"

#include "keys/key_rules.hpp"
#include "ops/checks.hpp"
#include "vector/filter.hpp"
#include "vector_store/vector_store.hpp"

namespace strata::ops {

using detail::Outcome;

namespace {

/// The condition every vector write carries: the collection is still the
/// one this operation read.
commit::Expectation same_collection(const detail::RunState& run, std::string_view name, const FoundCollection& c) {
  return {vector::collection_key(run.id, name), commit::Expectation::Kind::VersionIs, c.record_version,
          errc::collection_not_found,
          "collection " + keys::quote_for_message(name) + " was dropped or replaced while the write was being prepared"};
}

template <class T>
bool collection_ok(std::string_view name, Outcome<T>& o) {
  o.ec = vector::check_collection_name(name, &o.detail);
  return !o.ec;
}

CollectionInfo info_of(detail::Engine& e, const detail::RunState& run, std::string_view name,
                       const vector::CollectionRecord& r, Version snapshot) {
  const auto st = e.vectors().stats(run, r, snapshot);
  return {std::string(name), r.dimension, r.metric, r.options, st.count, st.graph ? "hnsw" : "exact", st.memory_bytes};
}

}  // namespace

Outcome<FoundCollection> find_collection(const actors::ReadView& view, std::string_view name) {
  Outcome<FoundCollection> o;
  if (!collection_ok(name, o)) return o;
  auto stored = view.get_versioned(vector::collection_key(view.run().id, name));
  if (!stored || !vector::decode_record(stored->value, o.value.record))
    return detail::fail<FoundCollection>(errc::collection_not_found, "collection " + keys::quote_for_message(name) + " does not exist in run " +
                                                                         keys::quote_for_message(view.run().name()));
  o.value.record_version = stored->version;
  return o;
}

std::vector<VectorView> views_of(std::span<const VectorRecord> records) {
  std::vector<VectorView> out;
  out.reserve(records.size());
  for (const VectorRecord& r : records) out.push_back({r.key, r.vector, &r.metadata});
  return out;
}

namespace {

error_code check_record(const VectorView& r, const FoundCollection& c, std::string_view collection,
                        std::string* detail) {
  if (auto ec = keys::check_user_key(r.key, detail)) return ec;
  if (auto ec = vector::check_vector(r.vector, c.record.dimension, collection, detail)) {
    if (detail) *detail = "vector " + keys::quote_for_message(r.key) + ": " + *detail;
    return ec;
  }
  if (*r.metadata)
    if (auto ec = codec::check_value_limits(**r.metadata, detail)) {
      if (detail) *detail = "metadata of vector " + keys::quote_for_message(r.key) + ": " + *detail;
      return ec;
    }
  return {};
}

}  // namespace

error_code check_records(std::span<const VectorView> records, const FoundCollection& c, std::string_view collection,
                         std::string* detail) {
  if (records.empty()) {
    if (detail) *detail = "no vectors to upsert";
    return make_error_code(errc::invalid_input);
  }
  for (const VectorView& r : records)  // a detail names the record's key
    if (auto ec = check_record(r, c, collection, detail)) return ec;
  return {};
}

Outcome<commit::PreparedCommit> VectorCreate::prepare(detail::Engine& e) {
  Outcome<commit::PreparedCommit> o;
  if (!collection_ok(name, o) || (o.ec = vector::check_dimension(dimension, &o.detail)) ||
      (o.ec = vector::check_options(options, &o.detail)) || !usable(e, *run, o))
    return o;
  vector::CollectionRecord record{e.vectors().next_id(), dimension, metric, options};
  std::string key = vector::collection_key(run->id, name);
  o.value.run = run.get();
  o.value.expectations.push_back({key, commit::Expectation::Kind::Absent, 0, errc::collection_exists,
                                  "collection " + keys::quote_for_message(name) + " already exists in run " + keys::quote_for_message(run->name())});
  o.value.writes.push_back({std::move(key), false, vector::encode_record(record)});
  return o;
}

Outcome<commit::PreparedCommit> VectorDrop::prepare(detail::Engine& e) {
  Outcome<commit::PreparedCommit> o;
  if (!collection_ok(name, o) || !usable(e, *run, o)) return o;
  std::string key = vector::collection_key(run->id, name);
  o.value.run = run.get();
  o.value.expectations.push_back({key, commit::Expectation::Kind::Live, 0, errc::collection_not_found,
                                  "collection " + keys::quote_for_message(name) + " does not exist in run " + keys::quote_for_message(run->name())});
  o.value.writes.push_back({std::move(key), true, Value()});
  return o;
}

Outcome<commit::PreparedCommit> VectorUpsert::prepare(detail::Engine& e) {
  Outcome<commit::PreparedCommit> o;
  if (!usable(e, *run, o)) return o;
  auto found = find_collection(e.view(*run), collection);
  if (!found) return Outcome<commit::PreparedCommit>::fail(std::move(found));
  if ((o.ec = check_records(records, found.value, collection, &o.detail))) return o;
  o.value.run = run.get();
  o.value.expectations.push_back(same_collection(*run, collection, found.value));
  o.value.writes.reserve(records.size());
  for (const VectorView& r : records)
    o.value.writes.push_back({vector::vector_key(run->id, found.value.record.id, r.key), false,
                              vector::encode_entry(r.vector, *r.metadata)});
  return o;
}

Outcome<commit::PreparedCommit> VectorDelete::prepare(detail::Engine& e) {
  Outcome<commit::PreparedCommit> o;
  if (!key_ok(key, o) || !usable(e, *run, o)) return o;
  auto found = find_collection(e.view(*run), collection);
  if (!found) return Outcome<commit::PreparedCommit>::fail(std::move(found));
  std::string skey = vector::vector_key(run->id, found.value.record.id, key);
  o.value.run = run.get();
  o.value.expectations.push_back(same_collection(*run, collection, found.value));
  o.value.expectations.push_back({skey, commit::Expectation::Kind::Live, 0});
  o.value.writes.push_back({std::move(skey), true, Value()});
  return o;
}

std::optional<VectorEntry> vector_entry_at(const actors::ReadView& view, std::string_view storage_key) {
  auto stored = view.get_versioned(storage_key);
  if (!stored) return std::nullopt;
  VectorEntry entry{vector::decode_floats(stored->value), std::nullopt, stored->version, stored->timestamp_us};
  if (const Value* m = vector::metadata_of(stored->value)) entry.metadata = *m;
  return entry;
}

Outcome<VectorGet::Result> VectorGet::read(detail::Engine& e) const {
  Outcome<Result> o;
  std::optional<actors::ReadView> at;
  if (!key_ok(key, o) || !usable(e, *run, o) || !view_at(e, *run, as_of, at, o)) return o;
  const auto& view = *at;
  auto found = find_collection(view, collection);
  if (!found) return Outcome<Result>::fail(std::move(found));
  o.value = vector_entry_at(view, vector::vector_key(run->id, found.value.record.id, key));
  return o;
}

Outcome<VectorSearch::Result> VectorSearch::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (!usable(e, *run, o) || (o.ec = vector::check_k(k, &o.detail))) return o;
  vector::Filter filter;
  if (options.filter && (o.ec = vector::Filter::compile(*options.filter, filter, &o.detail))) return o;
  std::optional<actors::ReadView> at;
  if (!view_at(e, *run, options.as_of, at, o)) return o;
  const auto& view = *at;
  auto found = find_collection(view, collection);
  if (!found) return Outcome<Result>::fail(std::move(found));
  const auto& record = found.value.record;
  if ((o.ec = vector::check_vector(query, record.dimension, collection, &o.detail))) {
    o.detail = "query: " + o.detail;
    return o;
  }
  if (options.ef && (*options.ef < 1 || *options.ef > kMaxSearchK))
    return detail::fail<Result>(errc::invalid_input, "ef = " + std::to_string(*options.ef) + " is outside 1-10000");
  vector_store::VectorStore::SearchRequest req{run.get(), record, std::vector<float>(query.begin(), query.end()), k,
                                               &filter, view.snapshot(), options.exact,
                                               options.ef.value_or(record.options.ef_search)};
  if (record.metric == Metric::Cosine) vector::normalize(req.query.data(), req.query.size());
  o.value = e.vectors().search(req);
  return o;
}

Outcome<VectorInfo::Result> VectorInfo::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (!usable(e, *run, o)) return o;
  const auto view = e.view(*run);
  auto found = find_collection(view, collection);
  if (!found) return Outcome<Result>::fail(std::move(found));
  o.value = info_of(e, *run, collection, found.value.record, view.snapshot());
  return o;
}

Outcome<VectorList::Result> VectorList::read(detail::Engine& e) const {
  Outcome<Result> o;
  if (!usable(e, *run, o)) return o;
  const auto view = e.view(*run);
  const std::string prefix = vector::collections_prefix(run->id);
  view.each_live(prefix, [&](const std::string& key, const Value& stored) {
    vector::CollectionRecord r;
    if (vector::decode_record(stored, r)) o.value.push_back(info_of(e, *run, keys::user_key_of(key), r, view.snapshot()));
  });
  return o;
}

}  // namespace strata::ops
