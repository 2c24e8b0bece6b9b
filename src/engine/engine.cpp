#include "engine/engine.hpp"

#include "codec/value_codec.hpp"
#include "keys/key_rules.hpp"
#include "keys/storage_key.hpp"
#include "actors/group_commit_wal.hpp"
#include "wal/log_records.hpp"
#include "txn/txn_state.hpp"

#include <algorithm>
#include <limits>
#include <thread>

namespace strata::detail {

namespace {

std::size_t default_parallelism() {
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

template <class T>
Outcome<T> fail(errc e, std::string detail) {
  return Outcome<T>::fail(make_error_code(e), std::move(detail));
}

/// Validates a user key; on error fills o and returns false.
template <class T>
bool key_ok(std::string_view key, Outcome<T>& o) {
  o.ec = keys::check_user_key(key, &o.detail);
  return !o.ec;
}

template <class T>
bool value_ok(const Value& v, std::string_view key, Outcome<T>& o) {
  o.ec = codec::check_value_limits(v, &o.detail);
  if (o.ec) o.detail = "value for key " + keys::quote_for_message(key) + ": " + o.detail;
  return !o.ec;
}

}  // namespace

error_code Engine::usable(const RunState& run, std::string& detail) const {
  if (auto ec = check_open(detail)) return ec;
  if (run.alive.load(std::memory_order_acquire)) return {};
  detail = "run \"" + run.name() + "\" was deleted";
  return make_error_code(errc::run_not_found);
}

Engine::Engine(Options options) : options_(std::move(options)) {}

Outcome<std::shared_ptr<Engine>> Engine::open(Options options) {
  using R = std::shared_ptr<Engine>;
  const bool has_path = !options.path.empty();
  const Durability mode = options.durability.value_or(has_path ? Durability::Buffered : Durability::InMemory);
  if (mode == Durability::InMemory && has_path)
    return fail<R>(errc::invalid_input, "an InMemory database writes no files; open it without a path, or choose "
                                        "Buffered or Strict durability for " + options.path.string());
  if (mode != Durability::InMemory && !has_path)
    return fail<R>(errc::invalid_input, "Buffered and Strict durability need a directory (Options::path)");
  options.durability = mode;
  std::shared_ptr<Engine> e(new Engine(std::move(options)));
  Options& o = e->options_;
  if (o.executor) {
    e->executor_ = *o.executor;
  } else {
    e->pool_ = std::make_unique<boost::asio::thread_pool>(o.threads ? o.threads : default_parallelism());
    e->executor_ = e->pool_->get_executor();
  }
  e->shards_ = std::make_unique<actors::ShardMap>(e->executor_, o.shards ? o.shards : default_parallelism());
  e->opened_us_ = actors::wall_clock_us();
  e->runs_ = std::make_unique<RunRegistry>(e->opened_us_);
  if (mode == Durability::InMemory) {
    e->wal_ = std::make_unique<actors::NullWalWriter>();
    e->coordinator_ = std::make_unique<actors::Coordinator>(e->executor_, *e->shards_, *e->wal_);
  } else if (auto st = e->open_storage(); !st) {
    e->close();
    return Outcome<R>::fail(st.ec, st.detail);
  }
  return e;
}

Engine::~Engine() { close(); }

void Engine::close() {
  if (closed_.exchange(true, std::memory_order_acq_rel)) return;
  if (pool_) {
    if (pool_->get_executor().running_in_this_thread()) {
      // The last reference went away inside one of our own handlers: a pool
      // cannot join itself, so a helper thread waits for it to drain.
      std::thread([pool = std::move(pool_)] { pool->join(); }).detach();
    } else {
      pool_->join();
    }
  }
  if (auto_compactor_.joinable()) auto_compactor_.join();
  if (auto* w = dynamic_cast<actors::GroupCommitWal*>(wal_.get())) w->stop();
  lock_.release();
}

error_code Engine::check_open(std::string& detail) const {
  if (!closed()) return {};
  detail = "the database is closed";
  return make_error_code(errc::database_closed);
}

// ---- runs --------------------------------------------------------------------

Outcome<RunRef> Engine::resolve_run(std::string_view name) const {
  Outcome<RunRef> o;
  if ((o.ec = check_open(o.detail))) return o;
  if ((o.ec = keys::check_run_name(name, &o.detail))) return o;
  o.value = runs_->find(name);
  if (!o.value) return fail<RunRef>(errc::run_not_found, "run " + keys::quote_for_message(name) + " does not exist");
  return o;
}

io::IoStatus Engine::await_log(actors::WalWriter::Ticket t) { return wal_->wait(t); }

template <class Fn>
Outcome<RunRef> Engine::logged_run_change(Fn&& change) {
  Outcome<RunRef> o;
  actors::WalWriter::Ticket ticket = 0;
  coordinator_->exclusive([&] {
    if ((o.ec = coordinator_->check_writable(o.detail))) return;
    std::string payload;
    wal::RecordType type{};
    o = change(payload, type);
    if (!o.ec && wal_->persistent()) ticket = coordinator_->log_as_owner(type, payload);
  });
  if (!o.ec && ticket) {
    if (t_deferred_log_wait) {
      *t_deferred_log_wait = ticket;  // the async driver waits without blocking
      return o;
    }
    if (auto st = await_log(ticket); !st) return Outcome<RunRef>::fail(st.ec, st.detail);
  }
  return o;
}

Outcome<RunInfo> Engine::create_run(std::string_view name, Object metadata) {
  Outcome<RunInfo> o;
  if ((o.ec = check_open(o.detail)) || (o.ec = keys::check_run_name(name, &o.detail))) return o;
  auto r = logged_run_change([&](std::string& payload, wal::RecordType& type) -> Outcome<RunRef> {
    error_code ec;
    RunRef run = runs_->create(name, std::move(metadata), actors::wall_clock_us(), ec);
    if (ec) return Outcome<RunRef>::fail(ec, "run " + keys::quote_for_message(name) + " already exists");
    wal::encode_run_create(run->id, run->info(), payload);
    type = wal::RecordType::RunCreate;
    return run;
  });
  if (!r) return Outcome<RunInfo>::fail(r.ec, std::move(r.detail));
  return r.value->info();
}

Outcome<std::size_t> Engine::delete_run(std::string_view name) {
  Outcome<std::size_t> o;
  if ((o.ec = check_open(o.detail)) || (o.ec = keys::check_run_name(name, &o.detail))) return o;
  if (name == "default") return fail<std::size_t>(errc::run_is_default, "the \"default\" run cannot be deleted");
  // As the coordinator's owner no commit is in flight, and every later
  // commit to this run sees alive == false and fails.
  auto r = logged_run_change([&](std::string& payload, wal::RecordType& type) -> Outcome<RunRef> {
    RunRef run = runs_->remove(name);
    if (!run) return fail<RunRef>(errc::run_not_found, "run " + keys::quote_for_message(name) + " does not exist");
    run->alive.store(false, std::memory_order_release);
    wal::encode_run_delete(run->id, payload);
    type = wal::RecordType::RunDelete;
    return run;
  });
  if (!r) return Outcome<std::size_t>::fail(r.ec, std::move(r.detail));
  o.value = erase_run_data(r.value->id);
  return o;
}

std::size_t Engine::erase_run_data(keys::RunId id) {
  // Free the data in bounded chunks so no shard is held for long.
  const std::string prefix = keys::run_prefix(id);
  std::size_t removed = 0;
  for (std::size_t i = 0; i < shards_->size(); ++i) {
    while (std::size_t n = (*shards_)[i].with_owner([&](auto& s) { return s.erase_prefix(prefix, 4096); }))
      removed += n;
  }
  return removed;
}

Outcome<std::vector<RunInfo>> Engine::list_runs() const {
  Outcome<std::vector<RunInfo>> o;
  if ((o.ec = check_open(o.detail))) return o;
  o.value = runs_->list();
  return o;
}

Outcome<RunInfo> Engine::run_info(std::string_view name) const {
  auto run = resolve_run(name);
  if (!run) return Outcome<RunInfo>::fail(run.ec, std::move(run.detail));
  return run.value->info();
}

Outcome<bool> Engine::run_exists(std::string_view name) const {
  Outcome<bool> o;
  if ((o.ec = check_open(o.detail)) || (o.ec = keys::check_run_name(name, &o.detail))) return o;
  o.value = runs_->find(name) != nullptr;
  return o;
}

Outcome<RunInfo> Engine::update_run(std::string_view name, std::optional<RunStatus> status,
                                    std::optional<Object> metadata) {
  auto found = resolve_run(name);
  if (!found) return Outcome<RunInfo>::fail(found.ec, std::move(found.detail));
  RunInfo info;
  auto r = logged_run_change([&](std::string& payload, wal::RecordType& type) -> Outcome<RunRef> {
    if (!found.value->alive.load(std::memory_order_acquire))
      return fail<RunRef>(errc::run_not_found, "run " + keys::quote_for_message(name) + " was deleted");
    info = found.value->update(status, std::move(metadata));
    wal::encode_run_update(found.value->id, info, payload);
    type = wal::RecordType::RunUpdate;
    return found.value;
  });
  if (!r) return Outcome<RunInfo>::fail(r.ec, std::move(r.detail));
  return info;
}

// ---- snapshot reads ------------------------------------------------------------

Engine::Read Engine::read_at(std::string_view storage_key, Version snapshot) {
  const auto hk = storage::HashedKey::of(storage_key);
  return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) {
    Read r;
    const auto* chain = s.find(hk);
    const auto* node = chain ? chain->at(snapshot) : nullptr;
    if (node && !node->tombstone) {
      r.found = true;
      r.value = node->value;
    }
    return r;
  });
}

