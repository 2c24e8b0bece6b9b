// The Command/Output JSON codec: every alternative round-trips through
// text and through boost::json, the documented shapes hold, and malformed
// input is rejected with the right code and a message naming the field.
#define BOOST_TEST_MODULE command_json
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include "support/fixtures.hpp"

#include <boost/json/parse.hpp>

#include <set>
#include <string>
#include <vector>

using namespace strata;

namespace {

// Bytes, nested containers, unicode and doubles that Boost.JSON 1.81's own
// parser may misread by one ulp.
Value rich_value() {
  return Value::object({
      {"text", "h\xC3\xA9llo \xE2\x9C\x93 \"quoted\"\n"},
      {"tenth", 0.1},
      {"huge", 1e300},
      {"tiny", 5e-324},
      {"third", 1.0 / 3.0},
      {"bytes", Value::bytes(std::string("\x00\x01\xff", 3))},
      {"list", Value::array({1, -2.5, nullptr, true, Value::array({}), Value::object({})})},
      {"max", std::numeric_limits<std::int64_t>::max()},
  });
}
Object rich_object() { return rich_value().as_object(); }

// Floats whose shortest decimal forms are easy to get wrong: the smallest
// denormal, the largest finite float, a negative zero and a tenth.
std::vector<float> tricky_floats() {
  return {0.1f, std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(), -0.0f, 1.0f / 3.0f};
}

CollectionInfo sample_collection() {
  return CollectionInfo{"mem", 384, Metric::DotProduct, {.hnsw_threshold = 7}, 12, "hnsw", 4096};
}

std::vector<Command> every_command() {
  const Value v = rich_value();
  return {
      cmd::KvPut{.run = "r1", .key = "k\xC3\xA9", .value = v},
      cmd::KvPut{.key = "session", .value = "token", .ttl_ms = 30000},
      cmd::KvGet{.key = "k"},
      cmd::KvDelete{.run = "r-2", .key = "k"},
      cmd::KvList{.prefix = "user:", .limit = 10, .cursor = "opaque"},
      cmd::KvHistory{.key = "k"},
      cmd::KvHistory{.key = "k", .limit = 2, .before = 40},
      cmd::EventAppend{.run = "r1", .type = "tool_call", .payload = rich_object()},
      cmd::EventRead{.sequence = 42},
      cmd::EventReadByType{.type = "tool_call", .limit = 3},
      cmd::EventRange{.from = 2, .to = 9, .limit = 1},
      cmd::EventLen{.run = "r1"},
      cmd::EventVerify{},
      cmd::StateSet{.cell = "lock", .value = "held"},
      cmd::StateRead{.cell = "lock"},
      cmd::StateInit{.cell = "lock", .value = v},
      cmd::StateCas{.cell = "lock", .expected = 7, .value = 0.1},
      cmd::StateHistory{.run = "r1", .cell = "lock", .limit = 5},
      cmd::JsonSet{.key = "doc", .path = "$.a[\"b c\"]", .value = v},
      cmd::JsonGet{.key = "doc", .path = "$.a[-1]"},
      cmd::JsonDelete{.key = "doc", .path = "$"},
      cmd::JsonList{.prefix = "d", .limit = 5},
      cmd::JsonArrayAppend{.key = "doc", .path = "$.list", .value = Value::bytes("raw")},
      cmd::JsonIncr{.key = "doc", .path = "$.n", .delta = 1e300},
      cmd::JsonHistory{.key = "doc", .before = 9},
      cmd::RunCreate{.name = "agent-1", .metadata = rich_object()},
      cmd::RunUse{.name = "agent-1"},
      cmd::RunList{},
      cmd::RunInfo{.name = "agent-1"},
      cmd::RunDelete{.name = "agent-1"},
      cmd::RunDigest{.name = "agent-1", .as_of = AsOf::at_time_us(1714564800000123)},
      cmd::RunFork{.run = "agent-1", .name = "agent-1-try", .at = AsOf::at_version(12)},
      cmd::RunDiff{.a = "agent-1", .b = "agent-1-try", .as_of = AsOf::at_version(13)},
      cmd::RunMerge{.source = "agent-1-try", .target = "agent-1", .strategy = MergeStrategy::SourceWins},
      cmd::RunReplay{.source = "agent-1", .dest = "agent-1-again", .up_to = AsOf::at_version(8)},
      cmd::RunSetStatus{.name = "agent-1", .status = RunStatus::Cancelled},
      cmd::RunSetMetadata{.name = "agent-1", .metadata = Object{{"k", Value(1)}}},
      cmd::Begin{.run = "agent-1"},
      cmd::Commit{},
      cmd::Rollback{},
      cmd::Ping{},
      cmd::Info{},
      cmd::Flush{},
      cmd::Compact{},
      cmd::VectorCreate{.run = "r1", .name = "mem", .dimension = 3, .metric = Metric::Euclidean,
                        .options = {.hnsw_threshold = 5, .m = 8, .ef_construction = 50, .ef_search = 20}},
      cmd::VectorDrop{.name = "mem"},
      cmd::VectorList{.run = "r1"},
      cmd::VectorInfo{.name = "mem"},
      cmd::VectorUpsert{.collection = "mem", .key = "k", .vector = tricky_floats(), .metadata = v},
      cmd::VectorUpsertBatch{.collection = "mem",
                             .records = {{"a", {1, 2, 3}, std::nullopt}, {"b", tricky_floats(), Value::object({{"n", 1}})}}},
      cmd::VectorGet{.collection = "mem", .key = "k"},
      cmd::VectorDelete{.run = "r1", .collection = "mem", .key = "k"},
      cmd::VectorSearch{.collection = "mem", .vector = tricky_floats(), .k = 3,
                        .filter = Value::object({{"n", Value::object({{"$gte", 2}})}}), .exact = true, .ef = 99},
      cmd::VectorHistory{.collection = "mem", .key = "k", .limit = 1, .before = 3},
  };
}

Event sample_event(std::uint64_t seq) {
  return Event{seq, "tool_call", rich_object(), 1714564800000123, std::string(64, 'a')};
}

RunInfo sample_run() {
  return RunInfo{"fork", RunStatus::Paused, rich_object(), 1714564800000000, std::string("default"), Version{12}};
}

DatabaseInfo sample_info() {
  DatabaseInfo i;
  i.version = "0.1.0";
  i.durability = "strict";
  i.path = "/tmp/x";
  i.uptime_us = 5;
  i.shards = 4;
  i.runs = 2;
  i.keys = {{"kv", 3}, {"json", 1}};
  i.visible_version = 9;
  i.last_fsync_us = -1;
  i.batch_histogram = {4, 0, 1};
  return i;
}

std::vector<Output> every_output() {
  return {
      out::Done{},
      out::VersionOut{12},
      out::MaybeValue{rich_value()},
      out::Existed{true},
      out::Count{1},
      out::Keys{{"a", "b\xC3\xA9"}, std::string("cursor")},
      out::History{{VersionedValue{rich_value(), 3, 100, false}, VersionedValue{Value(), 4, 200, true},
                    VersionedValue{Value(1), 5, 300, false, 30000}}},
      out::Sequence{7},
      out::MaybeEvent{sample_event(1)},
      out::Events{{sample_event(1), sample_event(2)}},
      out::Length{2},
      out::Verification{EventVerification{false, 5, std::uint64_t{3}, "hash mismatch"}},
      out::MaybeState{VersionedValue{Value("held"), 5, 300, false}},
      out::MaybeVersion{Version{8}},
      out::Wrote{true},
      out::ValueOut{Value(2.5)},
      out::RunOut{sample_run()},
      out::Runs{{sample_run(), RunInfo{"default", RunStatus::Active, {}, 1, {}, {}}}},
      out::RunSelected{"agent-1"},
      out::Deleted{17},
      out::InfoOut{sample_info(), "agent-1"},
      out::Pong{"PONG"},
      out::TxnBegun{4, "agent-1"},
      out::TxnCommitted{5},
      out::TxnRolledBack{},
      out::Collection{sample_collection()},
      out::Collections{{sample_collection(), CollectionInfo{"b", 1, Metric::Cosine, {}, 0, "exact", 0}}},
      out::MaybeVector{VectorEntry{tricky_floats(), rich_value(), 3, 1714564800000123}},
      out::Matches{{VectorMatch{"a", 0.5f, rich_value()}, VectorMatch{"b", -1e-30f, std::nullopt}}},
      out::Digest{RunDigest{std::string(64, 'a'), 9}},
      out::Diff{RunDiff{"a", "b", 9, 4, {EntryChange{"k", {}, Value(1), std::nullopt, {}}}, {},
                        {EntryChange{"doc", {}, Value::object({{"x", 1}}), Value::object({{"x", 2}}), {"$.x"}}}, {},
                        {EntryChange{"v", "mem", std::nullopt, Value::object({{"vector", Value::array({1.5})}}), {}}},
                        2, {Event{3, "e", Object{}, 5, std::string(64, 'c')}}, {}}},
      out::Merged{MergeResult{12, 4, 3, 1, {"kv \"k\""}}},
      out::Replayed{ReplayResult{7, 9, 31}},
      out::VectorHistory{{VectorVersion{{}, std::nullopt, 9, 1714564800000200, true},
                          VectorVersion{tricky_floats(), rich_value(), 3, 1714564800000123, false}}},
  };
}

// Runs fn, which must throw Error with `code` and a detail containing `needle`.
template <class Fn>
void expect_error(Fn fn, errc code, const std::string& needle) {
  try {
    fn();
  } catch (const Error& e) {
    BOOST_TEST((e.code() == code), "code was " << e.code().message() << ": " << e.detail());
    BOOST_TEST(e.detail().find(needle) != std::string::npos, "detail \"" << e.detail() << "\" lacks " << needle);
    return;
  }
  BOOST_FAIL("no error; expected one mentioning " << needle);
}

void expect_bad_command(const std::string& text, errc code, const std::string& needle) {
  expect_error([&] { parse_command(text); }, code, needle);
}

}  // namespace

