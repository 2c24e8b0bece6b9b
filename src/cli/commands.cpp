#include "cli/commands.hpp"

#include "cli/arguments.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <limits>

namespace strata::cli {
namespace {

using Args = std::span<const Token>;

std::string optional_word(Args a) { return a.empty() ? std::string() : a[0].word; }

// ---- builders (keys, cells, types and paths are taken verbatim from the word) ----

Command kv_put(Args a) { return cmd::KvPut{.key = a[0].word, .value = parse_value(a[1])}; }
Command kv_get(Args a) { return cmd::KvGet{.key = a[0].word}; }
Command kv_del(Args a) { return cmd::KvDelete{.key = a[0].word}; }
Command kv_list(Args a) { return cmd::KvList{.prefix = optional_word(a)}; }
Command kv_history(Args a) { return cmd::KvHistory{.key = a[0].word}; }

Command event_append(Args a) {
  return cmd::EventAppend{.type = a[0].word, .payload = parse_object(a[1], "the event payload")};
}
Command event_get(Args a) { return cmd::EventRead{.sequence = parse_unsigned(a[0], "SEQ")}; }
// Without TYPE, every event: the range end is clamped to the log's length,
// and INT64_MAX keeps the command encodable as a JSON integer.
Command event_list(Args a) {
  if (!a.empty()) return cmd::EventReadByType{.type = a[0].word};
  return cmd::EventRange{.from = 1, .to = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())};
}
Command event_len(Args) { return cmd::EventLen{}; }
Command event_verify(Args) { return cmd::EventVerify{}; }

Command state_set(Args a) { return cmd::StateSet{.cell = a[0].word, .value = parse_value(a[1])}; }
Command state_get(Args a) { return cmd::StateRead{.cell = a[0].word}; }
Command state_init(Args a) { return cmd::StateInit{.cell = a[0].word, .value = parse_value(a[1])}; }
Command state_history(Args a) { return cmd::StateHistory{.cell = a[0].word}; }
Command state_cas(Args a) {
  return cmd::StateCas{.cell = a[0].word, .expected = parse_expected_version(a[1]), .value = parse_value(a[2])};
}

Command json_set(Args a) { return cmd::JsonSet{.key = a[0].word, .path = a[1].word, .value = parse_value(a[2])}; }
Command json_get(Args a) { return cmd::JsonGet{.key = a[0].word, .path = a[1].word}; }
Command json_del(Args a) { return cmd::JsonDelete{.key = a[0].word, .path = a[1].word}; }
Command json_list(Args a) { return cmd::JsonList{.prefix = optional_word(a)}; }
Command json_history(Args a) { return cmd::JsonHistory{.key = a[0].word}; }

std::vector<float> parse_floats(const Token& t) {
  const Value v = parse_value(t);
  const Array* a = v.if_array();
  if (!a) throw Error(errc::wrong_type, "a vector is a JSON array of numbers, like [0.1,0.2]; got " + t.word);
  std::vector<float> out;
  out.reserve(a->size());
  for (const Value& x : *a) {
    if (!x.is_int() && !x.is_float()) throw Error(errc::wrong_type, "vector components must be numbers: " + t.word);
    out.push_back(x.is_int() ? static_cast<float>(x.as_int()) : static_cast<float>(x.as_float()));
  }
  return out;
}

Metric parse_metric_word(const Token& t) {
  if (auto m = parse_metric(t.word)) return *m;
  throw Error(errc::invalid_input, "metric \"" + t.word + "\" is not cosine, euclidean or dot");
}

Command vector_create(Args a) {
  return cmd::VectorCreate{.name = a[0].word,
                           .dimension = static_cast<std::size_t>(parse_unsigned(a[1], "DIM")),
                           .metric = parse_metric_word(a[2])};
}
Command vector_upsert(Args a) {
  cmd::VectorUpsert c{.collection = a[0].word, .key = a[1].word, .vector = parse_floats(a[2])};
  if (a.size() > 3) c.metadata = parse_value(a[3]);
  return c;
}
Command vector_get(Args a) { return cmd::VectorGet{.collection = a[0].word, .key = a[1].word}; }
Command vector_history(Args a) { return cmd::VectorHistory{.collection = a[0].word, .key = a[1].word}; }
Command vector_del(Args a) { return cmd::VectorDelete{.collection = a[0].word, .key = a[1].word}; }
Command vector_search(Args a) {
  cmd::VectorSearch c{.collection = a[0].word, .vector = parse_floats(a[1]),
                      .k = static_cast<std::size_t>(parse_unsigned(a[2], "K"))};
  if (a.size() > 3) c.filter = parse_value(a[3]);
  return c;
}
Command vector_list(Args) { return cmd::VectorList{}; }
Command vector_drop(Args a) { return cmd::VectorDrop{.name = a[0].word}; }
Command vector_info(Args a) { return cmd::VectorInfo{.name = a[0].word}; }

Command run_create(Args a) { return cmd::RunCreate{.name = a[0].word}; }
Command run_use(Args a) { return cmd::RunUse{.name = a[0].word}; }
Command run_list(Args) { return cmd::RunList{}; }
Command run_delete(Args a) { return cmd::RunDelete{.name = a[0].word}; }
Command run_info(Args a) { return cmd::RunInfo{.name = a[0].word}; }
Command run_digest(Args a) { return cmd::RunDigest{.name = a[0].word}; }
Command run_fork(Args a) { return cmd::RunFork{.name = a[0].word}; }
Command run_replay(Args a) { return cmd::RunReplay{.source = a[0].word, .dest = a[1].word}; }
Command run_diff(Args a) { return cmd::RunDiff{.a = a[0].word, .b = a[1].word}; }
Command run_merge(Args a) {
  cmd::RunMerge c{.source = a[0].word, .target = a[1].word};
  std::string strategy;
  if (a.size() == 4 && a[2].word == "--strategy") strategy = a[3].word;
  else if (a.size() == 3 && a[2].word.starts_with("--strategy=")) strategy = a[2].word.substr(11);
  else if (a.size() > 2) throw CommandError("bad_arguments", "usage: run merge SRC DEST [--strategy fail|source-wins|target-wins]");
  if (!strategy.empty()) {
    auto s = parse_merge_strategy(strategy);
    if (!s) throw CommandError("bad_arguments", "--strategy \"" + strategy + "\" is not fail, source-wins or target-wins");
    c.strategy = *s;
  }
  return c;
}

Command begin(Args) { return cmd::Begin{}; }
Command commit(Args) { return cmd::Commit{}; }
Command rollback(Args) { return cmd::Rollback{}; }
Command ping(Args) { return cmd::Ping{}; }
Command info(Args) { return cmd::Info{}; }
Command flush(Args) { return cmd::Flush{}; }
Command compact(Args) { return cmd::Compact{}; }

constexpr std::array kCommands{
    CommandSpec{"kv", "put", "KEY VALUE [--ttl 30s]", 2, 2,
                "store VALUE (a JSON literal) at KEY, expiring after the TTL (ms, s, m, h, d); prints the version", kv_put},
    CommandSpec{"kv", "get", "KEY [--as-of V|TIME]", 1, 1, "print the value at KEY as JSON, or (nil)", kv_get},
    CommandSpec{"kv", "del", "KEY", 1, 1, "delete KEY; prints 1 if it existed, else 0", kv_del},
    CommandSpec{"kv", "list", "[PREFIX] [--as-of V|TIME]", 0, 1, "print the keys (with PREFIX), one per line", kv_list},
    CommandSpec{"kv", "history", "KEY [--limit N] [--before V]", 1, 1,
                "print VERSION TIMESTAMP VALUE per version, newest first (a page: N versions older than V)", kv_history},
    CommandSpec{"event", "append", "TYPE OBJECT", 2, 2, "append an event; prints its sequence", event_append},
    CommandSpec{"event", "get", "SEQ [--as-of V|TIME]", 1, 1, "print SEQ TYPE PAYLOAD, or (nil)", event_get},
    CommandSpec{"event", "list", "[TYPE] [--as-of V|TIME]", 0, 1, "print SEQ TYPE PAYLOAD per event (of TYPE), in order", event_list},
    CommandSpec{"event", "len", "[--as-of V|TIME]", 0, 0, "print the number of events", event_len},
    CommandSpec{"event", "verify", "", 0, 0, "check the hash chain: ok (N events), or where it breaks", event_verify},
    CommandSpec{"state", "set", "CELL VALUE", 2, 2, "set a state cell; prints the version", state_set},
    CommandSpec{"state", "get", "CELL [--as-of V|TIME]", 1, 1, "print VALUE (version N), or (nil)", state_get},
    CommandSpec{"state", "history", "CELL [--limit N] [--before V]", 1, 1,
                "print VERSION TIMESTAMP VALUE per version of the cell, newest first", state_history},
    CommandSpec{"state", "init", "CELL VALUE", 2, 2, "set CELL only if absent; prints its version", state_init},
    CommandSpec{"state", "cas", "CELL (VERSION|none) VALUE", 3, 3,
                "set CELL if its version is VERSION (none: absent); prints the new version or (nil)", state_cas},
    CommandSpec{"json", "set", "KEY PATH VALUE", 3, 3, "set the value at PATH ($, $.a.b, $.a[0]); prints the version",
                json_set},
    CommandSpec{"json", "get", "KEY PATH [--as-of V|TIME]", 2, 2, "print the value at PATH, or (nil)", json_get},
    CommandSpec{"json", "del", "KEY PATH", 2, 2, "delete the value at PATH; prints how many were removed", json_del},
    CommandSpec{"json", "list", "[PREFIX] [--as-of V|TIME]", 0, 1, "print the document keys (with PREFIX), one per line", json_list},
    CommandSpec{"json", "history", "KEY [--limit N] [--before V]", 1, 1,
                "print VERSION TIMESTAMP DOCUMENT per version of the document, newest first", json_history},
    CommandSpec{"vector", "create", "COLL DIM (cosine|euclidean|dot)", 3, 3, "create a vector collection",
                vector_create},
    CommandSpec{"vector", "upsert", "COLL KEY [f,...] [META]", 3, 4,
                "store a vector (and metadata, a JSON value) at KEY; prints the version", vector_upsert},
    CommandSpec{"vector", "get", "COLL KEY [--as-of V|TIME]", 2, 2, "print [f,...] META (version N), or (nil)", vector_get},
    CommandSpec{"vector", "history", "COLL KEY [--limit N] [--before V]", 2, 2,
                "print VERSION TIMESTAMP [f,...] META per version of the vector, newest first", vector_history},
    CommandSpec{"vector", "del", "COLL KEY", 2, 2, "delete a vector; prints 1 if it existed, else 0", vector_del},
    CommandSpec{"vector", "search", "COLL [f,...] K [FILTER] [--as-of V|TIME]", 3, 4,
                "print KEY SCORE META per match, best first (FILTER: a JSON object)", vector_search},
    CommandSpec{"vector", "list", "", 0, 0, "print NAME DIM METRIC COUNT per collection", vector_list},
    CommandSpec{"vector", "drop", "COLL", 1, 1, "delete a collection and its vectors", vector_drop},
    CommandSpec{"vector", "info", "COLL", 1, 1, "print a collection's dimension, metric, count and index", vector_info},
    CommandSpec{"run", "create", "NAME", 1, 1, "create a run", run_create},
    CommandSpec{"run", "use", "NAME", 1, 1, "make NAME the current run for the following commands", run_use},
    CommandSpec{"run", "list", "", 0, 0, "print NAME STATUS per run", run_list},
    CommandSpec{"run", "delete", "NAME", 1, 1, "delete a run and all its data", run_delete},
    CommandSpec{"run", "digest", "NAME [--as-of V|TIME]", 1, 1,
                "print the SHA-256 of the run's content and the version it is of", run_digest},
    CommandSpec{"run", "info", "NAME", 1, 1, "print a run's status, creation time and metadata", run_info},
    CommandSpec{"run", "fork", "DEST [--at V|TIME]", 1, 1,
                "fork the current run into DEST (its content at V or TIME, default now; nothing copied)", run_fork},
    CommandSpec{"run", "merge", "SRC DEST [--strategy fail|source-wins|target-wins]", 2, 4,
                "merge run SRC into DEST (three-way, since their fork); prints what was applied", run_merge},
    CommandSpec{"run", "replay", "SRC DEST [--up-to V|TIME]", 2, 2,
                "rebuild a new run DEST from SRC's commits, in order, up to V or TIME (default now)", run_replay},
    CommandSpec{"run", "diff", "A B [--as-of V|TIME]", 2, 2,
                "print what differs between runs A and B: + added in B, - removed in B, ~ changed", run_diff},
    CommandSpec{"begin", "", "[--as-of V|TIME]", 0, 0, "start a transaction; the commands up to commit/rollback join it", begin},
    CommandSpec{"commit", "", "", 0, 0, "commit the transaction; prints its version", commit},
    CommandSpec{"rollback", "", "", 0, 0, "discard the transaction's writes", rollback},
    CommandSpec{"ping", "", "", 0, 0, "print PONG", ping},
    CommandSpec{"info", "", "", 0, 0, "print database statistics", info},
    CommandSpec{"flush", "", "", 0, 0, "make every acknowledged write durable now (fsync)", flush},
    CommandSpec{"compact", "", "", 0, 0, "write a snapshot and drop the WAL it covers", compact},
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string list_verbs() {
  std::string out;
  for (const auto& c : kCommands) {
    out += out.empty() ? "" : ", ";
    out += std::string(c.verb) + (c.sub.empty() ? "" : " " + std::string(c.sub));
  }
  return out;
}

std::string list_subs(std::string_view verb) {
  std::string out;
  for (const auto& c : kCommands)
    if (c.verb == verb) out += (out.empty() ? "" : ", ") + std::string(c.sub);
  return out;
}

bool has_subcommands(std::string_view verb) {
  return std::any_of(kCommands.begin(), kCommands.end(),
                     [&](const CommandSpec& c) { return c.verb == verb && !c.sub.empty(); });
}

// The table row for the command's first one or two words, with the number
// of words it consumed.
std::pair<const CommandSpec*, std::size_t> find(const CommandLine& words) {
  std::string verb = lower(words[0].word);
  if (!has_subcommands(verb)) {
    for (const auto& c : kCommands)
      if (c.verb == verb) return {&c, 1};
    throw CommandError("unknown_command", "\"" + words[0].word + "\" is not a command; commands: " + list_verbs() +
                                              " (see --help)");
  }
  if (words.size() < 2)
    throw CommandError("unknown_command", "\"" + verb + "\" needs a subcommand: " + list_subs(verb));
  std::string sub = lower(words[1].word);
  for (const auto& c : kCommands)
    if (c.verb == verb && c.sub == sub) return {&c, 2};
  throw CommandError("unknown_command", "\"" + verb + " " + words[1].word + "\" is not a command; " + verb +
                                            " subcommands: " + list_subs(verb));
}

}  // namespace

std::span<const CommandSpec> command_table() { return kCommands; }

std::string usage_of(const CommandSpec& spec) {
  std::string out(spec.verb);
  if (!spec.sub.empty()) out.append(" ").append(spec.sub);
  if (!spec.args.empty()) out.append(" ").append(spec.args);
  return out;
}

namespace {

/// Takes `FLAG X` / `FLAG=X` out of the arguments: X, or nullopt when the
/// flag is not there.
std::optional<std::string> take_word(std::vector<Token>& args, const CommandSpec& spec, std::string_view flag) {
  const std::string with_value = std::string(flag) + "=";
  std::optional<std::string> found;
  for (std::size_t i = 0; i < args.size();) {
    std::string text;
    std::size_t words = 1;
    if (args[i].word == flag) {
      if (i + 1 >= args.size())
        throw CommandError("bad_arguments", std::string(flag) + " needs a value; usage: " + usage_of(spec));
      text = args[i + 1].word;
      words = 2;
    } else if (args[i].word.starts_with(with_value)) {
      text = args[i].word.substr(with_value.size());
    } else {
      ++i;
      continue;
    }
    if (found) throw CommandError("bad_arguments", std::string(flag) + " is given twice");
    found = std::move(text);
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i + words));
  }
  return found;
}

