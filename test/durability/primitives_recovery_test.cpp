// Durability of the event log, state cells and JSON store (docs/design/primitives.md, docs/guides/durability.md):
// for Buffered and Strict, after close + reopen, after compact() + more
// writes + reopen, and after a reopen of a reopen, everything observable
// comes back identical — every Event field (hash and timestamp included),
// per-type reads, event_verify, state versions, JSON documents, info()
// key counts — and work continues where it stopped: appends keep the
// sequence dense with a valid chain, state_cas accepts exactly the
// pre-close version. Recovery rebuilds the event head and type index from
// the WAL's event ops and re-applies JSON patches; the WAL logs a JSON
// change as path-level edits or as the whole document, whichever is
// smaller, and both forms are exercised (checked by scanning the WAL).
#define BOOST_TEST_MODULE durability_primitives_recovery
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include "keys/storage_key.hpp"
#include "wal/log_records.hpp"
#include "wal/record_format.hpp"

#include <strata/strata.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace strata;

namespace {

/// Strict mode fdatasyncs every commit; what is checked here is what
/// recovery rebuilds from the bytes, which does not depend on the
/// filesystem, so tmpfs (/dev/shm) keeps the test fast when present.
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("primitives", bytes_only_base()) {}
};

Options opts(Durability d) { return test::reopen_options(d); }

const std::vector<std::string> kRuns{"default", "side", "third"};
const std::vector<std::string> kTypes{"tool_call", "observation", "note", "ünïcode type", "after"};
const std::vector<std::string> kCells{"phase", "counter", "init", "pair/a", "pair/b"};
const std::vector<std::string> kDocs{"profile", "big", "small", "temp", "d", "never"};

// ---- what is observable ------------------------------------------------------------

struct RunView {
  std::uint64_t len = 0;
  std::vector<Event> events;
  std::map<std::string, std::vector<Event>> by_type;
  EventVerification verify;
  std::map<std::string, std::optional<VersionedValue>> cells;
  std::map<std::string, std::optional<Value>> docs;
  std::vector<std::string> doc_keys;
};

struct View {
  std::map<std::string, RunView> runs;
  std::map<std::string, std::uint64_t> key_counts;
  Version visible = 0;
};

RunView observe_run(Strata& h) {
  RunView v;
  v.len = h.event_len();
  if (v.len > 0) v.events = h.event_range(1, v.len);
  for (const auto& t : kTypes) v.by_type[t] = h.event_read_by_type(t);
  v.verify = h.event_verify();
  for (const auto& c : kCells) v.cells[c] = h.state_read(c);
  for (const auto& d : kDocs) v.docs[d] = h.json_get(d, "$");
  v.doc_keys = h.json_list().keys;
  return v;
}

View observe(Strata& db) {
  View v;
  for (const auto& info : db.list_runs()) {
    Strata h(db.database());
    h.set_run(info.name);
    v.runs[info.name] = observe_run(h);
  }
  const DatabaseInfo info = db.info();
  v.key_counts = info.keys;
  v.visible = info.visible_version;
  return v;
}

void check_same_run(const RunView& got, const RunView& want) {
  BOOST_TEST(got.len == want.len);
  BOOST_TEST_REQUIRE(got.events.size() == want.events.size());
  for (std::size_t i = 0; i < got.events.size(); ++i) {
    BOOST_TEST_CONTEXT("event " << want.events[i].sequence) {
      BOOST_TEST(got.events[i].sequence == want.events[i].sequence);
      BOOST_TEST(got.events[i].type == want.events[i].type);
      BOOST_TEST((Value(got.events[i].payload) == Value(want.events[i].payload)));
      BOOST_TEST(got.events[i].timestamp_us == want.events[i].timestamp_us);
      BOOST_TEST(got.events[i].hash == want.events[i].hash);
    }
  }
  for (const auto& [type, events] : want.by_type)
    BOOST_TEST((got.by_type.at(type) == events), "event_read_by_type(" << type << ")");
  BOOST_TEST((got.verify == want.verify), "event_verify: " << got.verify.reason);
  for (const auto& [cell, value] : want.cells) {
    BOOST_TEST_CONTEXT("state cell " << cell) {
      BOOST_TEST_REQUIRE(got.cells.at(cell).has_value() == value.has_value());
      if (value) {
        BOOST_TEST((got.cells.at(cell)->value == value->value));
        BOOST_TEST(got.cells.at(cell)->version == value->version);
        BOOST_TEST(got.cells.at(cell)->timestamp_us == value->timestamp_us);
      }
    }
  }
  for (const auto& [doc, value] : want.docs)
    BOOST_TEST((got.docs.at(doc) == value), "JSON document " << doc);
  BOOST_TEST(got.doc_keys == want.doc_keys, boost::test_tools::per_element());
}