std::optional<VersionedValue> Engine::read_versioned_at(std::string_view storage_key, Version snapshot) {
  const auto hk = storage::HashedKey::of(storage_key);
  return shards_->for_key(hk).with_owner([&](storage::ShardStore& s) -> std::optional<VersionedValue> {
    const auto* chain = s.find(hk);
    const auto* node = chain ? chain->at(snapshot) : nullptr;
    if (!node || node->tombstone) return std::nullopt;
    return VersionedValue{node->value, node->version, node->timestamp_us, false};
  });
}

std::vector<std::string> Engine::list_at(std::string_view prefix, std::string_view from, Version snapshot,
                                         std::size_t limit) {
  std::vector<std::string> merged;
  for (std::size_t i = 0; i < shards_->size(); ++i) {
    std::size_t taken = 0;
    (*shards_)[i].with_owner([&](storage::ShardStore& s) {
      s.scan(prefix, from, [&](const mvcc::VersionChain& c) {
        const auto* node = c.at(snapshot);
        if (node && !node->tombstone) {
          merged.emplace_back(c.key());
          ++taken;
        }
        return taken < limit;
      });
    });
  }
  std::sort(merged.begin(), merged.end());
  if (merged.size() > limit) merged.resize(limit);
  return merged;
}

// ---- kv --------------------------------------------------------------------------

