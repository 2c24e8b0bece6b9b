#include "json/patch.hpp"

#include <cmath>

#include "json/document_edit.hpp"

#include <limits>

namespace strata::json {

namespace {

error_code fail(errc e, std::string* detail, std::string why) {
  if (detail) *detail = std::move(why);
  return make_error_code(e);
}

std::string at(const Path& p) { return "at path " + format_path(p); }

void record_set(PatchResult& out, const EditResult& r, Value v) {
  out.resolved.push_back({ResolvedEdit::Kind::Set, r.resolved, std::move(v)});
  out.changed.push_back(r.changed);
}

error_code set_value(Document& doc, const Path& path, Value v, PatchResult& out, std::string* detail) {
  if (path.is_root()) {
    doc = {true, v};
    out.resolved.push_back({ResolvedEdit::Kind::Set, path, std::move(v)});
    out.changed.push_back(path);
    return {};
  }
  if (!doc.exists) doc = {true, Value()};  // intermediate objects are created from Null
  EditResult r;
  if (auto ec = set(doc.value, path, v, &r, detail)) return ec;
  record_set(out, r, std::move(v));
  return {};
}

void delete_document(Document& doc, PatchResult& out) {
  if (!doc.exists) return;
  doc = {};
  ++out.erased;
  out.resolved.push_back({ResolvedEdit::Kind::Erase, Path{}, Value()});
  out.changed.push_back(Path{});
}

void erase_path(Document& doc, const Path& path, PatchResult& out) {
  if (path.is_root()) return delete_document(doc, out);
  if (!doc.exists) return;
  EditResult r;
  if (erase(doc.value, path, &r) == 0) return;
  ++out.erased;
  out.resolved.push_back({ResolvedEdit::Kind::Erase, r.resolved, Value()});
  out.changed.push_back(r.changed);
}

/// The existing value an append or increment works on.
error_code target_of(Document& doc, const Path& path, Value*& target, std::string* detail) {
  if (!doc.exists) return fail(errc::document_not_found, detail, "the document does not exist");
  target = find(doc.value, path);
  if (!target) return fail(errc::invalid_path, detail, "no value " + at(path));
  return {};
}

error_code append(Document& doc, const Path& path, Value v, PatchResult& out, std::string* detail) {
  Value* target = nullptr;
  if (auto ec = target_of(doc, path, target, detail)) return ec;
  if (!target->is_array())
    return fail(errc::wrong_type, detail,
                "cannot append to a " + std::string(kind_name(target->kind())) + " " + at(path) + " (not an Array)");
  Path element = path;
  element.segments.push_back({PathSegment::Kind::Index, {}, static_cast<std::int64_t>(target->as_array().size())});
  EditResult r;
  if (auto ec = set(doc.value, element, v, &r, detail)) return ec;
  record_set(out, r, std::move(v));
  return {};
}

error_code add(const Value& current, const Value& delta, const Path& path, Value& sum, std::string* detail) {
  const bool numbers = (current.is_int() || current.is_float()) && (delta.is_int() || delta.is_float());
  if (!numbers)
    return fail(errc::wrong_type, detail,
                "cannot increment a " + std::string(kind_name(current.kind())) + " " + at(path) + " by a " +
                    std::string(kind_name(delta.kind())) + " (both must be Int or Float)");
  if (current.is_int() && delta.is_int()) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(current.as_int(), delta.as_int(), &r))
      return fail(errc::integer_out_of_range, detail, "incrementing the Int " + at(path) + " overflows int64");
    sum = r;
    return {};
  }
  auto as_double = [](const Value& v) { return v.is_int() ? static_cast<double>(v.as_int()) : v.as_float(); };
  const double d = as_double(current) + as_double(delta);
  if (!std::isfinite(d))
    return fail(errc::non_finite_float, detail, "incrementing the Float " + at(path) + " overflows to infinity");
  sum = d;
  return {};
}

error_code increment(Document& doc, const Path& path, const Value& delta, PatchResult& out, std::string* detail) {
  Value* target = nullptr;
  if (auto ec = target_of(doc, path, target, detail)) return ec;
  Value sum;
  if (auto ec = add(*target, delta, path, sum, detail)) return ec;
  EditResult r;
  if (auto ec = set(doc.value, path, sum, &r, detail)) return ec;
  out.last_increment = sum;
  record_set(out, r, std::move(sum));
  return {};
}

}  // namespace

error_code apply_edits(Document& doc, std::span<const Edit> edits, PatchResult& out, std::string* detail) {
  for (const Edit& e : edits) {
    error_code ec;
    switch (e.kind) {
      case Edit::Kind::Set: ec = set_value(doc, e.path, e.value, out, detail); break;
      case Edit::Kind::Erase: erase_path(doc, e.path, out); break;
      case Edit::Kind::DeleteDocument: delete_document(doc, out); break;
      case Edit::Kind::ArrayAppend: ec = append(doc, e.path, e.value, out, detail); break;
      case Edit::Kind::Increment: ec = increment(doc, e.path, e.value, out, detail); break;
    }
    if (ec) return ec;
  }
  return {};
}

bool apply_resolved(Document& doc, std::span<const ResolvedEdit> edits, std::string& why) {
  for (const ResolvedEdit& e : edits) {
    if (e.kind == ResolvedEdit::Kind::Erase && e.path.is_root()) {
      doc = {};
      continue;
    }
    if (e.kind == ResolvedEdit::Kind::Set && e.path.is_root()) {
      doc = {true, e.value};
      continue;
    }
    if (e.kind == ResolvedEdit::Kind::Set) {
      if (!doc.exists) doc = {true, Value()};
      if (set(doc.value, e.path, e.value, nullptr, &why)) return false;
    } else if (!doc.exists || erase(doc.value, e.path, nullptr) == 0) {
      why = "JSON edit erases the missing path " + format_path(e.path);
      return false;
    }
  }
  return true;
}

}  // namespace strata::json