BOOST_AUTO_TEST_CASE(samples_cover_every_alternative) {
  std::set<std::size_t> commands, outputs;
  for (const auto& c : every_command()) commands.insert(c.index());
  for (const auto& o : every_output()) outputs.insert(o.index());
  BOOST_TEST(commands.size() == std::variant_size_v<Command>);
  BOOST_TEST(outputs.size() == std::variant_size_v<Output>);
}

BOOST_AUTO_TEST_CASE(every_command_round_trips_through_text_and_boost_json) {
  for (const Command& c : every_command()) {
    const std::string text = to_json_text(c);
    BOOST_TEST((parse_command(text) == c), text);
    BOOST_TEST((command_from_json(to_json(c)) == c), text);
  }
}

BOOST_AUTO_TEST_CASE(every_output_round_trips_through_text_and_boost_json) {
  for (const Output& o : every_output()) {
    const std::string text = to_json_text(o);
    BOOST_TEST((parse_output(text) == o), text);
    BOOST_TEST((output_from_json(to_json(o)) == o), text);
  }
}

BOOST_AUTO_TEST_CASE(op_and_type_names_are_snake_case_of_the_struct) {
  const std::vector<std::string> ops{
      "kv_put", "kv_put", "kv_get", "kv_delete", "kv_list", "kv_history", "kv_history", "event_append", "event_read",
      "event_read_by_type", "event_range", "event_len", "event_verify", "state_set", "state_read", "state_init",
      "state_cas", "state_history", "json_set", "json_get", "json_delete", "json_list", "json_array_append", "json_incr",
      "json_history",
      "run_create", "run_use", "run_list", "run_info", "run_delete", "run_digest", "run_fork", "run_diff", "run_merge", "run_replay", "run_set_status",
      "run_set_metadata",
      "begin", "commit", "rollback", "ping", "info", "flush", "compact", "vector_create", "vector_drop",
      "vector_list", "vector_info", "vector_upsert", "vector_upsert_batch", "vector_get", "vector_delete",
      "vector_search", "vector_history"};
  auto commands = every_command();
  BOOST_REQUIRE_EQUAL(commands.size(), ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    BOOST_TEST(command_name(commands[i]) == ops[i]);
    BOOST_TEST(to_json(commands[i]).at("op") == boost::json::value(ops[i].c_str()));
  }
  const std::vector<std::string> types{
      "done", "version", "maybe_value", "existed", "count", "keys", "history", "sequence", "maybe_event",
      "events", "length", "verification", "maybe_state", "maybe_version", "wrote", "value", "run", "runs",
      "run_selected", "deleted", "info", "pong", "txn_begun", "txn_committed", "txn_rolled_back",
      "collection", "collections", "maybe_vector", "matches", "digest", "diff", "merged", "replayed",
      "vector_history"};
  auto outputs = every_output();
  BOOST_REQUIRE_EQUAL(outputs.size(), types.size());
  for (std::size_t i = 0; i < types.size(); ++i) BOOST_TEST(output_name(outputs[i]) == types[i]);
}