void check_same(const View& got, const View& want) {
  BOOST_TEST_REQUIRE(got.runs.size() == want.runs.size());
  for (const auto& [name, run] : want.runs) {
    BOOST_TEST_CONTEXT("run " << name) {
      BOOST_TEST_REQUIRE(got.runs.count(name) == 1u);
      check_same_run(got.runs.at(name), run);
    }
  }
  BOOST_TEST((got.key_counts == want.key_counts));
  BOOST_TEST(got.visible == want.visible);
}

// ---- workloads -----------------------------------------------------------------------

Strata handle(Strata& db, const std::string& run) {
  if (run != "default" && !db.run_exists(run)) db.create_run(run);
  Strata h(db.database());
  h.set_run(run);
  return h;
}

/// Several types interleaved, single appends and a multi-event transaction
/// (whose events share one commit timestamp). `round` keeps payloads of
/// later rounds distinct.
void events_in(Strata& h, int round) {
  for (int i = 0; i < 12; ++i) {
    const auto& type = kTypes[static_cast<std::size_t>(i) % 4];
    h.event_append(type, Value::object({{"round", Value(round)}, {"i", Value(i)}, {"run", Value(h.current_run())}}));
  }
  h.transaction([&](Transaction& tx) {
    tx.event_append("tool_call", Value::parse_json(R"({"tool": "search", "args": {"q": "x", "k": [1, 2.5]}})"));
    tx.event_append("observation", Value::object({{"hits", Value(Array{Value("a"), Value(nullptr)})}}));
    tx.event_append("note", Value(Object{}));
  });
}

void write_events(Strata& db, int round) {
  for (const auto& run : kRuns) {
    Strata h = handle(db, run);
    events_in(h, round);
  }
}

/// Unconditional sets, a CAS-driven counter, init (once), and a
/// transaction writing two cells plus a KV key.
void state_in(Strata& h, int round) {
  h.state_set("phase", Value("plan"));
  h.state_set("phase", Value(round % 2 ? "act" : "reflect"));
  h.state_init("init", Value(round));  // writes only the first time
  for (int i = 0; i < 6; ++i) {
    const auto cur = h.state_read("counter");
    const std::optional<Version> expected = cur ? std::optional(cur->version) : std::nullopt;
    const std::int64_t next = cur ? cur->value.as_int() + 1 : 0;
    BOOST_TEST_REQUIRE(h.state_cas("counter", expected, Value(next)).has_value());
  }
  h.transaction([&](Transaction& tx) {
    tx.state_set("pair/a", Value(round));
    tx.state_set("pair/b", Value::object({{"round", Value(round)}}));
    tx.kv_put("pair-kv", Value(round));
  });
}

void write_state(Strata& db, int round) {
  for (const auto& run : {"default", "side"}) {
    Strata h = handle(db, run);
    state_in(h, round);
  }
}

std::string filler(std::size_t n, char c) { return std::string(n, c); }

