// Crash-safety harness (docs/design/reliability.md): a forked writer process commits
// multi-shard transactions to a persistent database and reports each
// acknowledged commit over a pipe; the parent SIGKILLs it at a random
// moment, reopens the directory and checks what recovery brought back:
//
//  * Strict: every acknowledged commit is there, with its exact version.
//  * Buffered: commits acknowledged more than flush_interval + slack before
//    the kill are there (a bounded loss).
//  * Both: no transaction is partly visible, versions are strictly
//    monotonic, and a commit after reopen gets a version above all others.
//
// The next iteration writes on in the same directory, so recovery of a
// recovered (and sometimes compacted) database is exercised too.
//
// Three workloads (Config::workload):
//  * Kv: transaction n writes "a/<n>" = n, "b/<n>" = "b<n>", "c/<n>" = [n, -n]
//    and "seq" = n, so every recovered value can be recomputed from n.
//  * Primitives: transaction n writes KV "seq" = n, appends event "tick"
//    {"i": n}, sets state cell "s" = n, sets JSON "doc" $.i = n and appends n
//    to $.list. After reopen all four must agree on the last committed n
//    (no partial transaction): event_len == n with a valid hash chain, the
//    state cell and seq written at one version, $.list == [1..n].
//  * Vectors: transaction n writes KV "seq" = n and "v/<n>" = n, upserts
//    vector "k<n>" (exact bit patterns, metadata {"n": n, ...}) into the
//    collection "vecs" (Euclidean, HNSW above 64 vectors) and, when n is a
//    multiple of 3, deletes "k<n-2>". After reopen, for the recovered seq s:
//    every "k<m>" with m <= s is there exactly (bits, metadata, the version
//    of "v/<m>", i.e. the same commit) unless a transaction <= s deleted it;
//    nothing above s exists, in KV or in vectors; no deleted vector comes
//    back, in exact or graph searches.
//
// The writer child never touches Boost.Test: it reports through the pipe and
// leaves with _exit(). Failures are collected in Summary::failures by the
// parent; the calling test asserts on them.
#pragma once