BOOST_AUTO_TEST_CASE(documented_shapes) {
  BOOST_TEST(to_json_text(cmd::KvPut{.run = "r1", .key = "k", .value = 42}) ==
             R"({"op":"kv_put","run":"r1","key":"k","value":42})");
  // "run" is left out when unset; an unset optional argument too.
  BOOST_TEST(to_json_text(cmd::StateCas{.cell = "c", .value = 0.1}) == R"({"op":"state_cas","cell":"c","value":0.1})");
  BOOST_TEST(to_json_text(out::VersionOut{12}) == R"({"type":"version","version":12})");
  BOOST_TEST(to_json_text(cmd::KvPut{.key = "b", .value = Value::bytes("\x01")}) ==
             R"({"op":"kv_put","key":"b","value":{"$bytes":"AQ=="}})");
  BOOST_TEST(to_json_text(cmd::RunSetStatus{.name = "r", .status = RunStatus::Failed}) ==
             R"({"op":"run_set_status","name":"r","status":"failed"})");
  BOOST_TEST(to_json_text(cmd::Ping{}) == R"({"op":"ping"})");
  BOOST_TEST(to_json_text(cmd::KvPut{.key = "k", .value = 1, .ttl_ms = 1500}) ==
             R"({"op":"kv_put","key":"k","value":1,"ttl_ms":1500})");
  BOOST_TEST(to_json_text(cmd::StateHistory{.cell = "c", .limit = 2, .before = 40}) ==
             R"({"op":"state_history","cell":"c","limit":2,"before":40})");
  BOOST_TEST(to_json_text(cmd::RunDigest{.name = "r", .as_of = AsOf::at_version(7)}) ==
             R"({"op":"run_digest","name":"r","as_of":7})");
  BOOST_TEST(to_json_text(cmd::RunDigest{.name = "r", .as_of = AsOf::at_time_us(5)}) ==
             R"({"op":"run_digest","name":"r","as_of":{"timestamp_us":5}})");
  BOOST_TEST(to_json_text(out::Digest{RunDigest{"ab", 3}}) ==
             R"({"type":"digest","digest":{"sha256":"ab","version":3}})");
  BOOST_TEST(to_json_text(cmd::RunFork{.name = "try", .at = AsOf::at_version(4)}) ==
             R"({"op":"run_fork","name":"try","at":4})");
  BOOST_TEST((std::get<cmd::RunFork>(parse_command(R"({"op":"run_fork","run":"a","name":"b"})")) ==
              cmd::RunFork{.run = "a", .name = "b"}));
}

