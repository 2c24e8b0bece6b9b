// JSON-document operations (docs/guides/json.md). An edit is applied by the
// coordinator to the newest document at commit (commit_staging.cpp), so it
// is atomic even while transactions edit other paths of the same document.
#pragma once

#include "commit/commit_request.hpp"
#include "engine/engine.hpp"
#include "engine/outcome.hpp"

#include <strata/types.hpp>
#include <strata/value.hpp>

#include <optional>
#include <string_view>

namespace strata::ops {

/// One edit of a document: set, delete (erase; "$" deletes the document),
/// array append or increment.
struct JsonEdit {
  const detail::RunRef& run;
  std::string_view key;
  std::string_view path;
  Value value;
  commit::JsonOp::Kind kind;
  detail::Outcome<commit::PreparedCommit> prepare(detail::Engine& e);
};

/// -> the commit version.
struct JsonSet : JsonEdit {
  using Result = Version;
  JsonSet(const detail::RunRef& r, std::string_view k, std::string_view p, Value v)
      : JsonEdit{r, k, p, std::move(v), commit::JsonOp::Kind::Set} {}
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};
/// -> values removed (0 or 1).
struct JsonDelete : JsonEdit {
  using Result = std::size_t;
  JsonDelete(const detail::RunRef& r, std::string_view k, std::string_view p)
      : JsonEdit{r, k, p, Value(), commit::JsonOp::Kind::Erase} {}
  static Result finish(const commit::CommitOutcome& out) { return out.json_erased; }
};
/// -> the commit version.
struct JsonArrayAppend : JsonEdit {
  using Result = Version;
  JsonArrayAppend(const detail::RunRef& r, std::string_view k, std::string_view p, Value v)
      : JsonEdit{r, k, p, std::move(v), commit::JsonOp::Kind::ArrayAppend} {}
  static Result finish(const commit::CommitOutcome& out) { return out.version; }
};
/// -> the incremented value.
struct JsonIncr : JsonEdit {
  using Result = Value;
  JsonIncr(const detail::RunRef& r, std::string_view k, std::string_view p, Value delta)
      : JsonEdit{r, k, p, std::move(delta), commit::JsonOp::Kind::Increment} {}
  static Result finish(const commit::CommitOutcome& out) { return out.json_result; }
};

/// -> the value at `path`, or nullopt.
struct JsonGet {
  using Result = std::optional<Value>;
  const detail::RunRef& run;
  std::string_view key;
  std::string_view path;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// -> one page of document keys under `prefix`.
struct JsonList {
  using Result = KeyPage;
  const detail::RunRef& run;
  std::string_view prefix;
  PageRequest page;
  std::optional<AsOf> as_of{};  // unset: the visible version
  detail::Outcome<Result> read(detail::Engine& e) const;
};

/// The value at `path` of the document at `storage_key`, copied out of the
/// view (only the part at the path: documents can be large).
std::optional<Value> json_path_at(const actors::ReadView& view, std::string_view storage_key, const json::Path& path);

}  // namespace strata::ops