Outcome<Version> Engine::kv_put(const RunState& run, std::string_view key, Value value) {
  Outcome<Version> o;
  if (!key_ok(key, o) || !value_ok(value, key, o) || (o.ec = usable(run, o.detail))) return o;
  actors::WriteIntent write{keys::storage_key(run.id, keys::Primitive::Kv, key), false, std::move(value)};
  actors::CommitRequest req;
  req.run = &run;
  req.writes = std::span(&write, 1);
  auto c = coordinator_->commit(req);
  if (c.ec) return Outcome<Version>::fail(c.ec, std::move(c.detail));
  o.value = c.version;
  maybe_auto_compact();
  return o;
}

actors::CommitOutcome Engine::commit_auto(AutoCommit& c) {
  auto req = c.request();
  return coordinator_->commit(req);
}

void Engine::commit_auto_async(AutoCommit commit, Completion<actors::CommitOutcome> done) {
  // Through the coordinator's mailbox: inline when it is free, else queued
  // on its strand; in Strict mode the result comes from the WAL's I/O thread
  // after the covering fdatasync. The caller's thread never waits.
  coordinator_->run_or_post([this, c = std::move(commit), done = std::move(done)]() mutable {
    auto req = c.request();
    auto out = coordinator_->commit_as_owner(req);
    if (out.ec || !out.version || wal_->acknowledges_inline()) return done({}, std::move(out));
    auto shared = std::make_shared<Completion<actors::CommitOutcome>>(std::move(done));
    wal_->when_acknowledged(out.ticket, [shared, out](error_code ec) mutable {
      if (ec) out.ec = ec;
      (*shared)({}, std::move(out));
    });
  });
  maybe_auto_compact();
}

