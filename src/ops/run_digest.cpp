#include "ops/run_digest.hpp"

#include "codec/value_codec.hpp"
#include "crypto/sha256.hpp"
#include "events/event_log.hpp"
#include "keys/storage_key.hpp"
#include "ops/checks.hpp"
#include "vector/layout.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace strata::ops {

namespace {

using keys::Primitive;

constexpr std::string_view kDomain = "strata-run-digest-v2\n";

/// One framed entry: [section byte][varint length][bytes][varint length][bytes].
class Hasher {
 public:
  Hasher() { sha_.update(kDomain); }
  void entry(Primitive section, std::string_view name, const Value& value) {
    buf_.clear();
    buf_.push_back(static_cast<char>(section));
    codec::put_varint(buf_, name.size());
    buf_.append(name);
    value_.clear();
    codec::encode_value(value, value_);
    codec::put_varint(buf_, value_.size());
    sha_.update(buf_);
    sha_.update(value_);
  }
  std::string finish() { return crypto::to_hex(sha_.finish()); }

 private:
  crypto::Sha256 sha_;
  std::string buf_, value_;  // reused: one entry's framing and encoded value
};

void hash_primitive(const actors::ReadView& view, keys::RunId run, Primitive p, Hasher& h) {
  view.each_live(keys::storage_key(run, p, ""),
                 [&](const std::string& k, const Value& v) { h.entry(p, keys::user_key_of(k), v); });
}

/// Events as content: type and payload by sequence. Their times and hashes
/// say when they were appended, not what the log holds, so a replay (the
/// same events appended later) has the source's digest.
void hash_events(const actors::ReadView& view, keys::RunId run, Hasher& h) {
  view.each_live(keys::storage_key(run, Primitive::Event, ""), [&](const std::string& k, const Value& v) {
    Event ev;
    if (events::decode_event(v, events::sequence_of(k), 0, ev))
      h.entry(Primitive::Event, keys::user_key_of(k), Value::array({Value(std::move(ev.type)), Value(std::move(ev.payload))}));
  });
}

/// A collection's content without its id (ids differ between a run and its
/// replay): name, dimension, metric and options, then its vectors by key.
void hash_vectors(const actors::ReadView& view, keys::RunId run, Hasher& h) {
  std::vector<std::pair<std::string, vector::CollectionRecord>> collections;
  view.each_live(vector::collections_prefix(run), [&](const std::string& k, const Value& v) {
    vector::CollectionRecord r;
    if (vector::decode_record(v, r)) collections.emplace_back(std::string(keys::user_key_of(k)), r);
  });
  for (auto& [name, record] : collections) {  // byte order of names: the scan's
    vector::CollectionRecord without_id = record;
    without_id.id = 0;
    h.entry(Primitive::VectorCollection, name, vector::encode_record(without_id));
    view.each_live(vector::vectors_prefix(run, record.id), [&](const std::string& k, const Value& v) {
      h.entry(Primitive::Vector, vector::user_key_of(k), v);
    });
  }
}

}  // namespace

detail::Outcome<DigestRun::Result> DigestRun::read(detail::Engine& e) const {
  auto run = e.resolve_run(name);
  if (!run) return detail::Outcome<Result>::fail(std::move(run));
  auto version = e.resolve(as_of);
  if (!version) return detail::Outcome<Result>::fail(std::move(version));
  const actors::ReadView view = e.view_as_of(*run.value, as_of, version.value);
  Hasher h;
  hash_primitive(view, run.value->id, Primitive::Kv, h);
  hash_events(view, run.value->id, h);
  for (Primitive p : {Primitive::State, Primitive::Json}) hash_primitive(view, run.value->id, p, h);
  hash_vectors(view, run.value->id, h);
  return RunDigest{h.finish(), version.value};
}

}  // namespace strata::ops