BOOST_AUTO_TEST_CASE(absent_and_stored_null_stay_distinct) {
  BOOST_TEST(to_json_text(out::MaybeValue{}) == R"({"type":"maybe_value"})");
  BOOST_TEST(to_json_text(out::MaybeValue{Value()}) == R"({"type":"maybe_value","value":null})");
  BOOST_TEST((parse_output(R"({"type":"maybe_value","value":null})") == Output(out::MaybeValue{Value()})));
  BOOST_TEST((parse_output(R"({"type":"maybe_value"})") == Output(out::MaybeValue{})));
  // For a non-Value optional, null means unset.
  BOOST_TEST((parse_command(R"({"op":"state_cas","cell":"c","expected":null,"value":1,"run":null})") ==
              Command(cmd::StateCas{.cell = "c", .value = 1})));
}

BOOST_AUTO_TEST_CASE(list_prefix_cursor_and_metadata_may_be_left_out) {
  BOOST_TEST((parse_command(R"({"op":"kv_list"})") == Command(cmd::KvList{})));
  BOOST_TEST((parse_command(R"({"op":"json_list","limit":2})") == Command(cmd::JsonList{.limit = 2})));
  BOOST_TEST((parse_command(R"({"op":"run_create","name":"r"})") == Command(cmd::RunCreate{.name = "r"})));
}