/// Path-level edits of every kind, on a document that is deleted and made
/// again, a big document edited a little (logged as a patch) and a small
/// document edited a lot (logged whole).
void json_in(Strata& h, int round) {
  if (!h.json_get("profile", "$"))
    h.json_set("profile", "$", Value::parse_json(R"({"name": "a", "tags": [], "stats": {"n": 0, "f": 0.5}})"));
  h.json_set("profile", "$.name", Value("agent \"007\" ünï"));
  for (int i = 0; i < 5; ++i) h.json_array_append("profile", "$.tags", Value("t" + std::to_string(i)));
  h.json_set("profile", "$.tags[-1]", Value::object({{"last", Value(round)}}));
  h.json_delete("profile", "$.tags[0]");
  h.json_delete("profile", "$.tags[-1]");
  h.json_incr("profile", "$.stats.n", Value(5));
  h.json_incr("profile", "$.stats.f", Value(0.25));
  h.json_set("profile", R"($["key with space"])", Value::object({{"deep", Value(Array{Value(1)})}}));
  h.json_set("profile", R"($["key with space"].deep[1])", Value(round));  // index == length appends
  h.json_set("profile", R"($.stats["quote\"d"])", Value(Array{Value(nullptr), Value(true)}));

  h.json_set("temp", "$", Value::object({{"round", Value(round)}}));
  h.json_delete("temp", "$");
  h.json_set("temp", "$", Value::object({{"again", Value(round)}, {"list", Value(Array{})}}));
  h.json_array_append("temp", "$.list", Value(filler(10, 'x')));

  // Documents made by a path below the root (intermediate objects from
  // nothing), also after a root delete in the same transaction.
  h.json_delete("d", "$");
  h.json_set("d", "$.a.b", Value(round));
  h.transaction([&](Transaction& tx) {
    tx.json_delete("d", "$");
    tx.json_set("d", "$.x[\"y z\"]", Value(Array{Value(round)}));
    tx.json_array_append("d", "$.x[\"y z\"]", Value("more"));
  });

  if (!h.json_get("big", "$")) {
    Object big;
    for (int i = 0; i < 100; ++i)
      big["field" + std::to_string(i)] = Value(filler(100, static_cast<char>('a' + i % 26)));
    big["counter"] = Value(0);
    h.json_set("big", "$", Value(big));
  }
  for (int i = 0; i < 5; ++i) h.json_incr("big", "$.counter", Value(1));
  // A large edit that leaves the document small: the whole document is
  // the shorter log entry.
  for (int i = 0; i < 3; ++i) {
    h.transaction([&](Transaction& tx) {
      tx.json_set("small", "$.scratch", Value(filler(2000, 's')));
      tx.json_delete("small", "$.scratch");
      tx.json_set("small", "$.n", Value(round * 10 + i));
    });
  }
}

void write_json(Strata& db, int round) {
  for (const auto& run : {"default", "third"}) {
    Strata h = handle(db, run);
    json_in(h, round);
  }
}

void write_all(Strata& db, int round) {
  write_events(db, round);
  write_state(db, round);
  write_json(db, round);
}

// ---- the WAL's JSON log forms ------------------------------------------------------------

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

struct PatchForms {
  std::map<std::string, int> whole;  // user key -> patches that are one root Set/Erase
  std::map<std::string, int> paths;  // user key -> patches of path-level edits
};

/// Decodes every commit record in the WAL segments of a closed database.
PatchForms scan_wal(const fs::path& db) {
  PatchForms f;
  for (const auto& e : fs::directory_iterator(db / "wal")) {
    const std::string image = read_file(e.path());
    wal::RecordReader reader(image);
    std::string why;
    BOOST_TEST_REQUIRE(reader.check_header(wal::kWalMagic, why), why);
    wal::RecordReader::Record r;
    while (reader.next(r, why) == wal::RecordReader::Status::Ok) {
      if (r.type != wal::RecordType::Commit) continue;
      commit::OwnedCommit c;
      BOOST_TEST_REQUIRE(wal::decode_commit(r.payload, c, why), why);
      for (const auto& p : c.patches) {
        const bool root = p.edits.size() == 1 && p.edits[0].path.is_root();
        ++(root ? f.whole : f.paths)[std::string(keys::user_key_of(p.key))];
      }
    }
  }
  return f;
}

// ---- the lifecycle every test drives ---------------------------------------------------

enum class Shape { Reopen, CompactThenWrite };

/// Writes (optionally: compact, write more), closes, reopens and compares,
/// lets `resume` continue the work, then reopens twice more comparing each
/// time. `before_close` sees the database and its directory before the
/// first close.
void lifecycle(Durability mode, Shape shape, const std::function<void(Strata&, int)>& write,
               const std::function<void(Strata&, const View&)>& resume,
               const std::function<void(const fs::path&)>& after_first_close = {}) {
  TempDir dir;
  View want;
  {
    auto db = Strata::open(dir.db(), opts(mode));
    write(db, 0);
    if (shape == Shape::CompactThenWrite) {
      db.compact();
      write(db, 1);
    }
    want = observe(db);
    db.close();
  }
  if (after_first_close) after_first_close(dir.db());
  {
    auto db = Strata::open(dir.db(), opts(mode));
    BOOST_TEST_CONTEXT("first reopen") check_same(observe(db), want);
    resume(db, want);
    want = observe(db);
  }
  for (int i = 0; i < 2; ++i) {
    auto db = Strata::open(dir.db(), opts(mode));
    BOOST_TEST_CONTEXT("reopen " << i + 2) check_same(observe(db), want);
  }
}

