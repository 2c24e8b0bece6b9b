// quickstart — the seed README's quick example in C++, step by step.
//
// Opens the database in ./strata-data (Buffered durability, the default for a
// directory), says what an earlier run of the example left there, stores two
// keys on the "default" run, shows that a new run is isolated from them,
// updates a key in a retried transaction, stores a few embeddings with
// metadata in a vector collection and searches them (with and without a
// metadata filter), forks the run, writes a state cell, a JSON document and
// an event in the fork, diffs it against its parent and merges it back, and
// prints every step's result.
//
// Run it twice: the second run starts by printing the first run's data,
// recovered from the write-ahead log. Steps that find their work already
// done (a run that exists from an earlier run) say so instead of failing.
#include <strata/strata.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char* kPath = "./strata-data";

/// One aligned line per step: what was done, then what came back.
void step(std::string_view what, std::string_view result) {
  std::string padded(what);
  if (padded.size() < 44) padded.resize(44, ' ');
  std::cout << "  " << padded << " -> " << result << '\n';
}

std::string show(const std::optional<strata::Value>& v) { return v ? v->to_json_string() : "(nil)"; }

/// What an earlier run of the example left in the directory, if anything.
void report_previous_run(strata::Strata& db) {
  const auto info = db.info();
  auto name = db.kv_get("user:name");
  auto score = db.kv_get("user:score");
  if (!name && !score) {
    std::cout << "no data from a previous run in " << kPath << " (a fresh database)\n";
    return;
  }
  std::cout << "found data from a previous run: user:name = " << show(name) << ", user:score = " << show(score)
            << " (recovered " << info.recovered_records << " log records, visible version "
            << info.visible_version << ")\n";
}

/// Fails the example loudly if the database does not behave as documented.
void expect(bool ok, std::string_view what) {
  if (ok) return;
  std::cerr << "quickstart: unexpected result: " << what << '\n';
  std::exit(1);
}

void kv_and_runs(strata::Strata& db) {
  // All data lives in a run (like a git branch); a handle starts on "default".
  step("kv_put user:name \"Alice\"", "version " + std::to_string(db.kv_put("user:name", "Alice")));
  step("kv_put user:score 42", "version " + std::to_string(db.kv_put("user:score", 42)));
  step("kv_get user:name", show(db.kv_get("user:name")));

  // A new run is isolated: "user:name" does not exist there.
  if (db.run_exists("experiment-1")) {
    step("create_run experiment-1", "already exists (kept from an earlier run)");
  } else {
    db.create_run("experiment-1");
    step("create_run experiment-1", "created");
  }
  db.set_run("experiment-1");
  step("set_run experiment-1", "current run is " + db.current_run());
  auto isolated = db.kv_get("user:name");
  step("kv_get user:name", show(isolated) + "  (isolated from \"default\")");
  expect(!isolated, "user:name leaked into experiment-1");

  // Switch back: the value is still there.
  db.set_run("default");
  step("set_run default", "current run is " + db.current_run());
  auto name = db.kv_get("user:name");
  step("kv_get user:name", show(name));
  expect(name == strata::Value("Alice"), "user:name is not \"Alice\" on default");
}

void transaction_and_history(strata::Strata& db) {
  // Read-modify-write in one optimistic transaction, retried on conflict.
  const std::int64_t score = db.transaction([](strata::Transaction& tx) {
    const std::int64_t next = tx.kv_get("user:score")->as_int() + 1;
    tx.kv_put("user:score", next);
    return next;
  });
  step("transaction: user:score += 1", "committed, user:score = " + std::to_string(score));

  // Every version is kept; show the newest few (reruns add more).
  const auto history = db.kv_history("user:score");
  std::string versions;
  for (std::size_t i = 0; i < history.size() && i < 4; ++i)
    versions += (i ? ", " : "") + history[i].value.to_json_string() + "@v" + std::to_string(history[i].version);
  if (history.size() > 4) versions += ", ... (" + std::to_string(history.size()) + " versions)";
  step("kv_history user:score (newest first)", versions);

  // Time travel: any read, as the run was at an older version.
  if (history.size() > 1) {
    const auto then = db.kv_get("user:score", strata::AsOf::at_version(history[1].version));
    step("kv_get user:score --as-of " + std::to_string(history[1].version), show(then));
    expect(then == history[1].value, "the time-travel read does not match the history");
  }

  std::string keys;
  for (const auto& k : db.kv_list("user:").keys) keys += (keys.empty() ? "" : ", ") + k;
  step("kv_list user:", keys);

  std::string runs;
  for (const auto& r : db.list_runs()) runs += (runs.empty() ? "" : ", ") + r.name;
  step("list_runs", runs);

  // A canonical content hash of a run: equal content, equal digest.
  const auto digest = db.run_digest("default");
  step("run_digest default", digest.sha256.substr(0, 16) + "... at version " + std::to_string(digest.version));
}

/// "key (score)" per match, best first.
std::string show(const std::vector<strata::VectorMatch>& matches) {
  std::string out;
  for (const auto& m : matches) {
    char score[32];
    std::snprintf(score, sizeof score, "%.3f", static_cast<double>(m.score));
    out += (out.empty() ? "" : ", ") + m.key + " (" + score + ")";
  }
  return out.empty() ? "(none)" : out;
}

