#include <strata/recorder.hpp>

#include <strata/error.hpp>

#include <chrono>
#include <limits>
#include <stdexcept>

namespace strata {

namespace {

// Payload members of a recorded input: {"kind", "name"?, "request"?,
// "response"? | "error"?}. Random numbers and clock readings are responses
// (Int; a random number is its 64 bits as int64).
constexpr std::string_view kKind = "kind", kName = "name", kRequest = "request", kResponse = "response",
                           kError = "error";

const Value* member(const Object& o, std::string_view name) {
  auto it = o.find(std::string(name));
  return it == o.end() ? nullptr : &it->second;
}

std::string text_of(const Object& o, std::string_view name) {
  const Value* v = member(o, name);
  return v && v->is_string() ? v->as_string() : std::string();
}

/// What an input is, for a message: `tool "fetch" with {"url":"a"}`, `a clock reading`.
std::string describe(std::string_view kind, std::string_view name, const Value* request) {
  if (kind == "tool") return "tool \"" + std::string(name) + "\" with " + (request ? request->to_json_string() : "null");
  if (kind == "random") return "a random number";
  if (kind == "clock") return "a clock reading";
  return "input \"" + std::string(kind) + "\"";
}

std::string describe(const Object& recorded) {
  const Value* request = member(recorded, kRequest);
  return describe(text_of(recorded, kKind), text_of(recorded, kName), request);
}

[[noreturn]] void diverge(std::string detail) { throw Error(errc::replay_divergence, std::move(detail)); }

}  // namespace

Recorder Recorder::record(Strata db) { return Recorder(std::move(db), false); }

Recorder Recorder::replay(Strata db, std::string_view source, std::uint64_t from_sequence) {
  Strata reader = db;
  reader.set_run(source);
  Recorder r(std::move(db), true);
  for (Event& e : reader.event_read_by_type(kEventType))
    if (e.sequence >= from_sequence) r.recorded_.push_back(std::move(e));
  return r;
}

namespace {

/// A recorded input's payload without its answer.
Object payload_of(std::string_view kind, std::string_view name = {}, const Value* request = nullptr) {
  Object p{{std::string(kKind), Value(std::string(kind))}};
  if (!name.empty()) p.emplace(std::string(kName), Value(std::string(name)));
  if (request) p.emplace(std::string(kRequest), *request);
  return p;
}

}  // namespace

void Recorder::keep(Object payload) {
  db_.event_append(kEventType, Value(std::move(payload)));
  ++position_;
}

Value Recorder::take(std::string_view kind, std::string_view name, const Value* request) {
  const std::string at = "replay input " + std::to_string(position_ + 1);
  if (position_ >= recorded_.size())
    diverge(at + ": the agent asked for " + describe(kind, name, request) + " but the recording ends after " +
            std::to_string(recorded_.size()) + " inputs");
  const Event& e = recorded_[position_];
  const Object& rec = e.payload;
  const Value* rec_request = member(rec, kRequest);
  const bool same = text_of(rec, kKind) == kind && text_of(rec, kName) == name &&
                    (request ? rec_request && *rec_request == *request : !rec_request);
  if (!same)
    diverge(at + " (event " + std::to_string(e.sequence) + "): the agent asked for " + describe(kind, name, request) +
            " but the recording has " + describe(rec));
  db_.event_append(kEventType, Value(rec));
  ++position_;
  if (const Value* error = member(rec, kError)) throw std::runtime_error(error->is_string() ? error->as_string() : "");
  const Value* response = member(rec, kResponse);
  return response ? *response : Value();
}

std::int64_t Recorder::take_integer(std::string_view kind, std::string_view what) {
  const Value v = take(kind, {}, nullptr);
  if (!v.is_int())
    diverge("replay input " + std::to_string(position_) + ": the recorded " + std::string(what) + " is not an integer");
  return v.as_int();
}

Value Recorder::tool(std::string_view name, const Value& request, const std::function<Value(const Value&)>& call) {
  if (replaying_) return take("tool", name, &request);
  Object payload = payload_of("tool", name, &request);
  try {
    Value response = call(request);
    payload.emplace(std::string(kResponse), response);
    keep(std::move(payload));
    return response;
  } catch (const std::exception& failure) {
    payload.emplace(std::string(kError), Value(std::string(failure.what())));
    keep(std::move(payload));
    throw;
  }
}

Value Recorder::input(std::string_view kind, const std::function<Value()>& produce) {
  if (kind.empty() || kind == "tool" || kind == "random" || kind == "clock")
    throw Error(errc::invalid_input, "Recorder::input: kind \"" + std::string(kind) +
                                         "\" is empty or reserved (tool, random, clock have their own calls)");
  return answer(kind, produce);
}

Value Recorder::answer(std::string_view kind, const std::function<Value()>& produce) {
  if (replaying_) return take(kind, {}, nullptr);
  Value v = produce();
  Object payload = payload_of(kind);
  payload.emplace(std::string(kResponse), v);
  keep(std::move(payload));
  return v;
}

std::uint64_t Recorder::random() {
  if (replaying_) return static_cast<std::uint64_t>(take_integer("random", "random number"));
  return static_cast<std::uint64_t>(
      answer("random", [this] { return Value(static_cast<std::int64_t>(random_())); }).as_int());
}

std::int64_t Recorder::now_us() {
  if (replaying_) return take_integer("clock", "clock reading");
  return answer("clock", [] {
           return Value(static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count()));
         })
      .as_int();
}

void Recorder::finish() {
  if (!replaying_ || position_ == recorded_.size()) return;
  diverge("the replay finished after " + std::to_string(position_) + " of " + std::to_string(recorded_.size()) +
          " recorded inputs; the next one (event " + std::to_string(recorded_[position_].sequence) + ") is " +
          describe(recorded_[position_].payload));
}

}  // namespace strata