#include <strata/strata.hpp>

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace crash {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC: comparable across processes
using strata::Durability;
using strata::Version;

enum class Workload { Kv, Primitives, Vectors, Forks };

struct Config {
  Durability mode = Durability::Strict;
  Workload workload = Workload::Kv;
  int kills = 20;
  std::uint64_t seed = 1;
  std::chrono::milliseconds flush_interval{100};
  std::size_t flush_bytes = 1u << 20;     // Options::flush_bytes (library default)
  std::chrono::milliseconds slack{150};   // allowed on top of flush_interval (Buffered)
  int max_delay_ms = 50;                  // kill 0..max_delay_ms after the writer is ready
  // Every so often a kill waits long enough that the Buffered loss bound
  // actually constrains the result (it cannot within 50 ms).
  int long_delay_every = 4;
  int long_delay_ms = 350;
  // A kill measured from fork rather than from "ready" lands in recovery.
  int kill_in_recovery_every = 5;
  // Writer pause between commits: bounds how much data a quick run piles up
  // (verification and recovery cost grow with it). 0 = flat out.
  std::chrono::microseconds commit_pause{0};
  // A full check of every key's value (else: new keys plus samples).
  int full_check_every = 10;
};

struct Summary {
  int kills = 0;
  int killed_before_ready = 0;
  std::uint64_t acks = 0;
  std::int64_t final_seq = 0;
  std::int64_t max_lost = 0;            // acked commits missing after reopen (Buffered only)
  std::uint64_t bound_checked = 0;      // Buffered: kills where the loss bound required survivors
  std::uint64_t recovered_records = 0;
  std::uint64_t truncated_bytes = 0;
  std::vector<std::string> failures;

  std::string describe() const {
    std::ostringstream s;
    s << "kills=" << kills << " (before ready: " << killed_before_ready << ") acks=" << acks
      << " final_seq=" << final_seq << " max_lost=" << max_lost << " bound_checked=" << bound_checked
      << " recovered_records=" << recovered_records << " truncated_bytes=" << truncated_bytes
      << " failures=" << failures.size();
    return s.str();
  }
};

// One pipe record per acknowledged commit; n == 0 means "opened, ready".
// 24 bytes < PIPE_BUF, so each write(2) is atomic.
struct Ack {
  std::int64_t n = 0;
  Version version = 0;
  std::int64_t t_ns = 0;  // steady clock when commit() returned
};

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

inline std::string key(char prefix, std::int64_t n) { return std::string(1, prefix) + "/" + std::to_string(n); }
inline strata::Value a_value(std::int64_t n) { return strata::Value(n); }
inline strata::Value b_value(std::int64_t n) { return strata::Value("b" + std::to_string(n)); }
inline strata::Value c_value(std::int64_t n) { return strata::Value(strata::Array{strata::Value(n), strata::Value(-n)}); }

// Per-child knobs drawn by the parent, so a seed reproduces a whole run.
struct ChildPlan {
  std::uint64_t seed = 0;
  bool compact_at_start = false;
  int compact_every = 0;                 // 0: never mid-loop
  std::size_t wal_segment_bytes = 0;     // 0: default
  std::size_t auto_compact_wal_bytes = 0;
};

inline strata::Options open_options(const Config& c, const ChildPlan* plan) {
  strata::Options o;
  o.durability = c.mode;
  o.shards = 4;
  o.threads = 2;
  o.flush_interval = c.flush_interval;
  o.flush_bytes = c.flush_bytes;
  if (plan && plan->wal_segment_bytes) o.wal_segment_bytes = plan->wal_segment_bytes;
  if (plan && plan->auto_compact_wal_bytes) o.auto_compact_wal_bytes = plan->auto_compact_wal_bytes;
  return o;
}

// ---- the writer child ----------------------------------------------------------

// Leaves quietly when the parent is gone (pipe closed / reparented): there is
// nobody left to report to.
inline void send_or_exit(int fd, const Ack& ack, pid_t parent) {
  if (::write(fd, &ack, sizeof ack) != static_cast<ssize_t>(sizeof ack) || ::getppid() != parent) ::_exit(0);
}

inline Version commit_kv(strata::Strata& db, std::int64_t n) {
  strata::Transaction tx = db.begin();
  tx.kv_put(key('a', n), a_value(n));
  tx.kv_put(key('b', n), b_value(n));
  tx.kv_put(key('c', n), c_value(n));
  tx.kv_put("seq", strata::Value(n));
  return tx.commit();
}

inline strata::Value tick_payload(std::int64_t n) { return strata::Value::object({{"i", strata::Value(n)}}); }

inline Version commit_primitives(strata::Strata& db, std::int64_t n) {
  strata::Transaction tx = db.begin();
  tx.kv_put("seq", strata::Value(n));
  tx.event_append("tick", tick_payload(n));
  tx.state_set("s", strata::Value(n));
  if (n == 1) {  // nothing committed yet (transactions are atomic): no document
    const strata::Value list(strata::Array{strata::Value(n)});
    tx.json_set("doc", "$", strata::Value::object({{"i", strata::Value(n)}, {"list", list}}));
  } else {
    tx.json_set("doc", "$.i", strata::Value(n));
    tx.json_array_append("doc", "$.list", strata::Value(n));
  }
  return tx.commit();
}

// ---- the vector workload ----

inline constexpr const char* kVectors = "vecs";
inline constexpr std::size_t kVectorDim = 8;

inline std::string vector_key(std::int64_t n) { return "k" + std::to_string(n); }
/// Distinct points (vector n is at distance > 1 from every other), with a
/// few bit patterns that must come back exactly: -0, a value that is not a
/// short decimal, a subnormal.
inline std::vector<float> vector_of(std::int64_t n) {
  std::vector<float> v(kVectorDim);
  for (std::size_t i = 0; i + 1 < kVectorDim; ++i) v[i] = static_cast<float>(n) + 0.25f * static_cast<float>(i);
  v[kVectorDim - 1] = n % 3 == 0 ? -0.0f : n % 3 == 1 ? static_cast<float>(n) / 3.0f : 1e-40f;
  return v;
}
inline strata::Value vector_metadata(std::int64_t n) {
  return strata::Value::object({{"n", strata::Value(n)}, {"tag", strata::Value("t" + std::to_string(n % 5))}});
}
/// Transaction n deletes k<n-2> when n is a multiple of 3 (n >= 3).
inline bool deletes_earlier(std::int64_t n) { return n >= 3 && n % 3 == 0; }
/// Whether k<m> is live once transactions 1..s are committed.
inline bool vector_live(std::int64_t m, std::int64_t s) { return m >= 1 && m <= s && !(deletes_earlier(m + 2) && m + 2 <= s); }
inline std::int64_t live_vectors(std::int64_t s) {
  return s - s / 3;  // each multiple of 3 up to s deleted one earlier vector
}

inline void ensure_vector_collection(strata::Strata& db) {
  strata::error_code ec;
  db.vector_collection_info(kVectors, ec);
  if (!ec) return;
  strata::CollectionOptions o;
  o.hnsw_threshold = 64;  // the graph is built, recovered and rebuilt across kills
  o.m = 8;
  o.ef_construction = 32;
  o.ef_search = 32;
  db.vector_create_collection(kVectors, kVectorDim, strata::Metric::Euclidean, o);
}

inline Version commit_vectors(strata::Strata& db, std::int64_t n) {
  strata::Transaction tx = db.begin();
  tx.kv_put("seq", strata::Value(n));
  tx.kv_put(key('v', n), strata::Value(n));
  tx.vector_upsert(kVectors, vector_key(n), vector_of(n), vector_metadata(n));
  if (deletes_earlier(n) && !tx.vector_delete(kVectors, vector_key(n - 2)))
    throw std::runtime_error("vector " + vector_key(n - 2) + " to delete in transaction " + std::to_string(n) +
                             " does not exist");
  return tx.commit();
}

// ---- the fork workload ----

inline std::string fork_name(std::int64_t n) { return "f" + std::to_string(n); }

/// Transaction n as a branch: fork "default" into f<n>, write seq, m/<n>,
/// the state cell and a tick event in the fork, merge it back. The merge's
/// commit is n's version (seq = n reaches "default" in it).
inline Version commit_forks(strata::Strata& db, std::int64_t n) {
  const std::string name = fork_name(n);
  if (db.run_exists(name)) db.delete_run(name);  // forked by a writer killed before its merge
  db.fork_run(name);
  strata::Strata fork = db;
  fork.set_run(name);
  strata::Transaction tx = fork.begin();
  tx.kv_put("seq", strata::Value(n));
  tx.kv_put(key('m', n), strata::Value(n));
  tx.state_set("s", strata::Value(n));
  tx.event_append("tick", tick_payload(n));
  tx.commit();
  return db.merge_run(name, "default").version;
}

inline Version commit_one(strata::Strata& db, Workload w, std::int64_t n) {
  switch (w) {
    case Workload::Forks: return commit_forks(db, n);
    case Workload::Kv: return commit_kv(db, n);
    case Workload::Primitives: return commit_primitives(db, n);
    case Workload::Vectors: return commit_vectors(db, n);
  }
  return 0;
}

[[noreturn]] inline void writer_main(const std::filesystem::path& dir, const Config& c, const ChildPlan& plan,
                                     int fd, pid_t parent) {
  ::signal(SIGPIPE, SIG_IGN);                // a dead parent shows up as EPIPE
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);        // backstop if blocked elsewhere
  if (::getppid() != parent) ::_exit(0);
  try {
    strata::Strata db = strata::Strata::open(dir, open_options(c, &plan));
    auto seq = db.kv_get("seq");
    std::int64_t n = seq ? seq->as_int() + 1 : 1;
    if (c.workload == Workload::Vectors) ensure_vector_collection(db);
    if (plan.compact_at_start) db.compact();
    send_or_exit(fd, Ack{0, 0, now_ns()}, parent);
    for (;; ++n) {
      Version v = commit_one(db, c.workload, n);
      send_or_exit(fd, Ack{n, v, now_ns()}, parent);
      if (plan.compact_every && n % plan.compact_every == 0) db.compact();
      if (c.commit_pause.count() > 0) ::usleep(static_cast<useconds_t>(c.commit_pause.count()));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crash writer %d: %s\n", static_cast<int>(::getpid()), e.what());
  }
  ::_exit(3);
}

// ---- the parent ----------------------------------------------------------------

class Harness {
 public:
  Harness(std::filesystem::path dir, Config config) : dir_(std::move(dir)), c_(config), rng_(config.seed) {}

  Summary run() {
    for (int i = 0; i < c_.kills && s_.failures.empty(); ++i) iteration(i);
    if (s_.failures.empty()) final_check();
    return s_;
  }

 private:
  struct Acked {
    Version version;
    std::int64_t t_ns;
  };

  void fail(int iter, const std::string& what) {
    s_.failures.push_back("iteration " + std::to_string(iter) + " (seed " + std::to_string(c_.seed) + "): " + what);
  }

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  ChildPlan plan() {
    ChildPlan p;
    p.seed = rng_();
    p.compact_at_start = uniform(0, 3) == 0;
    p.compact_every = uniform(0, 2) == 0 ? uniform(10, 60) : 0;
    if (uniform(0, 2) == 0) p.wal_segment_bytes = 16u << 10;
    if (uniform(0, 3) == 0) p.auto_compact_wal_bytes = 64u << 10;
    return p;
  }

  void iteration(int iter) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return fail(iter, "pipe2 failed");
    const ChildPlan p = plan();
    const bool in_recovery = c_.kill_in_recovery_every && iter % c_.kill_in_recovery_every == c_.kill_in_recovery_every - 1;
    const bool long_delay = c_.mode == Durability::Buffered && c_.long_delay_every &&
                            iter % c_.long_delay_every == 1;
    const int delay_ms = uniform(0, c_.max_delay_ms) + (long_delay ? c_.long_delay_ms : 0);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) return fail(iter, "fork failed");
    if (pid == 0) {
      ::close(fds[0]);
      writer_main(dir_, c_, p, fds[1], parent);
    }
    ::close(fds[1]);
    const std::int64_t kill_ns = run_until_kill(iter, pid, fds[0], in_recovery, delay_ms);
    ::close(fds[0]);
    if (kill_ns >= 0) verify(iter, kill_ns);
  }

  // Reads acks until the kill deadline, kills, reaps and drains the pipe.
  // Returns the kill time (ns), or -1 after a failure.
  std::int64_t run_until_kill(int iter, pid_t pid, int fd, bool in_recovery, int delay_ms) {
    const std::int64_t start = now_ns();
    const std::int64_t ready_timeout = start + std::int64_t{60'000'000'000};
    std::int64_t deadline = in_recovery ? start + std::int64_t{delay_ms} * 1'000'000 : -1;
    bool ready = false, eof = false;
    while (!eof) {
      const std::int64_t until = deadline >= 0 ? deadline : ready_timeout;
      const std::int64_t left_ms = (until - now_ns()) / 1'000'000;
      if (left_ms < 0) break;
      pollfd pf{fd, POLLIN, 0};
      if (::poll(&pf, 1, static_cast<int>(std::min<std::int64_t>(left_ms, 1000)) + 1) > 0)
        eof = !read_acks(iter, fd, ready, deadline, delay_ms);
    }
    ::kill(pid, SIGKILL);
    const std::int64_t kill_ns = now_ns();
    int status = 0;
    ::waitpid(pid, &status, 0);
    while (read_acks(iter, fd, ready, deadline, delay_ms)) {
    }
    ++s_.kills;
    if (!ready) ++s_.killed_before_ready;
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
      fail(iter, "writer ended by itself (status " + std::to_string(status) + "); see its stderr");
      return -1;
    }
    if (!ready && !in_recovery) {
      fail(iter, "writer never became ready");
      return -1;
    }
    return s_.failures.empty() ? kill_ns : -1;
  }

  // Reads what is available; false at EOF. Sets the kill deadline on "ready".
  bool read_acks(int iter, int fd, bool& ready, std::int64_t& deadline, int delay_ms) {
    Ack buf[64];
    const ssize_t got = ::read(fd, buf, sizeof buf);
    if (got <= 0) return false;
    if (got % static_cast<ssize_t>(sizeof(Ack)) != 0) fail(iter, "torn ack record");
    for (ssize_t i = 0; i < got / static_cast<ssize_t>(sizeof(Ack)); ++i) {
      const Ack& a = buf[i];
      if (a.n == 0) {
        ready = true;
        if (deadline < 0) deadline = now_ns() + std::int64_t{delay_ms} * 1'000'000;
        continue;
      }
      on_ack(iter, a);
    }
    return true;
  }

  void on_ack(int iter, const Ack& a) {
    ++s_.acks;
    if (a.version <= max_version_)
      fail(iter, "ack n=" + std::to_string(a.n) + " has version " + std::to_string(a.version) +
                     " <= earlier version " + std::to_string(max_version_));
    if (a.n != recovered_seq_ + 1 && acked_.count(a.n - 1) == 0)
      fail(iter, "ack n=" + std::to_string(a.n) + " does not follow the recovered seq " +
                     std::to_string(recovered_seq_));
    max_version_ = std::max(max_version_, a.version);
    acked_[a.n] = Acked{a.version, a.t_ns};
  }

  // The highest n recovery must have kept.
  std::int64_t required_seq(std::int64_t kill_ns) {
    std::int64_t need = recovered_seq_;
    const std::int64_t window = std::chrono::nanoseconds(c_.flush_interval + c_.slack).count();
    bool bound_used = false;
    for (const auto& [n, a] : acked_) {
      if (n <= need) continue;
      if (c_.mode == Durability::Strict || a.t_ns + window < kill_ns) {
        need = n;
        bound_used = c_.mode == Durability::Buffered;
      }
    }
    if (bound_used) ++s_.bound_checked;
    return need;
  }

  void verify(int iter, std::int64_t kill_ns) {
    try {
      strata::Strata db = strata::Strata::open(dir_, open_options(c_, nullptr));
      const strata::DatabaseInfo info = db.info();
      s_.recovered_records += info.recovered_records;
      s_.truncated_bytes += info.truncated_bytes;
      const auto seq_value = db.kv_get("seq");
      const std::int64_t s = seq_value ? seq_value->as_int() : 0;
      const std::int64_t need = required_seq(kill_ns);
      if (s < need)
        fail(iter, "recovered seq " + std::to_string(s) + " < " + std::to_string(need) + " that had to survive");
      if (!acked_.empty() && acked_.rbegin()->first > s) s_.max_lost = std::max(s_.max_lost, acked_.rbegin()->first - s);
      check_recovered(iter, db, s, iter % c_.full_check_every == 0);
      probe_new_version(iter, db, check_versions(iter, db, s));
      db.close();
      // Acks above s were lost (Buffered): the next writer reuses those n.
      acked_.erase(acked_.upper_bound(s), acked_.end());
      recovered_seq_ = s;
      s_.final_seq = s;
    } catch (const std::exception& e) {
      fail(iter, std::string("reopen/verify threw: ") + e.what());
    }
  }

  void expect_whole(int iter, strata::Strata& db, std::int64_t n) {
    if (db.kv_get(key('a', n)) != std::optional(a_value(n)) || db.kv_get(key('b', n)) != std::optional(b_value(n)) ||
        db.kv_get(key('c', n)) != std::optional(c_value(n)))
      fail(iter, "transaction " + std::to_string(n) + " is missing or partly visible");
  }

  std::size_t count(strata::Strata& db, char prefix) {
    std::size_t total = 0;
    strata::PageRequest page;
    for (;;) {
      strata::KeyPage p = db.kv_list(std::string(1, prefix) + "/", page);
      total += p.keys.size();
      if (!p.next_cursor || p.keys.empty()) return total;
      page.cursor = *p.next_cursor;
    }
  }

  void check_recovered(int iter, strata::Strata& db, std::int64_t s, bool full) {
    if (c_.workload == Workload::Kv) return check_transactions(iter, db, s, full);
    if (c_.workload == Workload::Vectors) return check_vectors(iter, db, s, full);
    if (c_.workload == Workload::Forks) {
      check_forks(iter, db, s, full);
      return check_events(iter, db, s, full);
    }
    check_events(iter, db, s, full);
    check_state_and_json(iter, db, s, full);
  }

  // Transaction m's KV key and vector: both there (the vector unless a
  // later transaction <= s deleted it), written by one commit, exactly.
  void expect_vector(int iter, strata::Strata& db, std::int64_t m, std::int64_t s) {
    const std::string what = "transaction " + std::to_string(m) + " (seq " + std::to_string(s) + "): ";
    const auto kv = db.kv_history(key('v', m));
    const auto entry = db.vector_get(kVectors, vector_key(m));
    if (kv.empty() || kv[0].tombstone || kv[0].value != strata::Value(m))
      return fail(iter, what + "KV " + key('v', m) + " is missing");
    if (!vector_live(m, s)) {
      if (entry) fail(iter, what + "vector " + vector_key(m) + " was deleted by transaction " + std::to_string(m + 2) +
                                " but is back");
      return;
    }
    if (!entry) return fail(iter, what + "vector " + vector_key(m) + " is missing though its KV write is there");
    const std::vector<float> want = vector_of(m);
    if (entry->vector.size() != want.size() ||
        std::memcmp(entry->vector.data(), want.data(), want.size() * sizeof(float)) != 0)
      fail(iter, what + "vector " + vector_key(m) + " came back with other bits");
    if (entry->metadata != std::optional(vector_metadata(m))) fail(iter, what + "metadata of " + vector_key(m) + " differs");
    if (entry->version != kv[0].version)
      fail(iter, what + "vector " + vector_key(m) + " has version " + std::to_string(entry->version) + ", KV " +
                     key('v', m) + " version " + std::to_string(kv[0].version) + ": not one commit");
    if (auto it = acked_.find(m); it != acked_.end() && it->second.version != entry->version)
      fail(iter, what + "vector " + vector_key(m) + " acked at version " + std::to_string(it->second.version) +
                     ", recovered at " + std::to_string(entry->version));
  }

  void check_vectors(int iter, strata::Strata& db, std::int64_t s, bool full) {
    strata::error_code ec;
    const strata::CollectionInfo info = db.vector_collection_info(kVectors, ec);
    if (ec) {
      // The writer creates the collection before transaction 1.
      if (s > 0) fail(iter, std::string("collection vecs is missing after recovering seq ") + std::to_string(s));
      return;
    }
    if (info.count != static_cast<std::uint64_t>(live_vectors(s)))
      fail(iter, "collection vecs holds " + std::to_string(info.count) + " vectors, seq " + std::to_string(s) +
                     " leaves " + std::to_string(live_vectors(s)));
    if (count(db, 'v') != static_cast<std::size_t>(s))
      fail(iter, "prefix v/ has " + std::to_string(count(db, 'v')) + " keys, seq is " + std::to_string(s));
    for (std::int64_t m = s + 1; m <= s + 3; ++m)
      if (db.vector_get(kVectors, vector_key(m)) || db.kv_get(key('v', m)))
        fail(iter, "transaction " + std::to_string(m) + " above the recovered seq " + std::to_string(s) + " is visible");
    if (s == 0) return;
    const std::int64_t from = full ? 1 : std::max<std::int64_t>(1, std::min(recovered_seq_, s) - 3);
    for (std::int64_t m = from; m <= s && s_.failures.size() < 10; ++m) expect_vector(iter, db, m, s);
    for (int i = 0; i < 16; ++i) expect_vector(iter, db, std::uniform_int_distribution<std::int64_t>(1, s)(rng_), s);
    // Searches, right after open (the index may still be catching up): the
    // newest vector is its own nearest neighbour; deleted ones never appear.
    strata::VectorSearchOptions exact;
    exact.exact = true;
    const auto self = db.vector_search(kVectors, vector_of(s), 1, exact);
    if (self.size() != 1 || self[0].key != vector_key(s) || self[0].score != 0.0f)
      fail(iter, "exact search for vector " + vector_key(s) + " does not find it first");
    auto check_keys = [&](const std::vector<strata::VectorMatch>& found, const std::string& search) {
      for (const auto& m : found) {
        const std::int64_t n = m.key.size() > 1 ? std::stoll(m.key.substr(1)) : -1;
        if (!vector_live(n, s)) fail(iter, search + " returned " + m.key + ", which is not live at seq " + std::to_string(s));
      }
    };
    for (int i = 0; i < 8; ++i) {
      std::int64_t m = std::uniform_int_distribution<std::int64_t>(1, s)(rng_);
      if (i % 2 == 0 && s >= 3) m = std::max<std::int64_t>(1, (m / 3) * 3 - 2);  // a deleted one, when m + 2 <= s
      const auto q = vector_of(m);
      check_keys(db.vector_search(kVectors, q, 5, exact), "exact search near " + vector_key(m));
      check_keys(db.vector_search(kVectors, q, 5), "graph search near " + vector_key(m));
    }
    if (full && live_vectors(s) < static_cast<std::int64_t>(strata::kMaxSearchK)) {
      // Everything: exactly the live set.
      const auto all = db.vector_search(kVectors, vector_of(0), static_cast<std::size_t>(live_vectors(s)) + 1, exact);
      if (all.size() != static_cast<std::size_t>(live_vectors(s)))
        fail(iter, "an exact search for everything returned " + std::to_string(all.size()) + " vectors, " +
                       std::to_string(live_vectors(s)) + " are live");
      check_keys(all, "an exact search for everything");
    }
  }

  // Every merged fork f<n> (n <= s) is back with its parent, fork point and
  // own writes, and its m/<n> key reached "default" (merged by n's commit).
  void check_forks(int iter, strata::Strata& db, std::int64_t s, bool full) {
    if (count(db, 'm') != static_cast<std::size_t>(s))
      fail(iter, "prefix m/ has " + std::to_string(count(db, 'm')) + " keys, seq is " + std::to_string(s));
    const auto cell = db.state_read("s");
    if (s == 0 ? cell.has_value() : (!cell || cell->value != strata::Value(s)))
      fail(iter, "state cell s disagrees with seq " + std::to_string(s));
    if (s == 0) return;
    auto expect = [&](std::int64_t n) {
      const std::string what = "fork " + fork_name(n) + ": ";
      if (db.kv_get(key('m', n)) != std::optional(strata::Value(n))) return fail(iter, what + "m/<n> not merged");
      strata::error_code ec;
      const strata::RunInfo info = db.run_info(fork_name(n), ec);
      if (ec) return fail(iter, what + ec.message());
      if (info.parent != std::optional<std::string>("default") || !info.fork_version)
        return fail(iter, what + "lost its parent or fork point");
      strata::Strata fork = db;
      fork.set_run(fork_name(n));
      if (fork.kv_get("seq") != std::optional(strata::Value(n)) || fork.event_len() != static_cast<std::uint64_t>(n))
        fail(iter, what + "its own writes or inherited events are not back");
    };
    expect(s);
    if (full)
      for (std::int64_t n = 1; n <= s && s_.failures.size() < 10; ++n) expect(n);
    for (int k = 0; k < 8; ++k) expect(std::uniform_int_distribution<std::int64_t>(1, s)(rng_));
  }

  // The log holds exactly transactions 1..s: dense, chained, in order.
  void check_events(int iter, strata::Strata& db, std::int64_t s, bool full) {
    const std::uint64_t len = db.event_len();
    if (len != static_cast<std::uint64_t>(s))
      return fail(iter, "event_len is " + std::to_string(len) + ", seq is " + std::to_string(s));
    const strata::EventVerification v = db.event_verify();
    if (!v.ok || v.checked != len)
      fail(iter, "event_verify: ok=" + std::to_string(v.ok) + " checked=" + std::to_string(v.checked) + " " + v.reason);
    if (db.event_read(len + 1)) fail(iter, "event " + std::to_string(len + 1) + " exists past the log's end");
    auto expect = [&](std::int64_t n, const std::optional<strata::Event>& e) {
      if (!e || e->type != "tick" || strata::Value(e->payload) != tick_payload(n))
        fail(iter, "event " + std::to_string(n) + " is missing or is not tick {i: " + std::to_string(n) + "}");
    };
    if (s == 0) return;
    expect(s, db.event_read(static_cast<std::uint64_t>(s)));
    if (full) {
      const auto all = db.event_range(1, len);
      if (all.size() != len) return fail(iter, "event_range returned " + std::to_string(all.size()) + " events");
      for (std::int64_t n = 1; n <= s && s_.failures.size() < 10; ++n) expect(n, all[static_cast<std::size_t>(n - 1)]);
    }
    for (int i = 0; i < 16; ++i) {
      const std::int64_t n = std::uniform_int_distribution<std::int64_t>(1, s)(rng_);
      expect(n, db.event_read(static_cast<std::uint64_t>(n)));
    }
  }

  // State cell and JSON document agree with seq = s.
  void check_state_and_json(int iter, strata::Strata& db, std::int64_t s, bool full) {
    const auto cell = db.state_read("s");
    if (s == 0 ? cell.has_value() : (!cell || cell->value != strata::Value(s)))
      fail(iter, "state cell s disagrees with seq " + std::to_string(s));
    const auto i = db.json_get("doc", "$.i");
    const auto list = db.json_get("doc", "$.list");
    if (s == 0) {
      if (db.json_get("doc", "$")) fail(iter, "JSON doc exists though no transaction survived");
      return;
    }
    if (i != std::optional(strata::Value(s))) fail(iter, "JSON $.i disagrees with seq " + std::to_string(s));
    if (!list || !list->is_array() || list->as_array().size() != static_cast<std::size_t>(s))
      return fail(iter, "JSON $.list does not hold " + std::to_string(s) + " elements");
    const strata::Array& a = list->as_array();
    auto at = [&](std::int64_t n) {
      if (a[static_cast<std::size_t>(n - 1)] != strata::Value(n))
        fail(iter, "JSON $.list[" + std::to_string(n - 1) + "] is not " + std::to_string(n));
    };
    at(s);
    if (full)
      for (std::int64_t n = 1; n <= s && s_.failures.size() < 10; ++n) at(n);
    for (int k = 0; k < 16; ++k) at(std::uniform_int_distribution<std::int64_t>(1, s)(rng_));
  }

  // Transaction n's KV write, state write and event share its commit: the
  // state cell's version and the events' timestamps match seq's history.
  void check_same_commit(int iter, strata::Strata& db, std::int64_t s,
                         const std::vector<strata::VersionedValue>& seq_history) {
    if (s == 0) return;
    const auto cell = db.state_read("s");
    if (cell && (cell->version != seq_history[0].version || cell->timestamp_us != seq_history[0].timestamp_us))
      fail(iter, "state cell s (version " + std::to_string(cell->version) + ") and seq (version " +
                     std::to_string(seq_history[0].version) + ") were not written by one commit");
    for (int k = 0; k < 8; ++k) {
      const std::int64_t n = k == 0 ? s : std::uniform_int_distribution<std::int64_t>(1, s)(rng_);
      const auto e = db.event_read(static_cast<std::uint64_t>(n));
      if (e && e->timestamp_us != seq_history[static_cast<std::size_t>(s - n)].timestamp_us)
        fail(iter, "event " + std::to_string(n) + " has another timestamp than seq=" + std::to_string(n));
    }
  }

  // All of transaction s and none of s+1; every n <= s whole. Counting keys
  // per prefix catches stray writes above s; values are checked for the new
  // transactions, samples of older ones, and everything on full checks.
  void check_transactions(int iter, strata::Strata& db, std::int64_t s, bool full) {
    for (char p : {'a', 'b', 'c'}) {
      if (db.kv_get(key(p, s + 1))) fail(iter, "key " + key(p, s + 1) + " of an unrecorded transaction exists");
      if (count(db, p) != static_cast<std::size_t>(s))
        fail(iter, "prefix " + std::string(1, p) + "/ has " + std::to_string(count(db, p)) + " keys, seq is " +
                       std::to_string(s));
    }
    if (s == 0) return;
    const std::int64_t from = full ? 1 : std::max<std::int64_t>(1, std::min(recovered_seq_, s) - 2);
    for (std::int64_t n = from; n <= s && s_.failures.size() < 10; ++n) expect_whole(iter, db, n);
    for (int i = 0; i < 16; ++i) expect_whole(iter, db, std::uniform_int_distribution<std::int64_t>(1, s)(rng_));
  }

  // seq's history is s, s-1, ..., 1 at strictly decreasing versions, each
  // acked n at its acknowledged version, and a/<s> shares seq's version.
  // Returns the newest version found (seq or the parent's probes).
  Version check_versions(int iter, strata::Strata& db, std::int64_t s) {
    Version newest = check_probes(iter, db);
    const auto history = db.kv_history("seq");
    if (history.size() != static_cast<std::size_t>(s)) {
      fail(iter, "seq has " + std::to_string(history.size()) + " versions, expected " + std::to_string(s));
      return newest;
    }
    for (std::size_t i = 0; i < history.size(); ++i) {
      const std::int64_t n = s - static_cast<std::int64_t>(i);
      const auto& h = history[i];
      if (h.tombstone || h.value != strata::Value(n)) {
        fail(iter, "seq history out of order at n=" + std::to_string(n));
        break;
      }
      if (i > 0 && history[i - 1].version <= h.version) {
        fail(iter, "seq versions not strictly decreasing at n=" + std::to_string(n));
        break;
      }
      if (auto it = acked_.find(n); it != acked_.end() && it->second.version != h.version) {
        fail(iter, "n=" + std::to_string(n) + " acked at version " + std::to_string(it->second.version) +
                       ", recovered at " + std::to_string(h.version));
        break;
      }
    }
    if (s > 0 && c_.workload == Workload::Kv && db.kv_history(key('a', s)).at(0).version != history[0].version)
      fail(iter, "a/" + std::to_string(s) + " and seq=" + std::to_string(s) + " have different versions");
    if (c_.workload == Workload::Primitives) check_same_commit(iter, db, s, history);
    if (s > 0 && c_.workload == Workload::Vectors) {
      const auto v = db.vector_get(kVectors, vector_key(s));
      if (!v || v->version != history[0].version)
        fail(iter, "vector " + vector_key(s) + " and seq=" + std::to_string(s) + " were not written by one commit");
    }
    return history.empty() ? newest : std::max(newest, history[0].version);
  }

  // The parent's probes were committed before a clean close: all must be
  // back, the last one at the version it got.
  Version check_probes(int iter, strata::Strata& db) {
    const auto history = db.kv_history("probe");
    if (history.size() != probes_ || (last_probe_ && history.at(0).version != last_probe_))
      fail(iter, "probe history has " + std::to_string(history.size()) + " versions (expected " +
                     std::to_string(probes_) + "), newest " +
                     (history.empty() ? std::string("none") : std::to_string(history[0].version)) +
                     " (expected " + std::to_string(last_probe_) + ")");
    return history.empty() ? 0 : history[0].version;
  }

  // A commit after reopen must get a version above everything recovered.
  void probe_new_version(int iter, strata::Strata& db, Version newest) {
    const Version v = db.kv_put("probe", strata::Value(iter));
    if (v <= newest)
      fail(iter, "commit after reopen got version " + std::to_string(v) + " <= recovered " + std::to_string(newest));
    ++probes_;
    last_probe_ = v;
    max_version_ = v;  // the next writer's acks must be above it
  }

  void final_check() {
    try {
      strata::Strata db = strata::Strata::open(dir_, open_options(c_, nullptr));
      check_recovered(c_.kills, db, recovered_seq_, true);
      check_versions(c_.kills, db, recovered_seq_);
      db.close();
    } catch (const std::exception& e) {
      fail(c_.kills, std::string("final reopen threw: ") + e.what());
    }
  }

  std::filesystem::path dir_;
  Config c_;
  std::mt19937_64 rng_;
  Summary s_;
  std::map<std::int64_t, Acked> acked_;  // n -> ack, for n not yet known lost
  std::int64_t recovered_seq_ = 0;
  Version max_version_ = 0;   // newest version acked or committed by the parent
  std::size_t probes_ = 0;
  Version last_probe_ = 0;
};

