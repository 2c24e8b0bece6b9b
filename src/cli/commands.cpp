#include "cli/commands.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace strata::cli {
namespace {

// VALUE arguments are JSON literals. A bare word such as `hello` is an
// error rather than a string, so that `42` and `"42"` can never be confused;
// the message says how to write the string.
Value parse_value(const Token& t) {
  try {
    return Value::parse_json(t.json);
  } catch (const Error& e) {
    if (e.code() != errc::invalid_json) throw;
    std::string detail = "value " + t.json + " is not a JSON literal (" + e.detail() + ")";
    // Text that looks like an object, array or string is mistyped JSON, not
    // a word meant as a string: a quoting hint would mislead.
    if (t.json.find_first_of("{[\"") != 0)
      detail += "; write a string in quotes, e.g. '" + Value(t.word).to_json_string() + "'";
    throw Error(errc::invalid_json, detail);
  }
}

// ---- kv ----------------------------------------------------------------------------

Output kv_put(Session& s, std::span<const Token> a) {
  Value v = parse_value(a[1]);
  return VersionResult{s.db.kv_put(a[0].word, std::move(v))};
}

Output kv_get(Session& s, std::span<const Token> a) { return ValueResult{s.db.kv_get(a[0].word)}; }

Output kv_del(Session& s, std::span<const Token> a) { return DeleteResult{s.db.kv_delete(a[0].word)}; }

// Follows next_cursor so the listing is complete even if the engine pages.
Output kv_list(Session& s, std::span<const Token> a) {
  std::string prefix = a.empty() ? std::string() : a[0].word;
  KeysResult out;
  PageRequest page;
  for (;;) {
    KeyPage p = s.db.kv_list(prefix, page);
    out.keys.insert(out.keys.end(), std::make_move_iterator(p.keys.begin()), std::make_move_iterator(p.keys.end()));
    if (!p.next_cursor || p.keys.empty()) break;
    page.cursor = std::move(*p.next_cursor);
  }
  return out;
}

Output kv_history(Session& s, std::span<const Token> a) { return HistoryResult{s.db.kv_history(a[0].word)}; }

// ---- run ---------------------------------------------------------------------------

Output run_create(Session& s, std::span<const Token> a) { return RunCreated{s.db.create_run(a[0].word)}; }

Output run_use(Session& s, std::span<const Token> a) {
  s.db.set_run(a[0].word);
  return RunSelected{s.db.current_run()};
}

Output run_list(Session& s, std::span<const Token>) { return RunListing{s.db.list_runs(), s.db.current_run()}; }

Output run_delete(Session& s, std::span<const Token> a) {
  std::size_t removed = s.db.delete_run(a[0].word);
  return RunDeleted{a[0].word, removed};
}

Output run_info(Session& s, std::span<const Token> a) {
  RunInfo info = s.db.run_info(a[0].word);
  bool current = info.name == s.db.current_run();
  return RunDetails{std::move(info), current};
}

// ---- database ----------------------------------------------------------------------

Output ping(Session& s, std::span<const Token>) { return TextResult{s.db.ping()}; }

Output info(Session& s, std::span<const Token>) { return InfoResult{s.db.info(), s.db.current_run()}; }

// Both are no-ops on an in-memory database and still print OK, so scripts
// need not know the mode they run against.
Output flush(Session& s, std::span<const Token>) {
  s.db.flush();
  return TextResult{"OK"};
}

Output compact(Session& s, std::span<const Token>) {
  s.db.compact();
  return TextResult{"OK"};
}

constexpr std::array kCommands{
    CommandSpec{"kv", "put", "KEY VALUE", 2, 2, "store VALUE (a JSON literal) at KEY; prints the version", kv_put},
    CommandSpec{"kv", "get", "KEY", 1, 1, "print the value at KEY as JSON, or (nil)", kv_get},
    CommandSpec{"kv", "del", "KEY", 1, 1, "delete KEY; prints 1 if it existed, else 0", kv_del},
    CommandSpec{"kv", "list", "[PREFIX]", 0, 1, "print the keys (with PREFIX), one per line", kv_list},
    CommandSpec{"kv", "history", "KEY", 1, 1, "print VERSION TIMESTAMP VALUE per version, newest first", kv_history},
    CommandSpec{"run", "create", "NAME", 1, 1, "create a run", run_create},
    CommandSpec{"run", "use", "NAME", 1, 1, "make NAME the current run for the following commands", run_use},
    CommandSpec{"run", "list", "", 0, 0, "print NAME STATUS per run", run_list},
    CommandSpec{"run", "delete", "NAME", 1, 1, "delete a run and all its data", run_delete},
    CommandSpec{"run", "info", "NAME", 1, 1, "print a run's status, creation time and metadata", run_info},
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
std::pair<const CommandSpec*, std::size_t> find(const CommandLine& command) {
  std::string verb = lower(command[0].word);
  if (!has_subcommands(verb)) {
    for (const auto& c : kCommands)
      if (c.verb == verb) return {&c, 1};
    throw CommandError("unknown_command", "\"" + command[0].word + "\" is not a command; commands: " +
                                              list_verbs() + " (see --help)");
  }
  if (command.size() < 2)
    throw CommandError("unknown_command", "\"" + verb + "\" needs a subcommand: " + list_subs(verb));
  std::string sub = lower(command[1].word);
  for (const auto& c : kCommands)
    if (c.verb == verb && c.sub == sub) return {&c, 2};
  throw CommandError("unknown_command", "\"" + verb + " " + command[1].word + "\" is not a command; " + verb +
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

Output execute(Session& session, const CommandLine& command) {
  auto [spec, used] = find(command);
  std::span<const Token> args(command.begin() + static_cast<std::ptrdiff_t>(used), command.end());
  if (args.size() < spec->min_args || args.size() > spec->max_args)
    throw CommandError("bad_arguments", "usage: " + usage_of(*spec));
  return spec->handler(session, args);
}

}  // namespace strata::cli
