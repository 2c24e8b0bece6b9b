#include "ops/kv_ops.hpp"

#include "keys/storage_key.hpp"
#include "ops/checks.hpp"
#include "ops/listing.hpp"

namespace strata::ops {

using detail::Outcome;
using commit::PreparedCommit;

namespace {
std::string kv_key(const detail::RunState& run, std::string_view key) {
  return keys::storage_key(run.id, keys::Primitive::Kv, key);
}
}  // namespace

Outcome<PreparedCommit> KvPut::prepare(detail::Engine& e) {
  Outcome<PreparedCommit> o;
  std::uint64_t ttl_ms = 0;
  if (!key_ok(key, o) || !value_ok(value, "value for key", key, o) || !ttl_ok(options, ttl_ms, o) ||
      !usable(e, *run, o))
    return o;
  o.value.run = run.get();
  o.value.writes.push_back({kv_key(*run, key), false, std::move(value), ttl_ms});
  return o;
}

Outcome<std::string> KvGet::point(detail::Engine& e) const {
  Outcome<std::string> o;
  if (key_ok(key, o) && usable(e, *run, o)) o.value = kv_key(*run, key);
  return o;
}

Outcome<PreparedCommit> KvDelete::prepare(detail::Engine& e) {
  Outcome<PreparedCommit> o;
  if (!key_ok(key, o) || !usable(e, *run, o)) return o;
  std::string skey = kv_key(*run, key);
  o.value.run = run.get();
  o.value.expectations.push_back({skey, commit::Expectation::Kind::Live, 0});
  o.value.writes.push_back({std::move(skey), true, Value{}});
  return o;
}

Outcome<KvList::Result> KvList::read(detail::Engine& e) const {
  Outcome<Result> o;
  std::optional<actors::ReadView> view;
  if (!usable(e, *run, o) || !view_at(e, *run, as_of, view, o)) return o;
  return list_page(*view, keys::Primitive::Kv, prefix, page);
}

}  // namespace strata::ops