/// take_word() of a point in history (--as-of, --at, --up-to).
std::optional<AsOf> take_point(std::vector<Token>& args, const CommandSpec& spec, std::string_view flag) {
  auto text = take_word(args, spec, flag);
  if (!text) return std::nullopt;
  auto as_of = parse_as_of(*text);
  if (!as_of)
    throw Error(errc::invalid_input,
                std::string(flag) + " \"" + *text + "\" is neither a version (digits), µs since the epoch (digits then \"us\") "
                "nor a UTC time like 2026-12-02T10:00:00Z");
  return as_of;
}

/// take_word() of a count or a version (--limit, --before).
std::optional<std::uint64_t> take_number(std::vector<Token>& args, const CommandSpec& spec, std::string_view flag) {
  auto word = take_word(args, spec, flag);
  if (!word) return std::nullopt;
  return parse_unsigned(Token{*word, *word}, flag.substr(2));
}

}  // namespace

Command build_command(const CommandLine& words) {
  auto [spec, used] = find(words);
  std::vector<Token> args(words.begin() + static_cast<std::ptrdiff_t>(used), words.end());
  const std::optional<AsOf> as_of = take_point(args, *spec, "--as-of");
  const std::optional<AsOf> at = take_point(args, *spec, "--at");
  const std::optional<AsOf> up_to = take_point(args, *spec, "--up-to");
  const std::optional<std::uint64_t> limit = take_number(args, *spec, "--limit");
  const std::optional<std::uint64_t> before = take_number(args, *spec, "--before");
  const std::optional<std::string> ttl = take_word(args, *spec, "--ttl");
  if (args.size() < spec->min_args || args.size() > spec->max_args)
    throw CommandError("bad_arguments", "usage: " + usage_of(*spec));
  Command c = spec->build(args);
  std::visit(
      [&](auto& command) {
        if constexpr (requires { command.as_of = as_of; }) command.as_of = as_of;
        else if (as_of) throw CommandError("bad_arguments", "\"" + usage_of(*spec) + "\" takes no --as-of");
        if constexpr (requires { command.at = at; }) command.at = at;
        else if (at) throw CommandError("bad_arguments", "\"" + usage_of(*spec) + "\" takes no --at");
        if constexpr (requires { command.up_to = up_to; }) command.up_to = up_to;
        else if (up_to) throw CommandError("bad_arguments", "\"" + usage_of(*spec) + "\" takes no --up-to");
        if constexpr (requires { command.ttl_ms; }) {
          if (ttl) command.ttl_ms = parse_duration_ms(*ttl, "--ttl");
        } else if (ttl) {
          throw CommandError("bad_arguments", "\"" + usage_of(*spec) + "\" takes no --ttl");
        }
        if constexpr (requires { command.before; }) {
          if (limit) command.limit = static_cast<std::size_t>(*limit);
          if (before) command.before = *before;
        } else if (limit || before) {
          throw CommandError("bad_arguments", "\"" + usage_of(*spec) + "\" takes no --" + (limit ? "limit" : "before"));
        }
      },
      c);
  return c;
}

}  // namespace strata::cli