void Engine::submit_auto_commit(RunRef run, actors::WriteIntent write, bool expect_live,
                                Completion<actors::CommitOutcome> done) {
  AutoCommit c;
  c.run = run.get();
  c.keep_alive = std::move(run);
  if (expect_live) c.expectations.push_back({write.key, actors::Expectation::Kind::Live, 0});
  c.writes.push_back(std::move(write));
  commit_auto_async(std::move(c), std::move(done));
}

void Engine::kv_put_async(RunRef run, std::string_view key, Value value, Completion<Version> completion) {
  Outcome<Version> o;
  if (!key_ok(key, o) || !value_ok(value, key, o) || (o.ec = usable(*run, o.detail))) return completion(o.ec, 0);
  actors::WriteIntent write{keys::storage_key(run->id, keys::Primitive::Kv, key), false, std::move(value)};
  submit_auto_commit(std::move(run), std::move(write), false,
                     Completion<actors::CommitOutcome>([c = std::move(completion)](error_code, actors::CommitOutcome out) mutable {
                       c(out.ec, out.version);
                     }));
}

void Engine::kv_delete_async(RunRef run, std::string_view key, Completion<bool> completion) {
  Outcome<bool> o;
  if (!key_ok(key, o) || (o.ec = usable(*run, o.detail))) return completion(o.ec, false);
  actors::WriteIntent tomb{keys::storage_key(run->id, keys::Primitive::Kv, key), true, Value{}};
  submit_auto_commit(std::move(run), std::move(tomb), true,
                     Completion<actors::CommitOutcome>([c = std::move(completion)](error_code, actors::CommitOutcome out) mutable {
                       c(out.ec, !out.ec && !out.expectation_failed);
                     }));
}

Outcome<std::optional<Value>> Engine::kv_get(const RunState& run, std::string_view key) {
  Outcome<std::optional<Value>> o;
  if (!key_ok(key, o) || (o.ec = usable(run, o.detail))) return o;
  Read r = read_at(keys::storage_key(run.id, keys::Primitive::Kv, key), coordinator_->visible());
  if (r.found) o.value = std::move(r.value);
  return o;
}

void Engine::kv_get_async(const RunState& run, std::string_view key, Completion<std::optional<Value>> completion) {
  Outcome<std::optional<Value>> o;
  if (!key_ok(key, o) || (o.ec = usable(run, o.detail))) return completion(o.ec, std::nullopt);
  std::string skey = keys::storage_key(run.id, keys::Primitive::Kv, key);
  const Version snapshot = coordinator_->visible();
  const std::size_t hash = storage::HashedKey::of(skey).hash;
  auto& shard = shards_->for_key({skey, hash});
  shard.run_or_post([skey = std::move(skey), hash, snapshot, c = std::move(completion)](storage::ShardStore& s) mutable {
    const auto* chain = s.find({skey, hash});
    const auto* node = chain ? chain->at(snapshot) : nullptr;
    c({}, node && !node->tombstone ? std::optional<Value>(node->value) : std::nullopt);
  });
}

Outcome<bool> Engine::kv_delete(const RunState& run, std::string_view key) {
  Outcome<bool> o;
  if (!key_ok(key, o) || (o.ec = usable(run, o.detail))) return o;
  std::string skey = keys::storage_key(run.id, keys::Primitive::Kv, key);
  actors::Expectation live{skey, actors::Expectation::Kind::Live};
  actors::WriteIntent tomb{std::move(skey), true, Value{}};
  actors::CommitRequest req;
  req.run = &run;
  req.expectations = std::span(&live, 1);
  req.writes = std::span(&tomb, 1);
  auto c = coordinator_->commit(req);
  if (c.ec) return Outcome<bool>::fail(c.ec, std::move(c.detail));
  o.value = !c.expectation_failed;
  if (o.value) maybe_auto_compact();
  return o;
}

