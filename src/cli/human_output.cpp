#include "cli/human_output.hpp"

#include <boost/json/object.hpp>

#include <cstdio>
#include <ctime>
#include <vector>

namespace strata::cli {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

constexpr std::string_view kNil = "(nil)";
constexpr std::string_view kEmpty = "(empty)";

// Joins lines with '\n'; an empty listing still prints one line so that a
// reader expecting one result per command is never left waiting.
std::string join_lines(const std::vector<std::string>& lines) {
  if (lines.empty()) return std::string(kEmpty);
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

template <class T, class Fn>
std::string lines_of(const std::vector<T>& items, Fn line) {
  std::vector<std::string> lines;
  for (const auto& item : items) lines.push_back(line(item));
  return join_lines(lines);
}

std::string history_line(const VersionedValue& v) {
  std::string out = std::to_string(v.version) + ' ' + format_timestamp(v.timestamp_us) + ' ';
  out += v.tombstone ? std::string("(deleted)") : v.value.to_json_string();
  if (v.ttl_ms) out += " (ttl " + std::to_string(*v.ttl_ms) + " ms)";
  return out;
}

std::string event_line(const Event& e) {
  return std::to_string(e.sequence) + ' ' + e.type + ' ' + Value(e.payload).to_json_string();
}

// A cell written earlier in the same transaction has no version yet (0).
std::string state_text(const out::MaybeState& s) {
  if (!s.state) return std::string(kNil);
  std::string version = s.state->version == 0 ? "pending" : "version " + std::to_string(s.state->version);
  return s.state->value.to_json_string() + " (" + version + ")";
}

std::string verification_text(const EventVerification& v) {
  if (v.ok) return "ok (" + std::to_string(v.checked) + " events)";
  return "broken at sequence " + std::to_string(v.first_bad.value_or(0)) + ": " + v.reason;
}

std::string run_details(const RunInfo& run, const std::string& current_run) {
  std::vector<std::string> lines{
      "name: " + run.name,
      "status: " + std::string(run_status_name(run.status)),
      "created: " + format_timestamp(run.created_us),
      "metadata: " + Value(run.metadata).to_json_string(),
      std::string("current: ") + (run.name == current_run ? "yes" : "no"),
  };
  if (run.parent) lines.push_back("parent: " + *run.parent);
  if (run.fork_version) lines.push_back("fork_version: " + std::to_string(*run.fork_version));
  return join_lines(lines);
}

/// One line per difference: "kv + KEY VALUE" (only in B), "kv - KEY VALUE"
/// (only in A), "kv ~ KEY A -> B"; JSON changes name their paths; events
/// after the common ones as "event A|B SEQ TYPE PAYLOAD".
std::string diff_text(const RunDiff& d) {
  std::vector<std::string> lines;
  auto entries = [&](const char* what, const std::vector<EntryChange>& changes) {
    for (const EntryChange& c : changes) {
      std::string line = std::string(what) + (c.a && c.b ? " ~ " : c.b ? " + " : " - ");
      line += c.collection.empty() ? c.key : c.collection + "/" + c.key;
      if (c.a && c.b && !c.paths.empty()) {
        line += " at";
        for (std::size_t i = 0; i < c.paths.size(); ++i) line += (i ? ", " : " ") + c.paths[i];
      } else if (c.a && c.b) {
        line += " " + c.a->to_json_string() + " -> " + c.b->to_json_string();
      } else {
        line += " " + (c.a ? *c.a : *c.b).to_json_string();
      }
      lines.push_back(std::move(line));
    }
  };
  entries("kv", d.kv);
  entries("state", d.state);
  entries("json", d.json);
  entries("collection", d.collections);
  entries("vector", d.vectors);
  for (const Event& e : d.events_a) lines.push_back("event " + d.a + " " + event_line(e));
  for (const Event& e : d.events_b) lines.push_back("event " + d.b + " " + event_line(e));
  if (lines.empty()) lines.push_back("(no differences)");
  return join_lines(lines);
}

/// "merged N entries and M events at version V", then one line per
/// conflict the strategy settled.
std::string merge_text(const MergeResult& m) {
  std::vector<std::string> lines{m.version ? "merged " + std::to_string(m.entries) + " entries and " +
                                                 std::to_string(m.events) + " events at version " + std::to_string(m.version)
                                           : std::string("nothing to merge")};
  for (const auto& r : m.resolved) lines.push_back("resolved " + r);
  return join_lines(lines);
}

std::string histogram_text(const std::vector<std::uint64_t>& buckets) {
  std::string out = "[";
  for (std::size_t i = 0; i < buckets.size(); ++i) out += (i ? "," : "") + std::to_string(buckets[i]);
  return out + "]";
}

std::string floats_text(const std::vector<float>& v) {
  Array a;
  a.reserve(v.size());
  for (float f : v) a.emplace_back(static_cast<double>(f));
  return Value(std::move(a)).to_json_string();
}

std::string collection_line(const CollectionInfo& c) {
  return c.name + " " + std::to_string(c.dimension) + " " + std::string(metric_name(c.metric)) + " " +
         std::to_string(c.count);
}

std::string collection_text(const CollectionInfo& c) {
  return "name: " + c.name + "\ndimension: " + std::to_string(c.dimension) + "\nmetric: " +
         std::string(metric_name(c.metric)) + "\ncount: " + std::to_string(c.count) + "\nindex: " + c.index +
         "\nmemory_bytes: " + std::to_string(c.memory_bytes) + "\nhnsw_threshold: " +
         std::to_string(c.options.hnsw_threshold) + "\nm: " + std::to_string(c.options.m) +
         "\nef_construction: " + std::to_string(c.options.ef_construction) +
         "\nef_search: " + std::to_string(c.options.ef_search);
}

std::string vector_text(const VectorEntry& e) {
  return floats_text(e.vector) + " " + (e.metadata ? e.metadata->to_json_string() : std::string("null")) +
         " (version " + std::to_string(e.version) + ")";
}

std::string vector_history_line(const VectorVersion& v) {
  std::string out = std::to_string(v.version) + ' ' + format_timestamp(v.timestamp_us) + ' ';
  if (v.tombstone) return out + "(deleted)";
  return out + floats_text(v.vector) + ' ' + (v.metadata ? v.metadata->to_json_string() : std::string("null"));
}

std::string match_line(const VectorMatch& m) {
  return m.key + " " + Value(static_cast<double>(m.score)).to_json_string() + " " +
         (m.metadata ? m.metadata->to_json_string() : std::string("null"));
}

std::string info_text(const out::InfoOut& r) {
  const DatabaseInfo& i = r.info;
  std::vector<std::string> lines{
      "version: " + i.version,
      "durability: " + i.durability,
      "path: " + (i.path.empty() ? std::string("(memory)") : i.path),
      "uptime_us: " + std::to_string(i.uptime_us),
      "shards: " + std::to_string(i.shards),
      "threads: " + std::to_string(i.threads),
      "runs: " + std::to_string(i.runs),
      "current_run: " + r.current_run,
  };
  for (const auto& [primitive, n] : i.keys) lines.push_back("keys." + primitive + ": " + std::to_string(n));
  lines.push_back("visible_version: " + std::to_string(i.visible_version));
  lines.push_back("commits: " + std::to_string(i.commits));
  lines.push_back("conflicts: " + std::to_string(i.conflicts));
  lines.push_back("wal_bytes: " + std::to_string(i.wal_bytes));
  lines.push_back("last_fsync_us: " + std::to_string(i.last_fsync_us));
  lines.push_back("fsyncs: " + std::to_string(i.fsyncs));
  lines.push_back("batch_histogram: " + histogram_text(i.batch_histogram));
  lines.push_back("recovered_records: " + std::to_string(i.recovered_records));
  lines.push_back("truncated_bytes: " + std::to_string(i.truncated_bytes));
  lines.push_back("compactions: " + std::to_string(i.compactions));
  lines.push_back("compaction_max_pause_us: " + std::to_string(i.compaction_max_pause_us));
  lines.push_back("actor_messages: " + std::to_string(i.actor_messages));
  lines.push_back("actor_message_waits: " + std::to_string(i.actor_message_waits));
  lines.push_back("actor_message_wait_us: " + std::to_string(i.actor_message_wait_us));
  lines.push_back("vector_index_bytes: " + std::to_string(i.vector_index_bytes));
  return join_lines(lines);
}

std::string value_or_nil(const std::optional<Value>& v) { return v ? v->to_json_string() : std::string(kNil); }

}  // namespace

std::string render_human(const Command& command, const Output& output, const std::string& current_run) {
  const std::string ok = "OK";
  return std::visit(
      Overloaded{
          [&](const out::Done&) { return ok; },
          [](const out::VersionOut& r) { return std::to_string(r.version); },
          [](const out::MaybeValue& r) { return value_or_nil(r.value); },
          [](const out::Existed& r) { return std::string(r.existed ? "1" : "0"); },
          [](const out::Count& r) { return std::to_string(r.count); },
          [](const out::Keys& r) { return join_lines(r.keys); },
          [](const out::History& r) { return lines_of(r.versions, history_line); },
          [](const out::Sequence& r) { return std::to_string(r.sequence); },
          [](const out::MaybeEvent& r) { return r.event ? event_line(*r.event) : std::string(kNil); },
          [](const out::Events& r) { return lines_of(r.events, event_line); },
          [](const out::Length& r) { return std::to_string(r.length); },
          [](const out::Verification& r) { return verification_text(r.verification); },
          [](const out::MaybeState& r) { return state_text(r); },
          [](const out::MaybeVersion& r) { return r.version ? std::to_string(*r.version) : std::string(kNil); },
          [&](const out::Wrote& r) { return r.wrote ? ok : std::string(kNil); },
          [](const out::ValueOut& r) { return r.value.to_json_string(); },
          [&](const out::RunOut& r) {
            // run info shows the run, run fork its base; create/status/metadata just succeed.
            if (std::holds_alternative<cmd::RunFork>(command))
              return "forked " + r.run.parent.value_or("") + " at version " + std::to_string(r.run.fork_version.value_or(0));
            return std::holds_alternative<cmd::RunInfo>(command) ? run_details(r.run, current_run) : ok;
          },
          [&](const out::Runs& r) {
            return lines_of(r.runs, [&](const RunInfo& run) {
              std::string line = run.name + ' ' + std::string(run_status_name(run.status));
              return run.name == current_run ? line + " (current)" : line;
            });
          },
          [&](const out::RunSelected&) { return ok; },
          [](const out::Deleted& r) { return "OK (" + std::to_string(r.keys_removed) + " keys removed)"; },
          [](const out::InfoOut& r) { return info_text(r); },
          [](const out::Pong& r) { return r.text; },
          [](const out::TxnBegun& r) { return "transaction started at version " + std::to_string(r.snapshot_version); },
          [](const out::TxnCommitted& r) { return std::to_string(r.version); },
          [](const out::TxnRolledBack&) { return std::string("rolled back"); },
          [](const out::Collection& r) { return collection_text(r.collection); },
          [](const out::Collections& r) { return lines_of(r.collections, collection_line); },
          [](const out::MaybeVector& r) { return r.vector ? vector_text(*r.vector) : std::string(kNil); },
          [](const out::Matches& r) { return lines_of(r.matches, match_line); },
          [](const out::Digest& r) { return r.digest.sha256 + " (version " + std::to_string(r.digest.version) + ")"; },
          [](const out::Diff& r) { return diff_text(r.diff); },
          [](const out::Merged& r) { return merge_text(r.merge); },
          [](const out::VectorHistory& r) { return lines_of(r.versions, vector_history_line); },
          [](const out::Replayed& r) {
            return "replayed " + std::to_string(r.replay.commits) + " commits up to version " +
                   std::to_string(r.replay.up_to);
          },
      },
      output);
}

std::string error_line(std::string_view code, std::string_view message) {
  std::string line = "error: ";
  line.append(code).append(": ").append(message);
  return line;
}

boost::json::value error_json(std::string_view code, std::string_view message) {
  return boost::json::object{{"error", boost::json::object{{"code", code}, {"message", message}}}};
}

std::string format_timestamp(std::int64_t us) {
  std::int64_t secs = us / 1'000'000;
  std::int64_t frac = us % 1'000'000;
  if (frac < 0) {  // floor division, so times before 1970 still format
    frac += 1'000'000;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(frac));
  return buf;
}

}  // namespace strata::cli