/// A fresh directory under /tmp for one crash run, removed on success.
inline std::filesystem::path make_dir(const std::string& tag) {
  auto dir = std::filesystem::temp_directory_path() /
             ("strata-crash-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(now_ns()));
  std::filesystem::remove_all(dir);
  return dir;
}

/// STRATA_CRASH_SEED reproduces a run; otherwise a fresh seed (printed).
inline std::uint64_t pick_seed() {
  if (const char* env = std::getenv("STRATA_CRASH_SEED")) return std::strtoull(env, nullptr, 10);
  return std::random_device{}() ^ static_cast<std::uint64_t>(now_ns());
}

/// Runs one harness with a fresh seed, prints the seed and summary, turns
/// every failure into a Boost.Test error, and keeps the directory only on
/// failure (for a post-mortem). Call from a test case.
inline Summary run_and_report(Config config, const std::string& tag) {
  config.seed = pick_seed();
  std::cout << "crash " << tag << ": seed " << config.seed << " (STRATA_CRASH_SEED reproduces)" << std::endl;
  const auto dir = make_dir(tag);
  Summary s = Harness(dir, config).run();
  std::cout << "crash " << tag << ": " << s.describe() << std::endl;
  for (const auto& f : s.failures) BOOST_ERROR(f);
  if (s.failures.empty()) std::filesystem::remove_all(dir);
  return s;
}

/// A Strict run of `workload`: every kill counted, commits acknowledged,
/// none of them lost.
inline void expect_strict_keeps_every_ack(Config c, const std::string& tag) {
  c.mode = Durability::Strict;
  const Summary s = run_and_report(c, tag);
  BOOST_TEST(s.kills == c.kills);
  BOOST_TEST(s.acks > 0u);
  BOOST_TEST(s.max_lost == 0);
}

/// A Buffered run: every kill counted, commits acknowledged, and some kill
/// came late enough for the flush-interval loss bound to be checked.
inline void expect_buffered_within_bound(Config c, const std::string& tag) {
  c.mode = Durability::Buffered;
  const Summary s = run_and_report(c, tag);
  BOOST_TEST(s.kills == c.kills);
  BOOST_TEST(s.acks > 0u);
  BOOST_TEST(s.bound_checked > 0u);
}

/// Config builders for the cases: a workload, a kill count, and for
/// Buffered the pause between commits (flat out, the data — and its
/// verification — grow too fast for a bounded run).
inline Config with(Workload w, int kills, std::chrono::microseconds commit_pause = {}) {
  Config c;
  c.workload = w;
  c.kills = kills;
  c.commit_pause = commit_pause;
  return c;
}

}  // namespace crash
