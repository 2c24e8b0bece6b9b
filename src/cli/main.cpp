// strata — the command-line shell (docs/cli.md; reference: docs/cli.md).
//
//   strata [PATH | --memory] [--durability MODE] [-c "cmd; cmd"] [--json]
//
// PATH (default ./strata-data) opens a persistent database, Buffered unless
// --durability says otherwise; --memory (or --durability memory) opens one
// in memory.
#include "cli/commands.hpp"
#include "cli/error_names.hpp"
#include "cli/human_output.hpp"
#include "cli/runner.hpp"

#include <strata/strata.hpp>

#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

namespace cli = strata::cli;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // a command failed
constexpr int kExitUsage = 2;   // bad command-line arguments
constexpr const char* kDefaultPath = "./strata-data";

struct Arguments {
  std::optional<std::string> path;
  bool memory = false;
  bool json = false;
  bool help = false;
  bool version = false;
  std::optional<std::string> commands;  // -c text; several -c are joined
  std::optional<std::string> durability;  // --durability; unset = by PATH/--memory
};

struct UsageError {
  std::string message;
};

void add_commands(Arguments& a, std::string text) {
  a.commands = a.commands ? *a.commands + "\n" + text : std::move(text);
}

// Parses argv; throws UsageError.
Arguments parse_arguments(int argc, char** argv) {
  Arguments a;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw UsageError{std::string(arg) + " needs a value"};
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      a.help = true;
    } else if (arg == "--version") {
      a.version = true;
    } else if (arg == "--memory") {
      a.memory = true;
    } else if (arg == "--json") {
      a.json = true;
    } else if (arg == "-c" || arg == "--command") {
      add_commands(a, next());
    } else if (arg.starts_with("--command=")) {
      add_commands(a, std::string(arg.substr(10)));
    } else if (arg == "--durability") {
      a.durability = next();
    } else if (arg.starts_with("--durability=")) {
      a.durability = std::string(arg.substr(13));
    } else if (arg.starts_with("-") && arg != "-") {
      throw UsageError{"unknown option " + std::string(arg)};
    } else if (a.path) {
      throw UsageError{"more than one PATH given (" + *a.path + ", " + std::string(arg) + ")"};
    } else {
      a.path = std::string(arg);
    }
  }
  if (a.memory && a.path) throw UsageError{"give either PATH or --memory, not both"};
  if (a.durability && *a.durability != "memory" && *a.durability != "buffered" && *a.durability != "strict")
    throw UsageError{"unknown durability \"" + *a.durability + "\" (memory, buffered or strict)"};
  if (a.durability && *a.durability == "memory" && a.path)
    throw UsageError{"--durability memory opens no directory; drop PATH " + *a.path};
  if (a.durability && *a.durability != "memory" && a.memory)
    throw UsageError{"--memory contradicts --durability " + *a.durability};
  return a;
}

void print_help(std::ostream& os) {
  os << "usage: strata [PATH | --memory] [--durability MODE] [-c \"COMMAND; COMMAND...\"] [--json]\n"
        "\n"
        "Without -c, commands are read from standard input, one per line.\n"
        "\n"
        "options:\n"
        "  PATH                  database directory, created if missing (default\n"
        "                        ./strata-data); one process at a time may open it\n"
        "  --memory              use an in-memory database (nothing is written to disk)\n"
        "  -c, --command TEXT    run the ';'-separated commands in TEXT and exit; the\n"
        "                        first failing command ends the run with exit code 1\n"
        "  --json                print each result as one JSON document per line\n"
        "  --durability MODE     memory (same as --memory), buffered (the default for a\n"
        "                        PATH: fsync every 100 ms) or strict (each write is\n"
        "                        fsynced before its result is printed)\n"
        "  -h, --help            print this help\n"
        "  --version             print the library version\n"
        "\n"
        "commands (VALUE is a JSON literal: 42, 1.5, true, null, '\"text\"', '{\"a\":1}', '[1,2]'):\n";
  for (const auto& spec : cli::command_table()) {
    std::string usage = cli::usage_of(spec);
    constexpr std::size_t kColumn = 28;  // longer usages put the summary on the next line
    os << "  " << usage;
    os << (usage.size() < kColumn ? std::string(kColumn - usage.size(), ' ') : "\n" + std::string(kColumn + 2, ' '));
    os << spec.summary << '\n';
  }
  os << "\n"
        "A transaction (begin ... commit) spans the commands of one -c text or one\n"
        "standard input; one still open at the end is rolled back.\n"
        "\n"
        "exit codes: 0 success, 1 a command failed, 2 bad command-line arguments\n"
        "reference: docs/cli.md\n";
}

// The arguments were validated by parse_arguments, so the combinations left
// are: in memory, or a directory (given or default) in Buffered or Strict.
strata::Strata open_database(const Arguments& a) {
  if (a.memory || a.durability == "memory") return strata::Strata::open_temp();
  strata::Options options;
  options.durability = a.durability == "strict" ? strata::Durability::Strict : strata::Durability::Buffered;
  return strata::Strata::open(a.path.value_or(kDefaultPath), std::move(options));
}

// Runs the commands; an uncommitted transaction is rolled back when the
// session ends, and the user is told so (its writes are lost).
bool run_commands(const Arguments& a, strata::Session& session) {
  cli::Runner runner(session, a.json, std::cout, std::cerr);
  bool ok;
  if (a.commands) {
    ok = runner.run_text(*a.commands, /*stop_on_error=*/true);
  } else {
    bool interactive = ::isatty(STDIN_FILENO) != 0;
    ok = runner.run_stream(std::cin, interactive ? "strata> " : "") || interactive;
  }
  if (session.in_transaction())
    std::cerr << "warning: the open transaction was rolled back (no commit before the end of the commands)\n";
  return ok;
}

int run(const Arguments& a) {
  strata::Strata db = open_database(a);
  bool ok;
  {
    strata::Session session(db);
    ok = run_commands(a, session);
  }
  db.close();
  return ok ? kExitOk : kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  try {
    args = parse_arguments(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << cli::error_line("usage", e.message + " (see strata --help)") << '\n';
    return kExitUsage;
  }
  if (args.help) {
    print_help(std::cout);
    return kExitOk;
  }
  if (args.version) {
    strata::Strata db = strata::Strata::open_temp();
    std::cout << "strata " << db.info().version << '\n';
    db.close();
    return kExitOk;
  }
  try {
    return run(args);
  } catch (const strata::Error& e) {
    // Opening failed (database_locked, corruption, io): one line, exit 1.
    std::cerr << cli::error_line(cli::error_code_name(e.code()), e.detail().empty() ? e.what() : e.detail())
              << '\n';
  } catch (const std::exception& e) {
    std::cerr << cli::error_line("internal", e.what()) << '\n';
  }
  return kExitFailed;
}