void vectors(strata::Strata& db) {
  // A collection of 4-dimensional embeddings compared by cosine similarity
  // (real embeddings have hundreds of dimensions; the calls are the same).
  const bool existed = !db.vector_list_collections().empty();
  if (existed) {
    step("vector_create_collection memories", "already exists (kept from an earlier run)");
  } else {
    db.vector_create_collection("memories", 4, strata::Metric::Cosine);
    step("vector_create_collection memories", "created (dimension 4, cosine)");
  }

  // Upserts replace, so a rerun stores the same four vectors again: one commit.
  using strata::Value;
  const std::vector<strata::VectorRecord> memories{
      {"mem:units", {0.9f, 0.1f, 0.0f, 0.1f}, Value::object({{"kind", "preference"}, {"text", "prefers metric units"}})},
      {"mem:name", {0.1f, 0.9f, 0.1f, 0.0f}, Value::object({{"kind", "fact"}, {"text", "is called Alice"}})},
      {"mem:trip", {0.7f, 0.2f, 0.6f, 0.0f}, Value::object({{"kind", "plan"}, {"text", "visit Oslo in May"}})},
      {"mem:diet", {0.8f, 0.0f, 0.1f, 0.4f}, Value::object({{"kind", "preference"}, {"text", "vegetarian"}})},
  };
  step("vector_upsert_batch memories (4 vectors)", "version " + std::to_string(db.vector_upsert_batch("memories", memories)));

  // The two memories nearest to a query embedding, best first.
  const std::vector<float> query{1.0f, 0.0f, 0.2f, 0.2f};
  const auto nearest = db.vector_search("memories", query, 2);
  step("vector_search k=2", show(nearest));
  expect(nearest.size() == 2 && nearest[0].key == "mem:units", "the nearest memory is not mem:units");

  // The same query among the plans only: a filter chooses among the matching
  // vectors, so it finds the plan even though two preferences are nearer.
  strata::VectorSearchOptions plans;
  plans.filter = Value::object({{"kind", "plan"}});
  const auto planned = db.vector_search("memories", query, 2, plans);
  step("vector_search k=2 {\"kind\": \"plan\"}", show(planned));
  expect(planned.size() == 1 && planned[0].key == "mem:trip", "the filtered search did not find mem:trip");

  const auto info = db.vector_collection_info("memories");
  step("vector_collection_info memories", std::to_string(info.count) + " vectors, " + info.index + " index");
  expect(info.count == 4, "memories does not hold 4 vectors");
}

void branches(strata::Strata& db) {
  using strata::Value;
  // Fork the run like a git branch: the fork starts with everything
  // "default" holds, and nothing is copied. (A rerun replaces the fork.)
  if (db.run_exists("what-if")) db.delete_run("what-if");
  const auto fork = db.fork_run("what-if");
  step("fork_run what-if", "from default at version " + std::to_string(*fork.fork_version));

  strata::Strata trial = db;  // a second handle, on the fork
  trial.set_run("what-if");
  trial.kv_put("user:plan", "take the train");
  trial.state_set("budget", 40);
  trial.json_set("trip", "$", Value::object({{"city", "Oslo"}, {"month", "May"}}));
  const auto seq = trial.event_append("decision", Value::object({{"choice", "train"}}));
  step("writes in what-if (kv, state cell, JSON document, event)", "event sequence " + std::to_string(seq));
  expect(!db.kv_get("user:plan") || db.kv_get("user:plan") == Value("take the train"),
         "the fork's write leaked into default");

  // What differs, per primitive; then merge the fork back, as one commit.
  const auto d = db.diff_runs("default", "what-if");
  step("diff_runs default what-if", std::to_string(d.kv.size()) + " kv, " + std::to_string(d.state.size()) +
                                        " state, " + std::to_string(d.json.size()) + " json, " +
                                        std::to_string(d.events_b.size()) + " event(s) only in what-if");
  const auto merged = db.merge_run("what-if", "default");
  step("merge_run what-if -> default", merged.version ? "version " + std::to_string(merged.version) + ", " +
                                                            std::to_string(merged.entries) + " entries, " +
                                                            std::to_string(merged.events) + " event(s)"
                                                      : std::string("nothing new"));
  expect(db.kv_get("user:plan") == Value("take the train"), "the merge did not bring user:plan");
  expect(db.json_get("trip", "$.city") == Value("Oslo"), "the merge did not bring the trip document");
  step("event_verify default", db.event_verify().ok ? "hash chain ok" : "BROKEN");

  // Every primitive keeps its history, newest first, one page at a time.
  const auto budget = db.state_history("budget", strata::HistoryRequest{3, std::nullopt});
  step("state_history budget --limit 3", std::to_string(budget.size()) + " version(s), newest " +
                                             (budget.empty() ? std::string("none") : budget[0].value.to_json_string()));
  // Working memory that forgets by itself: a KV value with a TTL.
  db.kv_put("scratch:thought", "check the ferry too", strata::PutOptions{std::chrono::minutes(10)});
  step("kv_put scratch:thought --ttl 10m", "expires in 10 minutes; " + show(db.kv_get("scratch:thought")));
}

}  // namespace

int main() {
  try {
    auto db = strata::Strata::open(kPath);  // Buffered: the default for a directory
    const auto info = db.info();
    std::cout << "StrataDB " << info.version << " quickstart on " << kPath << " (durability: " << info.durability
              << ")\n";
    report_previous_run(db);
    kv_and_runs(db);
    transaction_and_history(db);
    vectors(db);
    branches(db);
    db.flush();  // not required (closing flushes too); makes the writes durable now
    std::cout << "quickstart: all steps succeeded; run it again to see this data recovered\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "quickstart: " << e.what() << '\n';
    return 1;
  }
}