BOOST_AUTO_TEST_CASE(doubles_are_exact_from_text) {
  // Digits that Boost.JSON 1.81's parser rounds wrongly; the codec must not.
  const double hard = 8.41e21;
  const double from_chars = 2.2250738585072011e-308;
  for (double d : {0.1, 1e300, 1.0 / 3.0, hard, from_chars}) {
    Command c = cmd::KvPut{.key = "k", .value = d};
    Command back = parse_command(to_json_text(c));
    BOOST_TEST(*std::get<cmd::KvPut>(back).value.if_float() == d);
  }
  BOOST_TEST(to_json_text(cmd::KvPut{.key = "k", .value = 0.1}).find("0.1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unparsable_text_is_invalid_json) {
  expect_bad_command(R"({"op":"kv_put",)", errc::invalid_json, "");
  expect_bad_command("", errc::invalid_json, "");
  expect_error([] { parse_output("[1,"); }, errc::invalid_json, "");
}

BOOST_AUTO_TEST_CASE(structural_problems_are_invalid_input) {
  expect_bad_command("[1,2]", errc::invalid_input, "must be a JSON object");
  expect_bad_command(R"({"key":"k"})", errc::invalid_input, "\"op\"");
  expect_bad_command(R"({"op":7})", errc::invalid_input, "\"op\"");
  expect_bad_command(R"({"op":"kv_frob","key":"k"})", errc::invalid_input, "unknown op \"kv_frob\"");
  expect_error([] { parse_output(R"({"type":"nope"})"); }, errc::invalid_input, "unknown output type \"nope\"");
  expect_error([] { parse_output(R"({"version":1})"); }, errc::invalid_input, "\"type\"");
  // A huge unknown op is not echoed whole.
  try {
    parse_command(R"({"op":")" + std::string(10000, 'x') + "\"}");
    BOOST_FAIL("accepted");
  } catch (const Error& e) {
    BOOST_TEST(e.detail().size() < 300u);
  }
}

BOOST_AUTO_TEST_CASE(as_of_reads_a_version_a_time_object_or_a_utc_string) {
  auto as_of = [](const std::string& field) {
    return std::get<cmd::RunDigest>(parse_command(R"({"op":"run_digest","name":"r","as_of":)" + field + "}")).as_of;
  };
  BOOST_TEST((as_of("42") == AsOf::at_version(42)));
  BOOST_TEST((as_of(R"({"timestamp_us":1714564800000123})") == AsOf::at_time_us(1714564800000123)));
  BOOST_TEST((as_of(R"("2024-05-01T12:00:00.000123Z")") == AsOf::at_time_us(1714564800000123)));
  BOOST_TEST((as_of(R"("17us")") == AsOf::at_time_us(17)));
  BOOST_TEST(!as_of("null").has_value());
  for (const std::string bad : {"-1", "1.5", "true", R"("yesterday")", R"({"timestamp_us":"x"})",
                                R"({"timestamp_us":1,"version":2})", "[1]", R"("2024-02-30T00:00:00Z")"})
    BOOST_TEST_CONTEXT(bad) {
      expect_bad_command(R"({"op":"run_digest","name":"r","as_of":)" + bad + "}", errc::invalid_input,
                         "run_digest: field \"as_of\" must be a version");
    }
}

BOOST_AUTO_TEST_CASE(missing_and_mistyped_fields_are_named) {
  expect_bad_command(R"({"op":"kv_put","key":5,"value":1})", errc::invalid_input,
                     "kv_put: field \"key\" must be a string");
  expect_bad_command(R"({"op":"kv_put","value":1})", errc::invalid_input, "kv_put: field \"key\" is missing");
  expect_bad_command(R"({"op":"kv_put","key":"k"})", errc::invalid_input, "kv_put: field \"value\" is missing");
  expect_bad_command(R"({"op":"kv_get","key":"k","run":1})", errc::invalid_input,
                     "kv_get: field \"run\" must be a string");
  expect_bad_command(R"({"op":"event_append","type":"t","payload":[1]})", errc::invalid_input,
                     "event_append: field \"payload\" must be an object");
  expect_bad_command(R"({"op":"kv_list","limit":"3"})", errc::invalid_input,
                     "kv_list: field \"limit\" must be a non-negative integer");
  expect_bad_command(R"({"op":"run_set_status","name":"r","status":"sleepy"})", errc::invalid_input,
                     "run_set_status: field \"status\" must be a run status");
  expect_bad_command(R"({"op":"kv_put","key":"k","value":1,"vaule":2})", errc::invalid_input,
                     "kv_put: unknown field \"vaule\"");
  expect_error([] { parse_output(R"({"type":"history","versions":[{"value":1,"version":"x"}]})"); },
               errc::invalid_input, "history: field \"versions[0].version\" must be a non-negative integer");
}

BOOST_AUTO_TEST_CASE(versions_and_sequences_must_be_non_negative_integers) {
  for (const char* bad : {"-1", "1.5", "1.0", "\"3\"", "true", "1e3"}) {
    expect_bad_command(std::string(R"({"op":"event_read","sequence":)") + bad + "}", errc::invalid_input,
                       "event_read: field \"sequence\" must be a non-negative integer");
    expect_bad_command(std::string(R"({"op":"state_cas","cell":"c","value":1,"expected":)") + bad + "}",
                       errc::invalid_input, "state_cas: field \"expected\" must be a non-negative integer");
  }
  expect_bad_command(R"({"op":"event_read","sequence":18446744073709551615})", errc::integer_out_of_range, "");
  BOOST_TEST((parse_command(R"({"op":"event_read","sequence":0})") == Command(cmd::EventRead{.sequence = 0})));
}

// The envelope is one level of nesting, so a command carries values nested
// up to one level less than the database's limit (docs/commands.md).
BOOST_AUTO_TEST_CASE(nesting_limit_counts_the_envelope) {
  Command ok = cmd::KvPut{.key = "k", .value = strata::test::nested_array(kMaxNestingDepth - 1)};
  BOOST_TEST((parse_command(to_json_text(ok)) == ok));
  Command deep = cmd::KvPut{.key = "k", .value = strata::test::nested_array(kMaxNestingDepth)};
  expect_error([&] { parse_command(to_json_text(deep)); }, errc::nesting_too_deep, "");
}
