// End-to-end tests of the `strata` binary: each test spawns it with
// arguments and standard input, and checks stdout, stderr and the exit code.
#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

bool is_executable_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// $STRATA_CLI if set; otherwise the first executable "strata" found walking
// up from this test's own directory (the build tree puts it at
// <build>/strata and this test under <build>/test/).
fs::path cli_binary() {
  if (const char* env = std::getenv("STRATA_CLI")) return env;
  std::error_code ec;
  fs::path self = fs::canonical("/proc/self/exe", ec);
  if (ec) self = fs::absolute(boost::unit_test::framework::master_test_suite().argv[0]);
  for (fs::path dir = self.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (is_executable_file(dir / "strata")) return dir / "strata";
    if (dir == dir.root_path()) break;
  }
  BOOST_FAIL("cannot find the strata binary above " << self << "; set STRATA_CLI");
  return {};
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;

  std::vector<std::string> out_lines() const {
    std::vector<std::string> lines;
    std::istringstream s(out);
    for (std::string line; std::getline(s, line);) lines.push_back(line);
    return lines;
  }
};

// A fresh directory under /tmp, removed (with everything in it) at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("strata-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Starts the CLI with `args`; `actions` has set up its standard streams.
pid_t spawn_cli(const std::vector<std::string>& args, posix_spawn_file_actions_t& actions) {
  std::string binary = cli_binary().string();
  std::vector<char*> argv{binary.data()};
  std::vector<std::string> copies = args;
  for (auto& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  BOOST_REQUIRE_EQUAL(rc, 0);
  return pid;
}

// Runs the CLI with `args`, feeding `input` on stdin, in directory `cwd`
// (default: the test's). Streams go through files rather than pipes, so no
// output size can deadlock the test.
Result run_cli(const std::vector<std::string>& args, const std::string& input = "", const fs::path& cwd = {}) {
  TempDir io;
  const fs::path& dir = io.path;
  std::ofstream(dir / "in", std::ios::binary) << input;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, (dir / "in").c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, (dir / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = spawn_cli(args, actions);
  int status = 0;
  BOOST_REQUIRE_EQUAL(::waitpid(pid, &status, 0), pid);

  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

// The CLI driven through pipes, a line at a time, as a harness would: each
// read waits (bounded) for the answer to the line just written, so it only
// succeeds if the CLI flushed that answer before reading on.
class PipedCli {
 public:
  explicit PipedCli(const std::vector<std::string>& args) {
    int in[2], out[2];
    BOOST_REQUIRE_EQUAL(::pipe2(in, O_CLOEXEC), 0);
    BOOST_REQUIRE_EQUAL(::pipe2(out, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);  // errors are checked elsewhere
    pid_ = spawn_cli(args, actions);
    ::close(in[0]);
    ::close(out[1]);
    to_cli_ = in[1];
    from_cli_ = out[0];
  }
  PipedCli(const PipedCli&) = delete;
  PipedCli& operator=(const PipedCli&) = delete;
  ~PipedCli() {
    if (pid_ > 0) finish();
  }

  void send(const std::string& line) {
    std::string text = line + "\n";
    BOOST_REQUIRE_EQUAL(::write(to_cli_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }

  /// The next line of output, or kNoAnswer if none came within 10 s.
  static constexpr const char* kNoAnswer = "(no answer within 10 s)";
  std::string read_line() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{from_cli_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return kNoAnswer;
      char chunk[256];
      ssize_t n = ::read(from_cli_, chunk, sizeof chunk);
      if (n <= 0) return kNoAnswer;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  /// Closes stdin (the CLI sees EOF) and returns the exit code.
  int finish() {
    ::close(to_cli_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ::close(from_cli_);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int to_cli_ = -1;
  int from_cli_ = -1;
  std::string buffer_;
};

Result run_c(const std::string& commands, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--memory"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("-c");
  args.push_back(commands);
  return run_cli(args);
}

using Lines = std::vector<std::string>;

// One error line on stderr, starting with "error: <code>: ".
void check_single_error(const Result& r, const std::string& code) {
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.rfind("error: " + code + ": ", 0) == 0, "stderr was: " << r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, "stderr was: " << r.err);
}

}  // namespace

BOOST_AUTO_TEST_CASE(put_and_get_every_json_kind) {
  Result r = run_c(
      "kv put i 42; kv get i; kv put s '\"42\"'; kv get s; kv put o '{\"a\":1}'; kv get o;"
      "kv put a [1, 2, 3]; kv get a; kv put f 1.5; kv get f; kv put b true; kv get b;"
      "kv put n null; kv get n; kv get missing");
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err == "");
  Lines expected{"1", "42", "2", "\"42\"", "3", "{\"a\":1}", "4", "[1,2,3]", "5", "1.5", "6", "true",
                 "7", "null", "(nil)"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(double_quotes_and_spaced_objects_are_json_literals) {
  Result r = run_c(R"(kv put s "hello world"; kv get s; kv put o {"a": 1, "b": [1, "x; y"]}; kv get o;)"
                   R"( kv put "my key" 7; kv get 'my key')");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines expected{"1", "\"hello world\"", "2", R"({"a":1,"b":[1,"x; y"]})", "3", "7"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(delete_prints_whether_the_key_existed) {
  Result r = run_c("kv put k 1; kv del k; kv del k; kv get k");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines expected{"1", "1", "0", "(nil)"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(list_prints_one_key_per_line_in_byte_order) {
  Result r = run_c("kv put b 1; kv put ab 1; kv put a 1; kv put c 1; kv list; kv list a; kv list zz");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines expected{"1", "2", "3", "4", "a", "ab", "b", "c", "a", "ab", "(empty)"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(history_lists_versions_newest_first_with_tombstones) {
  Result r = run_c("kv put k 1; kv put k '\"two\"'; kv del k; kv history k; kv history never");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 7u);
  std::regex line(R"((\d+) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) (.*))");
  std::smatch m;
  BOOST_REQUIRE(std::regex_match(lines[3], m, line));
  BOOST_TEST(m[1] == "3");
  BOOST_TEST(m[3] == "(deleted)");
  BOOST_REQUIRE(std::regex_match(lines[4], m, line));
  BOOST_TEST(m[1] == "2");
  BOOST_TEST(m[3] == "\"two\"");
  BOOST_REQUIRE(std::regex_match(lines[5], m, line));
  BOOST_TEST(m[1] == "1");
  BOOST_TEST(m[3] == "1");
  BOOST_TEST(lines[6] == "(empty)");
}

BOOST_AUTO_TEST_CASE(every_primitive_has_a_paged_history_command) {
  Result r = run_c(
      "state set c 1; state set c 2; json set d '$' '{\"a\":1}'; json set d '$.a' 2;"
      "vector create m 2 cosine; vector upsert m v [1,0]; vector del m v;"
      "state history c --limit 1; state history c --before=2; json history d; vector history m v;"
      "kv put k 1; kv put k 2; kv history k --limit 1 --before 9");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 7u + 6u + 3u);
  auto rest = [&](std::size_t i) {  // the line without its "VERSION TIMESTAMP " head
    std::regex line(R"((\d+) \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z (.*))");
    std::smatch m;
    BOOST_REQUIRE_MESSAGE(std::regex_match(lines[i], m, line), lines[i]);
    return m[1].str() + " " + m[2].str();
  };
  BOOST_TEST(rest(7) == "2 2");
  BOOST_TEST(rest(8) == "1 1");
  BOOST_TEST(rest(9) == "4 {\"a\":2}");
  BOOST_TEST(rest(10) == "3 {\"a\":1}");
  BOOST_TEST(rest(11) == "7 (deleted)");
  BOOST_TEST(rest(12).starts_with("6 [1"));
  BOOST_TEST(rest(15) == "8 1");
  check_single_error(run_c("kv history k --limit 0"), "invalid_limit");
  check_single_error(run_c("kv history k --limit"), "bad_arguments");
  check_single_error(run_c("kv history k --before x"), "invalid_input");
  check_single_error(run_c("kv get k --limit 1"), "bad_arguments");
  check_single_error(run_c("vector history nope v"), "collection_not_found");
}

BOOST_AUTO_TEST_CASE(kv_put_takes_a_ttl_with_a_unit) {
  Result r = run_c("kv put k 1 --ttl 30s; kv get k; kv put j 2 --ttl=1d; kv get j; kv put i 3 --ttl 1ms");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 5u);
  BOOST_TEST(lines[1] == "1");
  BOOST_TEST(lines[3] == "2");
  check_single_error(run_c("kv put k 1 --ttl 0s"), "invalid_input");
  check_single_error(run_c("kv put k 1 --ttl 30"), "invalid_input");  // no unit
  check_single_error(run_c("kv put k 1 --ttl 5x"), "invalid_input");
  check_single_error(run_c("kv put k 1 --ttl"), "bad_arguments");
  check_single_error(run_c("kv get k --ttl 1s"), "bad_arguments");
  check_single_error(run_c("state set c 1 --ttl 1s"), "bad_arguments");
}

BOOST_AUTO_TEST_CASE(run_use_isolates_keys_for_later_commands) {
  Result r = run_c(
      "run create r1; run use r1; kv put k '\"in r1\"'; kv get k; run use default; kv get k;"
      "kv put k 0; run use r1; kv get k; run list; run use default; run info r1");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_GE(lines.size(), 11u);
  Lines head(lines.begin(), lines.begin() + 9);
  Lines expected{"OK", "OK", "1", "\"in r1\"", "OK", "(nil)", "2", "OK", "\"in r1\""};
  BOOST_TEST(head == expected, boost::test_tools::per_element());
  Lines runs(lines.begin() + 9, lines.begin() + 11);
  std::sort(runs.begin(), runs.end());
  Lines expected_runs{"default active", "r1 active (current)"};
  BOOST_TEST(runs == expected_runs, boost::test_tools::per_element());
  BOOST_TEST(r.out.find("name: r1\nstatus: active\n") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("current: no") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(run_delete_removes_the_run_and_its_keys) {
  Result r = run_c("run create tmp; run use tmp; kv put a 1; kv put b 2; run use default; run delete tmp;"
                   "run list");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines expected{"OK", "OK", "1", "2", "OK", "OK (2 keys removed)", "default active (current)"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deleting_the_default_run_fails_and_stops_the_run) {
  Result r = run_c("kv put k 1; run delete default; kv put k 2");
  check_single_error(r, "run_is_default");
  BOOST_TEST(r.out == "1\n");  // the command after the failure did not run
}

BOOST_AUTO_TEST_CASE(reserved_key_is_rejected_with_the_key_named) {
  Result r = run_c("kv put _strata/x 1");
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err == "error: key_reserved: key \"_strata/x\" uses the reserved prefix \"_strata/\"\n");
  BOOST_TEST(r.out == "");
}

BOOST_AUTO_TEST_CASE(bare_word_value_is_invalid_json) {
  Result r = run_c("kv put k hello");
  check_single_error(r, "invalid_json");
  BOOST_TEST(r.err.find("hello") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("'\"hello\"'") != std::string::npos, "hint missing: " << r.err);

  // Broken JSON is reported as such, without suggesting to quote it.
  Result broken = run_c("kv put k '{\"a\":1'");
  check_single_error(broken, "invalid_json");
  BOOST_TEST(broken.err.find("write a string") == std::string::npos, broken.err);
}

BOOST_AUTO_TEST_CASE(unknown_run_is_named) {
  Result r = run_c("run use nope");
  check_single_error(r, "run_not_found");
  BOOST_TEST(r.err.find("nope") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(unknown_command_lists_the_commands) {
  Result r = run_c("frob x");
  check_single_error(r, "unknown_command");
  BOOST_TEST(r.err.find("frob") != std::string::npos);
  BOOST_TEST(r.err.find("kv put") != std::string::npos, r.err);

  Result sub = run_c("kv frob");
  check_single_error(sub, "unknown_command");
  BOOST_TEST(sub.err.find("history") != std::string::npos, sub.err);
}

BOOST_AUTO_TEST_CASE(wrong_argument_count_prints_usage) {
  Result r = run_c("kv put k");
  check_single_error(r, "bad_arguments");
  BOOST_TEST(r.err.find("kv put KEY VALUE") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(unterminated_quote_is_a_syntax_error) {
  Result r = run_c("kv put k '\"x");
  check_single_error(r, "syntax_error");
  BOOST_TEST(r.out == "");
}

// --json prints the library's Output codec (docs/commands.md): one object
// per command, its "type" naming the kind of result.
BOOST_AUTO_TEST_CASE(json_mode_prints_one_document_per_command) {
  Result r = run_c(
      "kv put k '{\"a\":[1,2]}'; kv get k; kv get missing; kv del k; kv list; kv history k; run list; ping;"
      "kv put b '{\"$bytes\":\"AAE=\"}'; kv get b; kv put f 0.1; kv get f",
      {"--json"});
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 12u);
  std::vector<boost::json::value> docs;
  for (const auto& line : lines) docs.push_back(boost::json::parse(line));
  BOOST_TEST(docs[0] == boost::json::parse(R"({"type":"version","version":1})"));
  BOOST_TEST(docs[1] == boost::json::parse(R"({"type":"maybe_value","value":{"a":[1,2]}})"));
  BOOST_TEST(docs[2] == boost::json::parse(R"({"type":"maybe_value"})"));  // absent: no "value"
  BOOST_TEST(docs[3] == boost::json::parse(R"({"type":"existed","existed":true})"));
  BOOST_TEST(docs[4] == boost::json::parse(R"({"type":"keys","keys":[]})"));
  const auto& history = docs[5].at("versions").as_array();
  BOOST_REQUIRE_EQUAL(history.size(), 2u);
  BOOST_TEST(history[0].at("version") == boost::json::value(2));
  BOOST_TEST(history[0].at("tombstone") == boost::json::value(true));
  BOOST_TEST(history[1].at("value") == boost::json::parse(R"({"a":[1,2]})"));
  BOOST_TEST(history[1].at("timestamp_us").is_int64());
  BOOST_TEST(docs[6].at("runs").as_array().at(0).at("name") == boost::json::value("default"));
  BOOST_TEST(docs[7] == boost::json::parse(R"({"type":"pong","text":"PONG"})"));
  BOOST_TEST(docs[9].at("value") == boost::json::parse(R"({"$bytes":"AAE="})"));
  BOOST_TEST(lines[11] == R"({"type":"maybe_value","value":0.1})");  // shortest round-trip float text
}

BOOST_AUTO_TEST_CASE(json_mode_errors_are_documents_too) {
  Result r = run_c("kv put k 1; kv put _strata/k 1", {"--json"});
  BOOST_TEST(r.exit_code == 1);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 2u);
  boost::json::value err = boost::json::parse(lines[1]);
  BOOST_TEST(err.at("error").at("code") == boost::json::value("key_reserved"));
  check_single_error(r, "key_reserved");
}

BOOST_AUTO_TEST_CASE(stdin_mode_runs_each_line_in_order) {
  Result r = run_cli({"--memory"},
                     "kv put a 1\n"
                     "# a comment\n"
                     "\n"
                     "run create r; run use r\n"
                     "kv get a\n"
                     "run use default\n"
                     "kv get a\n");
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.err == "");
  Lines expected{"1", "OK", "OK", "(nil)", "OK", "1"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stdin_mode_continues_after_an_error_and_exits_non_zero) {
  Result r = run_cli({"--memory", "--json"}, "kv put a 1\nkv put a oops\nkv get a\n");
  BOOST_TEST(r.exit_code == 1);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 3u);
  BOOST_TEST(boost::json::parse(lines[0]).at("version") == boost::json::value(1));
  BOOST_TEST(boost::json::parse(lines[1]).at("error").at("code") == boost::json::value("invalid_json"));
  BOOST_TEST(boost::json::parse(lines[2]).at("value") == boost::json::value(1));
  check_single_error(r, "invalid_json");
}

BOOST_AUTO_TEST_CASE(stdin_mode_answers_each_line_before_reading_the_next) {
  PipedCli cli({"--memory"});
  cli.send("kv put a 1");
  BOOST_TEST(cli.read_line() == "1");
  cli.send("kv get a");
  BOOST_TEST(cli.read_line() == "1");
  cli.send("kv put a oops");  // an error is a line on stderr; stdout stays in step
  cli.send("ping");
  BOOST_TEST(cli.read_line() == "PONG");
  BOOST_TEST(cli.finish() == 1);
}

BOOST_AUTO_TEST_CASE(stdin_json_mode_flushes_each_document) {
  PipedCli cli({"--memory", "--json"});
  cli.send("kv put k {\"a\": 1}");
  BOOST_TEST(cli.read_line() == R"({"type":"version","version":1})");
  cli.send("kv get nope");
  BOOST_TEST(cli.read_line() == R"({"type":"maybe_value"})");
  BOOST_TEST(cli.finish() == 0);
}

BOOST_AUTO_TEST_CASE(path_persists_across_processes) {
  TempDir dir;
  fs::path db = dir.path / "db";
  Result put = run_cli({db.string(), "-c", "kv put k '{\"a\":[1,2]}'; run create r1; run use r1; kv put x 7"});
  BOOST_TEST(put.exit_code == 0, put.err);
  BOOST_TEST(put.out == "1\nOK\nOK\n2\n");
  BOOST_TEST(fs::is_directory(db));

  Result get = run_cli({db.string(), "-c", "kv get k; kv history k; run use r1; kv get x; kv put y 1; info"});
  BOOST_TEST(get.exit_code == 0, get.err);
  Lines lines = get.out_lines();
  BOOST_REQUIRE_GE(lines.size(), 5u);
  BOOST_TEST(lines[0] == R"({"a":[1,2]})");
  BOOST_TEST(lines[1].rfind("1 ", 0) == 0, lines[1]);
  BOOST_TEST(lines[3] == "7");
  BOOST_TEST(lines[4] == "3");  // versions continue after the recovered ones
  BOOST_TEST(get.out.find("durability: buffered\n") != std::string::npos, get.out);
  BOOST_TEST(get.out.find("path: " + db.string()) != std::string::npos, get.out);
}

BOOST_AUTO_TEST_CASE(strict_durability_persists_and_is_reported) {
  TempDir dir;
  fs::path db = dir.path / "db";
  Result put = run_cli({db.string(), "--durability", "strict", "--json", "-c", "kv put k 1; kv put k 2; info"});
  BOOST_TEST(put.exit_code == 0, put.err);
  Lines lines = put.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 3u);
  boost::json::value info = boost::json::parse(lines[2]);
  BOOST_TEST(info.at("type") == boost::json::value("info"));
  BOOST_TEST(info.at("info").at("durability") == boost::json::value("strict"));
  BOOST_TEST(info.at("info").at("fsyncs").to_number<std::int64_t>() >= 2);

  Result get = run_cli({db.string(), "--durability=strict", "-c", "kv get k"});
  BOOST_TEST(get.exit_code == 0, get.err);
  BOOST_TEST(get.out == "2\n");
}

BOOST_AUTO_TEST_CASE(default_path_is_strata_data_in_the_working_directory) {
  TempDir dir;
  Result put = run_cli({"-c", "kv put k 5"}, "", dir.path);
  BOOST_TEST(put.exit_code == 0, put.err);
  BOOST_TEST(fs::is_directory(dir.path / "strata-data"));
  Result get = run_cli({"-c", "kv get k"}, "", dir.path);
  BOOST_TEST(get.out == "5\n", get.err);
}

BOOST_AUTO_TEST_CASE(memory_writes_no_files) {
  TempDir dir;
  Result r = run_cli({"--durability", "memory", "-c", "kv put k 1; flush; compact; info"}, "", dir.path);
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.rfind("1\nOK\nOK\n", 0) == 0, r.out);
  BOOST_TEST(r.out.find("durability: inmemory\n") != std::string::npos, r.out);
  BOOST_TEST(fs::is_empty(dir.path));
}

BOOST_AUTO_TEST_CASE(flush_and_compact_keep_every_write) {
  TempDir dir;
  fs::path db = dir.path / "db";
  Result r = run_cli({db.string(), "-c", "kv put a 1; flush; kv put b 2; compact; kv put c 3; kv del a; compact; info"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.rfind("1\nOK\n2\nOK\n3\n1\nOK\n", 0) == 0, r.out);
  BOOST_TEST(r.out.find("compactions: 2\n") != std::string::npos, r.out);

  Result after = run_cli({db.string(), "-c", "kv get a; kv get b; kv get c; kv put d 4; kv history a"});
  BOOST_TEST(after.exit_code == 0, after.err);
  Lines lines = after.out_lines();
  BOOST_REQUIRE_GE(lines.size(), 4u);
  Lines head(lines.begin(), lines.begin() + 4);
  Lines expected{"(nil)", "2", "3", "5"};
  BOOST_TEST(head == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(second_process_on_the_same_directory_gets_database_locked) {
  TempDir dir;
  fs::path db = dir.path / "db";
  PipedCli holder({db.string()});
  holder.send("ping");  // once it answers, the directory is open and locked
  BOOST_REQUIRE(holder.read_line() == "PONG");

  Result second = run_cli({db.string(), "-c", "kv get k"});
  check_single_error(second, "database_locked");
  BOOST_TEST(second.err.find(db.string()) != std::string::npos, second.err);
  BOOST_TEST(second.out == "");

  BOOST_TEST(holder.finish() == 0);
  Result third = run_cli({db.string(), "-c", "ping"});  // the lock went with the holder
  BOOST_TEST(third.exit_code == 0, third.err);
}

BOOST_AUTO_TEST_CASE(help_lists_the_grammar_and_bad_options_exit_2) {
  Result help = run_cli({"--help"});
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(help.out.find("kv put KEY VALUE") != std::string::npos);
  BOOST_TEST(help.out.find("run delete NAME") != std::string::npos);

  Result bad = run_cli({"--frobnicate"});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(bad.err.rfind("error: usage: ", 0) == 0, bad.err);

  Result unknown = run_cli({"--durability", "eventual", "-c", "ping"});
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(unknown.err.find("eventual") != std::string::npos, unknown.err);
  BOOST_TEST(unknown.out == "");

  BOOST_TEST(run_cli({"--memory", "--durability", "strict", "-c", "ping"}).exit_code == 2);
  BOOST_TEST(run_cli({"some-dir", "--durability", "memory", "-c", "ping"}).exit_code == 2);
  BOOST_TEST(!fs::exists("some-dir"));
}

BOOST_AUTO_TEST_CASE(info_reports_the_current_run) {
  Result r = run_c("run create x; run use x; kv put k 1; info");
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.find("current_run: x\n") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("durability: inmemory\n") != std::string::npos, r.out);
}

// ---- events, state cells, JSON documents, transactions (docs/cli.md) --------------------

BOOST_AUTO_TEST_CASE(event_commands) {
  Result r = run_c(
      "event list; event verify; event append tool_call '{\"name\":\"search\"}'; event append note {\"text\": \"hi\"};"
      "event get 1; event get 9; event list; event list note; event len; event verify");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines expected{"(empty)",
                 "ok (0 events)",
                 "1",
                 "2",
                 R"(1 tool_call {"name":"search"})",
                 "(nil)",
                 R"(1 tool_call {"name":"search"})",
                 R"(2 note {"text":"hi"})",
                 R"(2 note {"text":"hi"})",
                 "2",
                 "ok (2 events)"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(event_argument_errors) {
  Result not_object = run_c("event append t 42");
  check_single_error(not_object, "wrong_type");
  BOOST_TEST(not_object.err.find("payload") != std::string::npos, not_object.err);
  Result bad_seq = run_c("event get first");
  check_single_error(bad_seq, "invalid_input");
  BOOST_TEST(bad_seq.err.find("\"first\"") != std::string::npos, bad_seq.err);
  check_single_error(run_c("event get 0"), "invalid_sequence");
  check_single_error(run_c("event get -1"), "invalid_input");
}

BOOST_AUTO_TEST_CASE(state_commands) {
  Result r = run_c(
      "state set lock '\"held\"'; state get lock; state init lock 1; state cas lock none 2;"
      "state cas lock 7 2; state cas lock 1 '\"free\"'; state get lock; state get nope; state init fresh 0");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines expected{"1", R"("held" (version 1))", "1", "(nil)", "(nil)", "2", R"("free" (version 2))", "(nil)", "3"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());

  Result bad = run_c("state cas lock maybe 1");
  check_single_error(bad, "invalid_input");
  BOOST_TEST(bad.err.find("none") != std::string::npos, bad.err);
}

BOOST_AUTO_TEST_CASE(json_commands_take_paths_verbatim) {
  Result r = run_c(
      "json set doc $ '{\"a\":{\"b c\":1}}'; json get doc '$.a[\"b c\"]'; json get doc $.a[\"b c\"];"
      "json set doc $.list [1, 2]; json get doc $.list[-1]; json del doc '$.a[\"b c\"]'; json get doc $.a;"
      "json list; json list x; json del doc $; json get doc $; json del doc $");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines expected{"1", "1", "1", "2", "2", "1", "{}", "doc", "(empty)", "1", "(nil)", "0"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());

  check_single_error(run_c("json get doc a.b"), "invalid_path");
}

BOOST_AUTO_TEST_CASE(begin_commit_spans_the_commands_of_one_invocation) {
  Result r = run_c(
      "kv put k 1; begin; kv put k 2; kv get k; state set c 1; event append t {}; state get c; event len;"
      "commit; kv get k; event len; state get c");
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.err == "");
  Lines expected{"1",  "transaction started at version 1", "OK", "2", "OK", "OK", "1 (pending)", "1", "2", "2",
                 "1", "1 (version 2)"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rollback_discards_and_unfinished_transactions_are_rolled_back) {
  Result r = run_c("begin; kv put k 1; rollback; kv get k");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines expected{"transaction started at version 0", "OK", "rolled back", "(nil)"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());

  TempDir dir;
  fs::path db = dir.path / "db";
  Result open = run_cli({db.string(), "-c", "begin; kv put k 1"});
  BOOST_TEST(open.exit_code == 0);
  BOOST_TEST(open.err.find("warning: the open transaction was rolled back") == 0, open.err);
  Result after = run_cli({db.string(), "-c", "kv get k"});
  BOOST_TEST(after.out == "(nil)\n", after.err);
}

BOOST_AUTO_TEST_CASE(transaction_errors) {
  check_single_error(run_c("commit"), "transaction_not_active");
  check_single_error(run_c("rollback"), "transaction_not_active");
  for (const char* refused : {"begin; begin", "begin; run create r", "begin; run use default", "begin; flush",
                              "begin; compact"}) {
    Result r = run_c(refused);
    BOOST_TEST(r.exit_code == 1, refused);
    BOOST_TEST(r.err.rfind("error: transaction_already_active: ", 0) == 0, refused << ": " << r.err);
    BOOST_TEST(r.err.find("commit or roll back first") != std::string::npos, r.err);
  }
  // Reads of the database and run listings are fine inside a transaction.
  Result fine = run_c("begin; ping; run list; run info default; commit");
  BOOST_TEST(fine.exit_code == 0, fine.err);
}

BOOST_AUTO_TEST_CASE(stdin_transaction_spans_lines) {
  PipedCli cli({"--memory"});
  cli.send("begin");
  BOOST_TEST(cli.read_line() == "transaction started at version 0");
  cli.send("kv put a 1");
  BOOST_TEST(cli.read_line() == "OK");
  cli.send("kv put _strata/x 1");  // fails; the transaction stays open
  cli.send("kv get a");
  BOOST_TEST(cli.read_line() == "1");
  cli.send("commit");
  BOOST_TEST(cli.read_line() == "1");
  cli.send("kv get a");
  BOOST_TEST(cli.read_line() == "1");
  BOOST_TEST(cli.finish() == 1);  // one command failed
}

BOOST_AUTO_TEST_CASE(json_mode_for_events_state_and_transactions) {
  Result r = run_c(
      "event append t {\"a\": 1}; event get 1; state get nope; state set s 0.5; state get s; begin; kv put k 1;"
      "state cas s 0 1; commit; event verify",
      {"--json"});
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 10u);
  std::vector<boost::json::value> docs;
  for (const auto& line : lines) docs.push_back(boost::json::parse(line));
  BOOST_TEST(docs[0] == boost::json::parse(R"({"type":"sequence","sequence":1})"));
  BOOST_TEST(docs[1].at("type") == boost::json::value("maybe_event"));
  BOOST_TEST(docs[1].at("event").at("payload") == boost::json::parse(R"({"a":1})"));
  BOOST_TEST(docs[1].at("event").at("hash").as_string().size() == 64u);
  BOOST_TEST(docs[2] == boost::json::parse(R"({"type":"maybe_state"})"));
  BOOST_TEST(docs[4].at("state").at("value") == boost::json::value(0.5));
  BOOST_TEST(docs[4].at("state").at("version") == boost::json::value(2));
  BOOST_TEST(docs[5] == boost::json::parse(R"({"type":"txn_begun","snapshot_version":2,"run":"default"})"));
  BOOST_TEST(docs[6] == boost::json::parse(R"({"type":"done"})"));
  BOOST_TEST(docs[7] == boost::json::parse(R"({"type":"wrote","wrote":false})"));
  BOOST_TEST(docs[8] == boost::json::parse(R"({"type":"txn_committed","version":3})"));
  BOOST_TEST(docs[9].at("verification").at("ok") == boost::json::value(true));
}

BOOST_AUTO_TEST_CASE(help_lists_the_new_commands) {
  Result help = run_cli({"--help"});
  for (const char* usage : {"event append TYPE OBJECT", "event list [TYPE]", "state cas CELL (VERSION|none) VALUE",
                            "json set KEY PATH VALUE", "json list [PREFIX]", "begin", "commit", "rollback"})
    BOOST_TEST(help.out.find(usage) != std::string::npos, usage);
}

// ---- vector store (docs/cli.md, src/cli/commands.cpp) ----------------------------------

BOOST_AUTO_TEST_CASE(vector_commands) {
  Result r = run_c(
      "vector create mem 3 dot; vector upsert mem a [1,0,0] '{\"topic\":\"x\",\"n\":1}';"
      "vector upsert mem b [0,2,0] {\"topic\": \"y\", \"n\": 2}; vector upsert mem c [0.5,0.5,0];"
      "vector get mem a; vector get mem c; vector get mem zz;"
      "vector search mem [1,1,0] 3; vector search mem [1,1,0] 3 '{\"topic\":\"y\"}';"
      "vector search mem [1,0,0] 2 {\"n\": {\"$gte\": 1}}; vector search mem [1,0,0] 2 {\"n\": 99};"
      "vector list; vector info mem; vector del mem a; vector del mem a; vector get mem a;"
      "vector drop mem; vector list");
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.err == "");
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 30u);
  Lines head(lines.begin(), lines.begin() + 15);
  Lines expected{"1",
                 "2",
                 "3",
                 "4",
                 R"([1.0,0.0,0.0] {"n":1,"topic":"x"} (version 2))",
                 "[0.5,0.5,0.0] null (version 4)",
                 "(nil)",
                 // dot scores, best first; a and c tie at 1.0: by key
                 R"(b 2.0 {"n":2,"topic":"y"})",
                 R"(a 1.0 {"n":1,"topic":"x"})",
                 "c 1.0 null",
                 R"(b 2.0 {"n":2,"topic":"y"})",  // the filter keeps b only
                 R"(a 1.0 {"n":1,"topic":"x"})",  // c has no n
                 R"(b 0.0 {"n":2,"topic":"y"})",
                 "(empty)",  // nothing matches: empty, not an error
                 "mem 3 dot 3"};
  BOOST_TEST(head == expected, boost::test_tools::per_element());
  Lines info(lines.begin() + 15, lines.begin() + 25);
  Lines expected_info{"name: mem", "dimension: 3", "metric: dot", "count: 3", "index: exact", "memory_bytes: ?",
                      "hnsw_threshold: 10000", "m: 16", "ef_construction: 200", "ef_search: 64"};
  BOOST_TEST(std::regex_match(info[5], std::regex(R"(memory_bytes: [1-9]\d*)")), info[5]);
  info[5] = "memory_bytes: ?";
  BOOST_TEST(info == expected_info, boost::test_tools::per_element());
  Lines tail(lines.begin() + 25, lines.end());
  Lines expected_tail{"1", "0", "(nil)", "6", "(empty)"};  // del, del again, get, drop (its version), list
  BOOST_TEST(tail == expected_tail, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(vector_metrics_and_the_current_run) {
  Result r = run_c(
      "vector create cos 2 COSINE; vector create l2 2 euclidean; vector upsert cos x [3,0]; vector upsert l2 x [3,4];"
      "vector search cos [1,0] 1; vector search l2 [0,0] 1; run create other; run use other; vector list;"
      "vector create cos 2 dot; vector list; run use default; vector list");
  BOOST_TEST(r.exit_code == 0, r.err);
  // Creating a run takes no version of the KV/vector commits.
  Lines expected{"1", "2", "3", "4", "x 1.0 null", "x -5.0 null", "OK", "OK", "(empty)", "5", "cos 2 dot 0",
                 "OK", "cos 2 cosine 1", "l2 2 euclidean 1"};
  BOOST_TEST(r.out_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(vector_json_mode) {
  Result r = run_c(
      "vector create mem 2 euclidean; vector upsert mem a [0.5,-1] {\"tag\": \"t\"}; vector get mem a;"
      "vector get mem zz; vector search mem [0.5,-1] 5 {\"tag\": \"t\"}; vector list; vector info mem;"
      "vector del mem a; vector drop mem",
      {"--json"});
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 9u);
  std::vector<boost::json::value> docs;
  for (const auto& line : lines) docs.push_back(boost::json::parse(line));
  BOOST_TEST(docs[0] == boost::json::parse(R"({"type":"version","version":1})"));
  BOOST_TEST(docs[1] == boost::json::parse(R"({"type":"version","version":2})"));
  BOOST_TEST(docs[2].at("type") == boost::json::value("maybe_vector"));
  const auto& v = docs[2].at("vector");
  BOOST_TEST(v.at("vector") == boost::json::parse("[0.5,-1.0]"));
  BOOST_TEST(v.at("metadata") == boost::json::parse(R"({"tag":"t"})"));
  BOOST_TEST(v.at("version") == boost::json::value(2));
  BOOST_TEST(v.at("timestamp_us").is_int64());
  BOOST_TEST(docs[3] == boost::json::parse(R"({"type":"maybe_vector"})"));  // absent: no "vector"
  BOOST_TEST(docs[4] == boost::json::parse(R"({"type":"matches","matches":[{"key":"a","score":0.0,"metadata":{"tag":"t"}}]})"));
  BOOST_TEST(docs[5].at("type") == boost::json::value("collections"));
  const auto& listed = docs[5].at("collections").as_array();
  BOOST_REQUIRE_EQUAL(listed.size(), 1u);
  BOOST_TEST(listed[0].at("name") == boost::json::value("mem"));
  BOOST_TEST(listed[0].at("metric") == boost::json::value("euclidean"));
  BOOST_TEST(listed[0].at("count") == boost::json::value(1));
  BOOST_TEST(docs[6].at("type") == boost::json::value("collection"));
  const auto& c = docs[6].at("collection");
  BOOST_TEST(c.at("dimension") == boost::json::value(2));
  BOOST_TEST(c.at("index") == boost::json::value("exact"));
  BOOST_TEST(c.at("options") == boost::json::parse(R"({"hnsw_threshold":10000,"m":16,"ef_construction":200,"ef_search":64})"));
  BOOST_TEST(c.at("memory_bytes").is_int64());
  BOOST_TEST(docs[7] == boost::json::parse(R"({"type":"existed","existed":true})"));
  BOOST_TEST(docs[8] == boost::json::parse(R"({"type":"version","version":4})"));
}

BOOST_AUTO_TEST_CASE(vector_errors_name_the_problem) {
  Result mismatch = run_c("vector create mem 3 cosine; vector upsert mem a [1,0]; vector list");
  check_single_error(mismatch, "dimension_mismatch");
  BOOST_TEST(mismatch.err.find("\"mem\"") != std::string::npos, mismatch.err);
  BOOST_TEST(mismatch.err.find("dimension 3") != std::string::npos, mismatch.err);
  BOOST_TEST(mismatch.out == "1\n");  // the command after the failure did not run

  Result query = run_c("vector create mem 3 cosine; vector search mem [1,0] 3");
  check_single_error(query, "dimension_mismatch");
  BOOST_TEST(query.err.find("query") != std::string::npos, query.err);

  for (const char* unknown : {"vector upsert nope a [1]", "vector get nope a", "vector search nope [1] 1",
                              "vector del nope a", "vector info nope", "vector drop nope"}) {
    Result r = run_c(unknown);
    check_single_error(r, "collection_not_found");
    BOOST_TEST(r.err.find("\"nope\"") != std::string::npos, unknown << ": " << r.err);
  }

  Result bad_op = run_c("vector create mem 2 cosine; vector search mem [1,0] 3 {\"f\": {\"$near\": 1}}");
  check_single_error(bad_op, "invalid_filter");
  BOOST_TEST(bad_op.err.find("$near") != std::string::npos, bad_op.err);
  Result not_object = run_c("vector create mem 2 cosine; vector search mem [1,0] 3 [1]");
  check_single_error(not_object, "invalid_filter");
  BOOST_TEST(not_object.err.find("Object") != std::string::npos, not_object.err);
  Result bad_in = run_c("vector create mem 2 cosine; vector search mem [1,0] 3 {\"f\": {\"$in\": 1}}");
  check_single_error(bad_in, "invalid_filter");
  BOOST_TEST(bad_in.err.find("$in") != std::string::npos, bad_in.err);
  check_single_error(run_c("vector create mem 2 cosine; vector search mem [1,0] 3 {\"f\": 1"), "syntax_error");
  check_single_error(run_c("vector create mem 2 cosine; vector search mem [1,0] 3 '{\"f\": 1'"), "invalid_json");

  Result metric = run_c("vector create mem 3 manhattan");
  check_single_error(metric, "invalid_input");
  BOOST_TEST(metric.err.find("manhattan") != std::string::npos, metric.err);
  check_single_error(run_c("vector create mem 0 cosine"), "invalid_dimension");
  check_single_error(run_c("vector create mem 3 cosine; vector create mem 3 dot"), "collection_exists");
  check_single_error(run_c("vector create a/b 3 cosine"), "invalid_collection_name");
  Result not_array = run_c("vector create mem 2 cosine; vector upsert mem a '\"x\"'");
  check_single_error(not_array, "wrong_type");
  BOOST_TEST(not_array.err.find("array of numbers") != std::string::npos, not_array.err);
  check_single_error(run_c("vector create mem 2 cosine; vector upsert mem a [\"x\",1]"), "wrong_type");
  check_single_error(run_c("vector create mem 2 cosine; vector search mem [1,0] 0"), "invalid_k");
  check_single_error(run_c("vector create mem 2 cosine; vector upsert mem _strata/a [1,0]"), "key_reserved");

  Result usage = run_c("vector search mem [1,0]");
  check_single_error(usage, "bad_arguments");
  BOOST_TEST(usage.err.find("vector search COLL [f,...] K [FILTER]") != std::string::npos, usage.err);
  Result sub = run_c("vector frob");
  check_single_error(sub, "unknown_command");
  BOOST_TEST(sub.err.find("upsert") != std::string::npos, sub.err);
}

BOOST_AUTO_TEST_CASE(vector_errors_in_json_mode_and_stdin_mode) {
  Result r = run_c("vector create mem 2 cosine; vector upsert mem a [1,2,3]", {"--json"});
  BOOST_TEST(r.exit_code == 1);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 2u);
  const boost::json::value err = boost::json::parse(lines[1]);
  BOOST_TEST(err.at("error").at("code") == boost::json::value("dimension_mismatch"));
  BOOST_TEST(std::string(err.at("error").at("message").as_string()).find("\"mem\"") != std::string::npos);
  check_single_error(r, "dimension_mismatch");

  // Line by line, an error does not stop the later commands; the exit code
  // still reports it. The rejected upsert wrote nothing.
  Result s = run_cli({"--memory"},
                     "vector create mem 2 dot\n"
                     "vector upsert mem a [1,2,3]\n"
                     "vector search mem [1,0] 1 {\"$or\": []}\n"
                     "vector upsert mem a [1,2]\n"
                     "vector search mem [1,0] 5\n");
  BOOST_TEST(s.exit_code == 1);
  Lines expected{"1", "2", "a 1.0 null"};
  BOOST_TEST(s.out_lines() == expected, boost::test_tools::per_element());
  BOOST_TEST(std::count(s.err.begin(), s.err.end(), '\n') == 2, s.err);
  BOOST_TEST(s.err.find("error: dimension_mismatch: ") != std::string::npos, s.err);
  BOOST_TEST(s.err.find("error: invalid_filter: ") != std::string::npos, s.err);
}

BOOST_AUTO_TEST_CASE(vectors_persist_across_processes) {
  TempDir dir;
  fs::path db = dir.path / "db";
  Result put = run_cli({db.string(), "--durability", "strict", "-c",
                        "vector create mem 3 euclidean; vector upsert mem a [0.1,-0.0,3e38] {\"n\": 1};"
                        "vector upsert mem b [1,1,1]; vector del mem b; vector create gone 2 dot; vector drop gone"});
  BOOST_TEST(put.exit_code == 0, put.err);
  BOOST_TEST(put.out == "1\n2\n3\n1\n5\n6\n");
  Result get = run_cli({db.string(), "-c", "vector get mem a; vector get mem b; vector list; vector search mem [0.1,1,3e38] 5"});
  BOOST_TEST(get.exit_code == 0, get.err);
  Lines lines = get.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 4u);
  // The floats print as the shortest decimal of each float, made a double.
  BOOST_TEST(lines[0].rfind("[0.10000000149011612,-0.0,", 0) == 0, lines[0]);
  BOOST_TEST(lines[0].find(R"( {"n":1} (version 2))") != std::string::npos, lines[0]);
  BOOST_TEST(lines[1] == "(nil)");
  BOOST_TEST(lines[2] == "mem 3 euclidean 1");
  BOOST_TEST(lines[3] == R"(a -1.0 {"n":1})");  // at distance 1
}

BOOST_AUTO_TEST_CASE(help_lists_the_vector_commands) {
  Result help = run_cli({"--help"});
  for (const char* usage : {"vector create COLL DIM (cosine|euclidean|dot)", "vector upsert COLL KEY [f,...] [META]",
                            "vector get COLL KEY", "vector del COLL KEY", "vector search COLL [f,...] K [FILTER]",
                            "vector list", "vector drop COLL", "vector info COLL"})
    BOOST_TEST(help.out.find(usage) != std::string::npos, usage);
}

BOOST_AUTO_TEST_CASE(run_digest_now_and_as_of) {
  // Two runs with the same content by different roads print one digest;
  // --as-of (both spellings) gives the digest the run had at that version.
  Result r = run_c(
      "run create a; run create b; run use a; kv put k 1; kv put k 2; run use b; kv put k 2;"
      "run digest a; run digest b; run digest a --as-of 1; run digest a --as-of=2; run digest default --as-of 0");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 12u);
  auto sha = [](const std::string& line) { return line.substr(0, line.find(' ')); };
  BOOST_TEST(lines[7].size() == 64u + std::string(" (version 3)").size(), lines[7]);
  BOOST_TEST(lines[7].ends_with(" (version 3)"), lines[7]);
  BOOST_TEST(sha(lines[7]) == sha(lines[8]));
  BOOST_TEST(lines[9].ends_with(" (version 1)"), lines[9]);
  BOOST_TEST(sha(lines[9]) != sha(lines[7]));
  BOOST_TEST(sha(lines[10]) == sha(lines[7]));  // version 2 already held k = 2
  BOOST_TEST(lines[11].ends_with(" (version 0)"), lines[11]);
  // A time in the past of every commit reads version 0.
  Result t = run_c("kv put k 1; run digest default --as-of 1970-01-01T00:00:00Z; run digest default --as-of 0");
  BOOST_TEST(t.exit_code == 0, t.err);
  Lines tl = t.out_lines();
  BOOST_REQUIRE_EQUAL(tl.size(), 3u);
  BOOST_TEST(tl[1] == tl[2]);
}

BOOST_AUTO_TEST_CASE(run_fork_of_the_current_run_now_and_at_a_version) {
  Result r = run_c(
      "kv put k 1; kv put k 2; run fork now; run fork then --at 1; run fork then2 --at=1;"
      "run use now; kv get k; kv put k 3; run use then; kv get k; run info then; run use default; kv get k;"
      "run digest then; run digest default --as-of 1");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 21u);
  BOOST_TEST(lines[2] == "forked default at version 2");
  BOOST_TEST(lines[3] == "forked default at version 1");
  BOOST_TEST(lines[4] == "forked default at version 1");
  BOOST_TEST(lines[6] == "2");  // now: k as of the fork
  BOOST_TEST(lines[9] == "1");  // then: k as of version 1
  BOOST_TEST(lines[15] == "parent: default", lines[15]);
  BOOST_TEST(lines[16] == "fork_version: 1", lines[16]);
  BOOST_TEST(lines[18] == "2");  // the forks' writes stay in the forks
  auto sha = [](const std::string& line) { return line.substr(0, line.find(' ')); };
  BOOST_TEST(sha(lines[19]) == sha(lines[20]));
  check_single_error(run_c("run fork default"), "run_exists");
  check_single_error(run_c("run fork x --at 99"), "invalid_input");
  check_single_error(run_c("run fork x --as-of 1"), "bad_arguments");
  check_single_error(run_c("kv get k --at 1"), "bad_arguments");
  check_single_error(run_c("run create p; run use p; run fork c; run use default; run delete p"), "run_has_children");
}

BOOST_AUTO_TEST_CASE(run_diff_prints_one_line_per_difference) {
  Result r = run_c(
      "kv put a 1; kv put b 2; json set d $ {\"x\":1}; event append e {}; run fork f; run use f;"
      "kv put a 10; kv del b; kv put c 3; json set d $.x 2; event append e {\"n\":1}; run use default;"
      "run diff default f; run diff f f");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 18u);
  BOOST_TEST(lines[12] == "kv ~ a 1 -> 10");
  BOOST_TEST(lines[13] == "kv - b 2");
  BOOST_TEST(lines[14] == "kv + c 3");
  BOOST_TEST(lines[15] == "json ~ d at $.x");
  BOOST_TEST(lines[16].starts_with("event f 2 e {\"n\":1}"), lines[16]);
  BOOST_TEST(lines[17] == "(no differences)");
  check_single_error(run_c("run diff default nope"), "run_not_found");
  check_single_error(run_c("run diff default"), "bad_arguments");
}

BOOST_AUTO_TEST_CASE(run_merge_with_each_strategy) {
  Result r = run_c(
      "kv put k 0; run fork f; run use f; kv put k 1; kv put n 1; run use default; kv put k 2;"
      "run merge f default --strategy target-wins; kv get k; kv get n; run use f; kv put k 5; run use default;"
      "run merge f default --strategy=source-wins; kv get k; run merge f default");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 18u);
  BOOST_TEST(lines[7] == "merged 1 entries and 0 events at version 5", lines[7]);
  BOOST_TEST(lines[8] == "resolved kv \"k\"");
  BOOST_TEST(lines[9] == "2");
  BOOST_TEST(lines[10] == "1");
  BOOST_TEST(lines[14] == "merged 1 entries and 0 events at version 7", lines[14]);
  BOOST_TEST(lines[15] == "resolved kv \"k\"");  // both changed it since the first merge
  BOOST_TEST(lines[16] == "5");
  BOOST_TEST(lines[17] == "nothing to merge");
  check_single_error(run_c("kv put k 0; run fork f; run use f; kv put k 1; run use default; kv put k 2; run merge f default"),
                     "merge_conflict");
  check_single_error(run_c("run fork f; run merge f default --strategy mine"), "bad_arguments");
  check_single_error(run_c("run create x; run merge x default"), "invalid_input");
}

BOOST_AUTO_TEST_CASE(run_replay_rebuilds_a_run_with_the_same_digest) {
  Result r = run_c(
      "kv put a 1; kv put a 2; event append e {}; json set d $ {\"x\":1}; run replay default copy;"
      "run replay default early --up-to 1; run digest default; run digest copy; run use early; kv get a");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 10u);
  BOOST_TEST(lines[4] == "replayed 4 commits up to version 4");
  BOOST_TEST(lines[5] == "replayed 1 commits up to version 1");
  auto sha = [](const std::string& line) { return line.substr(0, line.find(' ')); };
  BOOST_TEST(sha(lines[6]) == sha(lines[7]));
  BOOST_TEST(lines[9] == "1");
  check_single_error(run_c("run replay default default"), "run_exists");
  check_single_error(run_c("run replay default x --up-to 9"), "invalid_input");
}

BOOST_AUTO_TEST_CASE(as_of_errors_are_named) {
  Result future = run_c("kv put k 1; run digest default --as-of 99");
  BOOST_TEST(future.exit_code != 0);
  BOOST_TEST(future.err.find("invalid_input") != std::string::npos, future.err);
  BOOST_TEST(future.err.find("as_of version 99 is after the newest commit (version 1)") != std::string::npos, future.err);
  Result garbage = run_c("run digest default --as-of yesterday");
  check_single_error(garbage, "invalid_input");
  BOOST_TEST(garbage.err.find("\"yesterday\"") != std::string::npos, garbage.err);
  Result missing = run_c("run digest default --as-of");
  check_single_error(missing, "bad_arguments");
  Result twice = run_c("run digest default --as-of 0 --as-of 0");
  check_single_error(twice, "bad_arguments");
  Result not_taken = run_c("kv put k 1 --as-of 0");
  check_single_error(not_taken, "bad_arguments");
  BOOST_TEST(not_taken.err.find("takes no --as-of") != std::string::npos, not_taken.err);
  Result unknown = run_c("run digest nope");
  check_single_error(unknown, "run_not_found");
}

BOOST_AUTO_TEST_CASE(help_lists_run_digest) {
  Result help = run_cli({"--help"});
  BOOST_TEST(help.out.find("run digest NAME [--as-of V|TIME]") != std::string::npos, help.out);
}

BOOST_AUTO_TEST_CASE(every_read_takes_as_of) {
  Result r = run_c(
      "kv put k 1; state set c 1; json set d $ {\"n\":1}; event append e {\"i\":1};"  // versions 1-4
      "vector create m 2 dot; vector upsert m a [1,0];"                                  // 5, 6
      "kv put k 2; state set c 2; json set d $.n 2; event append e {\"i\":2}; vector upsert m a [0,1];"  // 7-11
      "kv get k --as-of 1; kv get k --as-of 0; kv list --as-of 0; state get c --as-of 2;"
      "json get d $.n --as-of 3; json list --as-of 2; event len --as-of 4; event get 2 --as-of 9;"
      "event list --as-of 4; vector get m a --as-of 6; vector search m [1,0] 1 --as-of 6; kv get k");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  BOOST_REQUIRE_EQUAL(lines.size(), 23u);
  Lines got(lines.begin() + 11, lines.end());
  Lines expected{"1",      "(nil)", "(empty)", "1 (version 2)", "1", "(empty)", "1", "(nil)",
                 "1 e {\"i\":1}", "[1.0,0.0] null (version 6)", "a 1.0 null", "2"};
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  Result help = run_cli({"--help"});
  for (const char* usage : {"kv get KEY [--as-of V|TIME]", "event len [--as-of V|TIME]",
                            "vector search COLL [f,...] K [FILTER] [--as-of V|TIME]"})
    BOOST_TEST(help.out.find(usage) != std::string::npos, usage);
}

BOOST_AUTO_TEST_CASE(begin_as_of_is_a_read_only_transaction_in_the_past) {
  Result r = run_c("kv put k 1; kv put k 2; begin --as-of 1; kv get k; commit; kv get k");
  BOOST_TEST(r.exit_code == 0, r.err);
  Lines lines = r.out_lines();
  Lines expected{"1", "2", "transaction started at version 1", "1", "1", "2"};
  BOOST_TEST(lines == expected, boost::test_tools::per_element());
  // A write in it fails (and, with -c, stops the run).
  r = run_c("kv put k 1; begin --as-of 1; kv put k 3");
  BOOST_TEST(r.exit_code != 0);
  lines = r.out_lines();
  expected = {"1", "transaction started at version 1"};
  BOOST_TEST(lines == expected, boost::test_tools::per_element());
  BOOST_TEST(r.err.find("read_only") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("as of version 1") != std::string::npos, r.err);
}
