#include "cli/runner.hpp"

#include "cli/commands.hpp"
#include "cli/error_names.hpp"
#include "cli/human_output.hpp"

#include <strata/command_json.hpp>

#include <boost/json/serialize.hpp>

#include <istream>
#include <ostream>
#include <string>

namespace strata::cli {
namespace {

// The CLI's listings are complete: when the engine returns a page with a
// cursor, the same command is repeated from that cursor and the pages joined.
Output execute_listing_all(Session& session, Command command) {
  Output output = session.execute(command);
  auto* keys = std::get_if<out::Keys>(&output);
  while (keys && keys->next_cursor && !keys->keys.empty()) {
    std::visit(
        [&](auto& c) {
          if constexpr (requires { c.cursor; }) c.cursor = *keys->next_cursor;
        },
        command);
    out::Keys more = std::get<out::Keys>(session.execute(command));
    keys->keys.insert(keys->keys.end(), std::make_move_iterator(more.keys.begin()),
                      std::make_move_iterator(more.keys.end()));
    keys->next_cursor = std::move(more.next_cursor);
    if (more.keys.empty()) keys->next_cursor.reset();
  }
  return output;
}

}  // namespace

void Runner::print(const Command& command, const Output& output) {
  out_ << (json_ ? to_json_text(output) : render_human(command, output, session_.current_run())) << '\n';
  out_.flush();
}

// In --json mode the error is also a document on stdout, so a reader that
// expects one document per command never waits for one that will not come.
void Runner::report(std::string_view code, std::string_view message) {
  if (json_) {
    out_ << boost::json::serialize(error_json(code, message)) << '\n';
    out_.flush();
  }
  err_ << error_line(code, message) << '\n';
  err_.flush();
}

bool Runner::run_one(const CommandLine& words) {
  try {
    Command command = build_command(words);
    print(command, execute_listing_all(session_, command));
    return true;
  } catch (const Error& e) {
    report(error_code_name(e.code()), e.detail().empty() ? e.code().message() : e.detail());
  } catch (const CommandError& e) {
    report(e.code(), e.what());
  } catch (const boost::system::system_error& e) {
    report(error_code_name(e.code()), e.what());
  } catch (const std::exception& e) {
    report("internal", e.what());
  }
  return false;
}

bool Runner::run_text(std::string_view text, bool stop_on_error) {
  std::vector<CommandLine> commands;
  try {
    commands = parse_commands(text);
  } catch (const SyntaxError& e) {
    report("syntax_error", e.what());
    return false;
  }
  bool all_ok = true;
  for (const auto& command : commands) {
    if (run_one(command)) continue;
    all_ok = false;
    if (stop_on_error) break;
  }
  return all_ok;
}

bool Runner::run_stream(std::istream& in, std::string_view prompt) {
  bool all_ok = true;
  std::string line;
  for (;;) {
    if (!prompt.empty()) out_ << prompt << std::flush;
    if (!std::getline(in, line)) break;
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    all_ok = run_text(line, false) && all_ok;
  }
  if (!prompt.empty()) out_ << '\n' << std::flush;
  return all_ok;
}

}  // namespace strata::cli
