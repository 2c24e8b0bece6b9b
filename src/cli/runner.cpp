#include "cli/runner.hpp"

#include "cli/error_names.hpp"

#include <boost/json/serialize.hpp>

#include <istream>
#include <ostream>
#include <string>

namespace strata::cli {

void Runner::print(const Output& output) {
  if (json_) {
    out_ << boost::json::serialize(render_json(output)) << '\n';
  } else {
    out_ << render_human(output) << '\n';
  }
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

bool Runner::run_one(const CommandLine& command) {
  try {
    print(execute(session_, command));
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