Outcome<KeyPage> Engine::kv_list(const RunState& run, std::string_view prefix, const PageRequest& page) {
  return list_page(run, keys::Primitive::Kv, prefix, page, coordinator_->visible());
}

Outcome<KeyPage> Engine::list_page(const RunState& run, keys::Primitive primitive, std::string_view prefix,
                                   const PageRequest& page, Version snapshot) {
  Outcome<KeyPage> o;
  if ((o.ec = usable(run, o.detail))) return o;
  std::string from;
  if ((o.ec = keys::list_start(run.id, primitive, prefix, page, from, &o.detail))) return o;
  const std::string sprefix = keys::storage_key(run.id, primitive, prefix);
  const std::size_t limit = page.limit.value_or(std::numeric_limits<std::size_t>::max() - 1);
  auto keys_found = list_at(sprefix, from, snapshot, limit + 1);
  const bool more = keys_found.size() > limit;
  if (more) keys_found.resize(limit);
  o.value.keys.reserve(keys_found.size());
  for (auto& k : keys_found) o.value.keys.emplace_back(keys::user_key_of(k));
  if (more) o.value.next_cursor = keys::make_cursor(run.id, o.value.keys.back());
  return o;
}

Outcome<std::vector<VersionedValue>> Engine::kv_history(const RunState& run, std::string_view key) {
  Outcome<std::vector<VersionedValue>> o;
  if (!key_ok(key, o) || (o.ec = usable(run, o.detail))) return o;
  const std::string skey = keys::storage_key(run.id, keys::Primitive::Kv, key);
  const Version snapshot = coordinator_->visible();
  const auto hk = storage::HashedKey::of(skey);
  shards_->for_key(hk).with_owner([&](storage::ShardStore& s) {
    const auto* chain = s.find(hk);
    for (const auto* n = chain ? chain->at(snapshot) : nullptr; n; n = n->older.get())
      o.value.push_back(VersionedValue{n->value, n->version, n->timestamp_us, n->tombstone});
  });
  return o;
}

// ---- database ------------------------------------------------------------------------

DatabaseInfo Engine::info() {
  static constexpr const char* kModes[] = {"inmemory", "buffered", "strict"};
  DatabaseInfo i;
  i.version = "0.1.0";
  i.durability = kModes[static_cast<int>(*options_.durability)];
  i.path = options_.path.string();
  i.uptime_us = actors::wall_clock_us() - opened_us_;
  i.shards = shards_->size();
  i.threads = pool_ ? (options_.threads ? options_.threads : default_parallelism()) : 0;
  i.runs = runs_->size();
  std::uint64_t kv = 0;
  for (std::size_t s = 0; s < shards_->size(); ++s)
    kv += (*shards_)[s].with_owner([](auto& st) { return st.live_keys(keys::Primitive::Kv); });
  i.keys["kv"] = kv;
  for (auto [name, p] : {std::pair{"event", keys::Primitive::Event}, std::pair{"state", keys::Primitive::State},
                         std::pair{"json", keys::Primitive::Json}}) {
    std::uint64_t n = 0;
    for (std::size_t s = 0; s < shards_->size(); ++s)
      n += (*shards_)[s].with_owner([p = p](auto& st) { return st.live_keys(p); });
    i.keys[name] = n;
  }
  i.visible_version = coordinator_->visible();
  i.commits = coordinator_->commits();
  i.conflicts = coordinator_->conflicts();
  const actors::WalStats ws = wal_->stats();
  i.wal_bytes = ws.bytes_written;
  i.last_fsync_us = ws.last_fsync_us;
  i.fsyncs = ws.fsyncs;
  i.batch_histogram = ws.batch_histogram;
  i.recovered_records = recovered_.records_replayed;
  i.truncated_bytes = recovered_.truncated_bytes;
  i.compactions = compactions_.load();
  i.compaction_max_pause_us = max_pause_us_.load();
  return i;
}

}  // namespace strata::detail