/// Every (mode, shape) pair.
template <class Fn>
void for_each_setup(Fn fn) {
  for (Durability mode : {Durability::Buffered, Durability::Strict})
    for (Shape shape : {Shape::Reopen, Shape::CompactThenWrite})
      BOOST_TEST_CONTEXT((mode == Durability::Strict ? "strict" : "buffered")
                         << (shape == Shape::Reopen ? "" : ", compact + write")) fn(mode, shape);
}

// ---- what resuming checks ----------------------------------------------------------------

/// Appends continue densely after the recovered log, the chain stays valid,
/// and the type index knows the new type.
void resume_events(Strata& db, const View& before) {
  for (const auto& name : kRuns) {
    BOOST_TEST_CONTEXT("run " << name) {
      Strata h(db.database());
      h.set_run(name);
      const std::uint64_t len = before.runs.at(name).len;
      BOOST_TEST_REQUIRE(len > 0u);
      BOOST_TEST(h.event_append("after", Value::object({{"n", Value(1)}})) == len + 1);
      BOOST_TEST(h.transaction([](Transaction& tx) {
        tx.event_append("after", Value::object({{"n", Value(2)}}));
        tx.event_append("note", Value::object({{"n", Value(3)}}));
        return tx.event_len();
      }) == len + 3);
      BOOST_TEST(h.event_len() == len + 3);
      const auto v = h.event_verify();
      BOOST_TEST(v.ok, v.reason);
      BOOST_TEST(v.checked == len + 3);
      BOOST_TEST(h.event_read_by_type("after").size() == 2u);
      const auto fresh = h.event_read(len + 1);
      BOOST_TEST_REQUIRE(fresh.has_value());
      BOOST_TEST(fresh->hash != before.runs.at(name).events.back().hash);
      BOOST_TEST(fresh->timestamp_us >= before.runs.at(name).events.back().timestamp_us);
    }
  }
}

/// state_cas succeeds with exactly the pre-close version, and fails with a
/// stale one.
void resume_state(Strata& db, const View& before) {
  for (const auto& name : {"default", "side"}) {
    BOOST_TEST_CONTEXT("run " << name) {
      Strata h(db.database());
      h.set_run(name);
      const auto& cell = before.runs.at(name).cells.at("counter");
      BOOST_TEST_REQUIRE(cell.has_value());
      const Version v = cell->version;
      BOOST_TEST(!h.state_cas("counter", v - 1, Value(-1)).has_value());
      BOOST_TEST(!h.state_cas("counter", std::nullopt, Value(-1)).has_value());
      const auto next = h.state_cas("counter", v, Value(cell->value.as_int() + 1));
      BOOST_TEST_REQUIRE(next.has_value());
      BOOST_TEST(*next > before.visible);
      BOOST_TEST(!h.state_cas("counter", v, Value(-1)).has_value());  // v is stale now
      BOOST_TEST(h.state_read("counter")->version == *next);
      // init on a recovered cell does not write and reports its version.
      const auto init = before.runs.at(name).cells.at("init");
      BOOST_TEST_REQUIRE(init.has_value());
      BOOST_TEST(h.state_init("init", Value("ignored")) == init->version);
    }
  }
}

/// Recovered documents keep taking path-level edits.
void resume_json(Strata& db, const View& before) {
  Strata h(db.database());
  const auto tags = before.runs.at("default").docs.at("profile")->as_object().at("tags").as_array();
  h.json_array_append("profile", "$.tags", Value("resumed"));
  BOOST_TEST(h.json_get("profile", "$.tags")->as_array().size() == tags.size() + 1);
  BOOST_TEST((h.json_get("profile", "$.tags[-1]") == std::optional(Value("resumed"))));
  const Value n = h.json_incr("big", "$.counter", Value(1));
  BOOST_TEST((Value(before.runs.at("default").docs.at("big")->as_object().at("counter").as_int() + 1) == n));
  BOOST_TEST(h.json_delete("temp", "$") == 1u);
  h.json_set("temp", "$", Value::object({{"reborn", Value(true)}}));
}

}  // namespace

