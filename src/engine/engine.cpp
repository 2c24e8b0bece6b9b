#include "engine/engine.hpp"

#include "commit/commit_clock.hpp"
#include "keys/key_rules.hpp"

#include <algorithm>
#include <latch>
#include <thread>

namespace strata::detail {

namespace {
std::size_t default_parallelism() { return std::max<std::size_t>(1, std::thread::hardware_concurrency()); }
}  // namespace

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
  if (options.ttl_reap_interval.count() < 1)
    return fail<R>(errc::invalid_input, "Options::ttl_reap_interval must be at least 1 ms");
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
  e->vectors_ = std::make_unique<vector_store::VectorStore>(*e->shards_, *e->runs_);
  e->clock_ = std::make_unique<commit::CommitClock>();
  e->forks_ = std::make_unique<ForkTracker>(*e->runs_);
  if (mode == Durability::InMemory) {
    e->wal_ = std::make_unique<actors::NullWalWriter>();
    e->coordinator_ = std::make_unique<actors::Coordinator>(e->executor_, *e->shards_, *e->runs_, *e->wal_);
  } else if (auto st = e->open_storage(); !st) {
    e->close();
    return Outcome<R>::fail(st.ec, st.detail);
  }
  e->coordinator_->add_observer(e->vectors_.get());
  e->coordinator_->add_observer(e->clock_.get());
  e->coordinator_->add_observer(e->forks_.get());
  e->vectors_->start();
  return e;
}

Engine::~Engine() {
  close();
  if (!pool_) return;
  // Every handler already posted to the pool still runs (the pool is not
  // stopped, only joined once it ran out of work). If the last reference
  // went away inside one of our own handlers, the pool cannot join itself:
  // a helper thread waits for it instead.
  if (pool_->get_executor().running_in_this_thread()) {
    std::thread([pool = std::move(pool_)] { pool->join(); }).detach();
  } else {
    pool_->join();
  }
}

void Engine::drain_actors() {
  // Only the internal pool can be waited on from here: on the embedder's
  // executor this thread may be the one that has to run the messages.
  if (!pool_ || pool_->get_executor().running_in_this_thread() || !coordinator_) return;
  std::latch done(static_cast<std::ptrdiff_t>(shards_->size() + 1));
  coordinator_->post([&done] { done.count_down(); });
  for (std::size_t i = 0; i < shards_->size(); ++i) (*shards_)[i].post([&done](storage::ShardStore&) { done.count_down(); });
  done.wait();
}

void Engine::close() {
  if (closed_.exchange(true, std::memory_order_acq_rel)) return;
  for (auto& w : workers_) w->stop();  // their commits now fail with database_closed
  drain_actors();  // operations queued before close finish normally
  compactor_.stop();
  if (vectors_) vectors_->stop();
  if (wal_) wal_->stop();
  lock_.release();
}

error_code Engine::check_open(std::string& detail) const {
  if (!closed()) return {};
  detail = "the database is closed";
  return make_error_code(errc::database_closed);
}

error_code Engine::usable(const RunState& run, std::string& detail) const {
  if (auto ec = check_open(detail)) return ec;
  if (run.alive.load(std::memory_order_acquire)) return {};
  detail = "run \"" + run.name() + "\" was deleted";
  return make_error_code(errc::run_not_found);
}

Outcome<RunRef> Engine::resolve_run(std::string_view name) const {
  Outcome<RunRef> o;
  if ((o.ec = check_open(o.detail))) return o;
  if ((o.ec = keys::check_run_name(name, &o.detail))) return o;
  o.value = runs_->find(name);
  if (!o.value) return fail<RunRef>(errc::run_not_found, "run " + keys::quote_for_message(name) + " does not exist");
  return o;
}

Outcome<Version> Engine::resolve(const std::optional<AsOf>& as_of) const {
  const Version newest = visible();
  if (!as_of) return newest;
  if (as_of->kind == AsOf::Kind::Version) {
    if (as_of->version > newest)
      return fail<Version>(errc::invalid_input, "as_of version " + std::to_string(as_of->version) +
                                                    " is after the newest commit (version " + std::to_string(newest) + ")");
    return as_of->version;
  }
  if (as_of->timestamp_us > actors::wall_clock_us())
    return fail<Version>(errc::invalid_input, "as_of " + to_string(*as_of) + " is in the future");
  // A commit being published has its timestamp already: never read past
  // what is visible.
  return std::min(clock_->version_at(as_of->timestamp_us), newest);
}

actors::ReadView Engine::view_as_of(const RunState& run, const std::optional<AsOf>& as_of, Version version) const {
  actors::ReadView v = view(run, version);
  if (!as_of) return v;
  // (A view's time 0 means "the wall clock": the epoch itself is 1 µs.)
  if (as_of->kind == AsOf::Kind::TimestampUs) v.set_time_us(std::max<std::int64_t>(as_of->timestamp_us, 1));
  else if (auto t = clock_->timestamp_of(version)) v.set_time_us(*t);
  return v;
}

io::IoStatus Engine::flush() {
  if (closed()) return {make_error_code(errc::database_closed), "the database is closed"};
  return wal_->flush();
}

io::IoStatus Engine::compact() {
  if (closed()) return {make_error_code(errc::database_closed), "the database is closed"};
  return compactor_.compact();
}

void Engine::flush_async(std::function<void(io::IoStatus)> cb) {
  if (closed()) return cb({make_error_code(errc::database_closed), "the database is closed"});
  wal_->flush_async(std::move(cb));
}

void Engine::compact_async(std::function<void(io::IoStatus)> cb) {
  if (closed()) return cb({make_error_code(errc::database_closed), "the database is closed"});
  compactor_.compact_async(std::move(cb));
}

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
  for (auto [name, p] : {std::pair{"kv", keys::Primitive::Kv}, std::pair{"event", keys::Primitive::Event},
                         std::pair{"state", keys::Primitive::State}, std::pair{"json", keys::Primitive::Json}}) {
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
  i.compactions = compactor_.compactions();
  i.compaction_max_pause_us = compactor_.max_pause_us();
  i.keys["vector"] = 0;
  for (std::size_t s = 0; s < shards_->size(); ++s)
    i.keys["vector"] += (*shards_)[s].with_owner([](auto& st) { return st.live_keys(keys::Primitive::Vector); });
  i.vector_index_bytes = vectors_->memory_bytes();
  auto add = [&](const actors::Ownership::Stats& s) {
    i.actor_messages += s.messages;
    i.actor_message_waits += s.waits;
    i.actor_message_wait_us += s.wait_ns / 1000;
  };
  add(coordinator_->ownership_stats());
  for (std::size_t s = 0; s < shards_->size(); ++s) add((*shards_)[s].ownership_stats());
  return i;
}

}  // namespace strata::detail
