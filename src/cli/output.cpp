#include "cli/output.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdio>
#include <ctime>

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

std::string history_line(const VersionedValue& v) {
  std::string out = std::to_string(v.version) + ' ' + format_timestamp(v.timestamp_us) + ' ';
  out += v.tombstone ? std::string("(deleted)") : v.value.to_json_string();
  return out;
}

std::string run_line(const RunInfo& r, const std::string& current) {
  std::string line = r.name + ' ' + std::string(run_status_name(r.status));
  if (r.name == current) line += " (current)";
  return line;
}

std::string run_details(const RunDetails& d) {
  std::vector<std::string> lines{
      "name: " + d.run.name,
      "status: " + std::string(run_status_name(d.run.status)),
      "created: " + format_timestamp(d.run.created_us),
      "metadata: " + Value(d.run.metadata).to_json_string(),
      std::string("current: ") + (d.current ? "yes" : "no"),
  };
  if (d.run.parent) lines.push_back("parent: " + *d.run.parent);
  if (d.run.fork_version) lines.push_back("fork_version: " + std::to_string(*d.run.fork_version));
  return join_lines(lines);
}

std::string histogram_text(const std::vector<std::uint64_t>& buckets) {
  std::string out = "[";
  for (std::size_t i = 0; i < buckets.size(); ++i) out += (i ? "," : "") + std::to_string(buckets[i]);
  return out + "]";
}

std::string info_text(const InfoResult& r) {
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
  return join_lines(lines);
}

boost::json::value run_json(const RunInfo& r) {
  boost::json::object o;
  o["name"] = r.name;
  o["status"] = run_status_name(r.status);
  o["created_us"] = r.created_us;
  o["metadata"] = to_json(Value(r.metadata));
  if (r.parent) o["parent"] = *r.parent;
  if (r.fork_version) o["fork_version"] = *r.fork_version;
  return o;
}

boost::json::value history_json(const VersionedValue& v) {
  boost::json::object o;
  o["version"] = v.version;
  o["timestamp_us"] = v.timestamp_us;
  o["tombstone"] = v.tombstone;
  o["value"] = v.tombstone ? boost::json::value(nullptr) : to_json(v.value);
  return o;
}

boost::json::value info_json(const InfoResult& r) {
  const DatabaseInfo& i = r.info;
  boost::json::object keys;
  for (const auto& [primitive, n] : i.keys) keys[primitive] = n;
  boost::json::array histogram(i.batch_histogram.begin(), i.batch_histogram.end());
  return boost::json::object{
      {"version", i.version},       {"durability", i.durability},
      {"path", i.path},             {"uptime_us", i.uptime_us},
      {"shards", i.shards},         {"threads", i.threads},
      {"runs", i.runs},             {"current_run", r.current_run},
      {"keys", std::move(keys)},    {"visible_version", i.visible_version},
      {"commits", i.commits},       {"conflicts", i.conflicts},
      {"wal_bytes", i.wal_bytes},   {"last_fsync_us", i.last_fsync_us},
      {"fsyncs", i.fsyncs},         {"batch_histogram", std::move(histogram)},
      {"recovered_records", i.recovered_records},
      {"truncated_bytes", i.truncated_bytes},
      {"compactions", i.compactions},
      {"compaction_max_pause_us", i.compaction_max_pause_us},
  };
}

}  // namespace

std::string render_human(const Output& out) {
  return std::visit(
      Overloaded{
          [](const ValueResult& r) { return r.value ? r.value->to_json_string() : std::string(kNil); },
          [](const VersionResult& r) { return std::to_string(r.version); },
          [](const DeleteResult& r) { return std::string(r.existed ? "1" : "0"); },
          [](const KeysResult& r) { return join_lines(r.keys); },
          [](const HistoryResult& r) {
            std::vector<std::string> lines;
            for (const auto& v : r.versions) lines.push_back(history_line(v));
            return join_lines(lines);
          },
          [](const RunCreated&) { return std::string("OK"); },
          [](const RunSelected&) { return std::string("OK"); },
          [](const RunDeleted& r) { return "OK (" + std::to_string(r.keys_removed) + " keys removed)"; },
          [](const RunDetails& r) { return run_details(r); },
          [](const RunListing& r) {
            std::vector<std::string> lines;
            for (const auto& run : r.runs) lines.push_back(run_line(run, r.current));
            return join_lines(lines);
          },
          [](const InfoResult& r) { return info_text(r); },
          [](const TextResult& r) { return r.text; },
      },
      out);
}

boost::json::value render_json(const Output& out) {
  using boost::json::value;
  return std::visit(
      Overloaded{
          [](const ValueResult& r) { return r.value ? to_json(*r.value) : value(nullptr); },
          [](const VersionResult& r) { return value(r.version); },
          [](const DeleteResult& r) { return value(r.existed ? 1 : 0); },
          [](const KeysResult& r) { return value(boost::json::array(r.keys.begin(), r.keys.end())); },
          [](const HistoryResult& r) {
            boost::json::array a;
            for (const auto& v : r.versions) a.push_back(history_json(v));
            return value(std::move(a));
          },
          [](const RunCreated& r) { return run_json(r.run); },
          [](const RunSelected& r) { return value(boost::json::object{{"run", r.name}}); },
          [](const RunDeleted& r) {
            return value(boost::json::object{{"run", r.name}, {"keys_removed", r.keys_removed}});
          },
          [](const RunDetails& r) {
            value v = run_json(r.run);
            v.as_object()["current"] = r.current;
            return v;
          },
          [](const RunListing& r) {
            boost::json::array a;
            for (const auto& run : r.runs) {
              value v = run_json(run);
              v.as_object()["current"] = run.name == r.current;
              a.push_back(std::move(v));
            }
            return value(std::move(a));
          },
          [](const InfoResult& r) { return info_json(r); },
          [](const TextResult& r) { return value(r.text); },
      },
      out);
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