BOOST_AUTO_TEST_CASE(event_logs_come_back_identical_and_the_chain_continues) {
  for_each_setup([](Durability mode, Shape shape) {
    lifecycle(mode, shape, write_events, [](Strata& db, const View& before) {
      for (const auto& name : kRuns) {
        const RunView& r = before.runs.at(name);
        BOOST_TEST(r.verify.ok);
        BOOST_TEST(r.verify.checked == r.len);
        BOOST_TEST(r.len == r.events.size());
        BOOST_TEST(r.by_type.at("tool_call").size() + r.by_type.at("observation").size() +
                       r.by_type.at("note").size() + r.by_type.at("ünïcode type").size() ==
                   r.len);
      }
      resume_events(db, before);
    });
  });
}

BOOST_AUTO_TEST_CASE(state_cells_keep_exact_versions) {
  for_each_setup([](Durability mode, Shape shape) {
    lifecycle(mode, shape, write_state, resume_state);
  });
}

BOOST_AUTO_TEST_CASE(json_documents_come_back_identical_after_path_edits) {
  for_each_setup([](Durability mode, Shape shape) {
    lifecycle(mode, shape, write_json, resume_json, [](const fs::path& dir) {
      // Both log forms must have been replayed for this test to mean much.
      PatchForms f = scan_wal(dir);
      BOOST_TEST(f.paths["big"] > 0);
      BOOST_TEST(f.whole["big"] <= 2);  // only its creation (one per run)
      BOOST_TEST(f.whole["small"] >= 3);
      BOOST_TEST(f.paths["small"] == 0);
      BOOST_TEST(f.paths["profile"] > 0);
      BOOST_TEST(f.whole["temp"] > 0);  // deletes are root Erases
    });
  });
}

BOOST_AUTO_TEST_CASE(all_primitives_together_and_key_counts) {
  for_each_setup([](Durability mode, Shape shape) {
    lifecycle(mode, shape, write_all, [](Strata& db, const View& before) {
      BOOST_TEST(before.key_counts.at("event") > 0u);
      BOOST_TEST(before.key_counts.at("state") > 0u);
      BOOST_TEST(before.key_counts.at("json") > 0u);
      BOOST_TEST(before.key_counts.at("kv") > 0u);
      resume_events(db, before);
      resume_state(db, before);
      resume_json(db, before);
    });
  });
}

BOOST_AUTO_TEST_CASE(deleting_a_run_with_events_state_and_json_is_durable) {
  for (Durability mode : {Durability::Buffered, Durability::Strict}) {
    for (bool compact_before_delete : {false, true}) {
      BOOST_TEST_CONTEXT("mode " << static_cast<int>(mode) << " compact before delete " << compact_before_delete) {
        TempDir dir;
        std::map<std::string, std::uint64_t> counts_before, counts_after;
        {
          auto db = Strata::open(dir.db(), opts(mode));
          write_all(db, 0);
          Strata doomed = handle(db, "doomed");
          events_in(doomed, 0);
          state_in(doomed, 0);
          json_in(doomed, 0);
          doomed.kv_put("kv-key", Value(1));
          if (compact_before_delete) db.compact();
          events_in(doomed, 1);
          counts_before = db.info().keys;
          Strata other(db.database());
          BOOST_TEST(other.delete_run("doomed") > 0u);
          counts_after = db.info().keys;
          for (const auto& p : {"kv", "event", "state", "json"})
            BOOST_TEST(counts_after.at(p) < counts_before.at(p), p);
          if (!compact_before_delete) db.compact();
        }
        auto db = Strata::open(dir.db(), opts(mode));
        BOOST_TEST(!db.run_exists("doomed"));
        BOOST_TEST((db.info().keys == counts_after));
        // The name is reusable and the new run starts empty.
        Strata reborn = handle(db, "doomed");
        BOOST_TEST(reborn.event_len() == 0u);
        BOOST_TEST(reborn.event_verify().checked == 0u);
        BOOST_TEST(!reborn.state_read("counter").has_value());
        BOOST_TEST(!reborn.json_get("profile", "$").has_value());
        BOOST_TEST(reborn.json_list().keys.empty());
        BOOST_TEST(reborn.event_read_by_type("note").empty());
        BOOST_TEST(reborn.event_append("note", Value(Object{})) == 1u);
        db.close();
        auto again = Strata::open(dir.db(), opts(mode));
        Strata h = handle(again, "doomed");
        BOOST_TEST(h.event_len() == 1u);
        BOOST_TEST(h.event_verify().ok);
      }
    }
  }
}
