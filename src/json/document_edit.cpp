#include "json/document_edit.hpp"

#include "keys/key_rules.hpp"

#include <optional>
#include <utility>

namespace strata::json {
namespace {

using Kind = PathSegment::Kind;

/// Concrete position of `index` in an array of `size`: a negative index
/// counts from the end. nullopt when it reaches before the first element; a
/// non-negative result may still be >= size (callers decide).
std::optional<std::size_t> resolve_index(std::int64_t index, std::size_t size) noexcept {
  if (index >= 0) return static_cast<std::size_t>(index);
  // -(index + 1) + 1 cannot overflow, even for INT64_MIN.
  const std::uint64_t from_end = static_cast<std::uint64_t>(-(index + 1)) + 1;
  if (from_end > size) return std::nullopt;
  return size - static_cast<std::size_t>(from_end);
}

PathSegment index_segment(std::size_t i) { return {Kind::Index, {}, static_cast<std::int64_t>(i)}; }

/// One step down from `v`; nullptr when it does not exist. `*resolved`
/// receives the concrete index of an index step.
const Value* step(const Value& v, const PathSegment& seg, std::size_t* resolved) noexcept {
  if (seg.kind == Kind::Field) {
    const Object* obj = v.if_object();
    if (!obj) return nullptr;
    auto it = obj->find(seg.field);
    return it == obj->end() ? nullptr : &it->second;
  }
  const Array* arr = v.if_array();
  if (!arr) return nullptr;
  const auto i = resolve_index(seg.index, arr->size());
  if (!i || *i >= arr->size()) return nullptr;
  if (resolved) *resolved = *i;
  return &(*arr)[*i];
}

/// Follows segments [0, count) of `p`, appending each resolved step to
/// `resolved` when not null.
const Value* descend(const Value& doc, const Path& p, std::size_t count, Path* resolved) {
  const Value* cur = &doc;
  for (std::size_t i = 0; i < count && cur; ++i) {
    const PathSegment& seg = p.segments[i];
    std::size_t index = 0;
    cur = step(*cur, seg, &index);
    if (resolved) resolved->segments.push_back(seg.kind == Kind::Field ? seg : index_segment(index));
  }
  return cur;
}

Path prefix_of(const Path& p, std::size_t count) {
  Path out;
  out.segments.assign(p.segments.begin(), p.segments.begin() + static_cast<std::ptrdiff_t>(count));
  return out;
}

/// What set() will do, decided before anything is mutated.
struct SetPlan {
  Path resolved;        // the target with concrete indexes
  bool append = false;  // the last step appends to an array
};

// The validating walk of set(): reads the document only, so a failure leaves
// it untouched without copying anything.
class SetPlanner {
 public:
  SetPlanner(const Value& doc, const Path& p, std::string* detail) : doc_(doc), p_(p), detail_(detail) {}

  error_code plan(SetPlan& out) {
    const Value* cur = &doc_;  // nullptr once we are inside objects set() will create
    out.resolved.segments.reserve(p_.segments.size());
    for (std::size_t i = 0; i < p_.segments.size(); ++i) {
      const PathSegment& seg = p_.segments[i];
      const bool last = i + 1 == p_.segments.size();
      if (seg.kind == Kind::Field) {
        if (auto ec = field_step(i, cur)) return ec;
        out.resolved.segments.push_back(seg);
      } else {
        std::size_t index = 0;
        if (auto ec = index_step(i, last, cur, index)) return ec;
        out.append = last && cur == nullptr;
        out.resolved.segments.push_back(index_segment(index));
      }
    }
    return {};
  }

 private:
  error_code fail(const std::string& what) {
    if (detail_) *detail_ = "path " + keys::quote_for_message(format_path(p_)) + ": " + what;
    return make_error_code(errc::invalid_path);
  }
  std::string segment_text(std::size_t i) const { return format_path(Path{{p_.segments[i]}}).substr(1); }
  std::string prefix_text(std::size_t i) const { return keys::quote_for_message(format_path(prefix_of(p_, i))); }

  error_code wrong_kind(std::size_t i, std::string_view wanted, std::string_view found) {
    return fail("segment " + segment_text(i) + " needs an " + std::string(wanted) + " but " + std::string(found));
  }

  // An index that addresses no element of the array at segment i.
  error_code range_error(std::size_t i, std::size_t size, const std::string& note) {
    const std::int64_t wanted = p_.segments[i].index;
    const char* where = wanted >= 0 && static_cast<std::uint64_t>(wanted) > size ? " is past the end of"
                                                                                   : " is out of range for";
    return fail("index " + std::to_string(wanted) + where + " the array at " + prefix_text(i) + " (length " +
                std::to_string(size) + note + ")");
  }

  error_code field_step(std::size_t i, const Value*& cur) {
    if (!cur) return {};  // inside a created object: created too
    if (i == 0 && cur->is_null()) {  // a missing document becomes an object
      cur = nullptr;
      return {};
    }
    const Object* obj = cur->if_object();
    if (!obj) return wrong_kind(i, "Object", prefix_text(i) + " is " + std::string(kind_name(cur->kind())));
    auto it = obj->find(p_.segments[i].field);
    cur = it == obj->end() ? nullptr : &it->second;
    return {};
  }

  error_code index_step(std::size_t i, bool last, const Value*& cur, std::size_t& index) {
    constexpr std::string_view never = " (arrays are never created implicitly)";
    if (!cur) return wrong_kind(i, "Array", prefix_text(i) + " does not exist" + std::string(never));
    if (i == 0 && cur->is_null()) return wrong_kind(i, "Array", "the document does not exist" + std::string(never));
    const Array* arr = cur->if_array();
    if (!arr) return wrong_kind(i, "Array", prefix_text(i) + " is " + std::string(kind_name(cur->kind())));
    const auto resolved = resolve_index(p_.segments[i].index, arr->size());
    if (!resolved) return range_error(i, arr->size(), "");
    if (*resolved > arr->size()) {
      const std::string length = std::to_string(arr->size());
      return range_error(i, arr->size(), "; index " + length + " appends");
    }
    if (*resolved == arr->size() && !last) return range_error(i, arr->size(), "; arrays never grow implicitly");
    index = *resolved;
    cur = index < arr->size() ? &(*arr)[index] : nullptr;
    return {};
  }

  const Value& doc_;
  const Path& p_;
  std::string* detail_;
};

/// The mutating walk of set(), over a plan already validated against `doc`:
/// every step exists, is created (Null -> empty object), or is the final
/// append.
void apply(Value& doc, const SetPlan& plan, Value v) {
  const auto& segs = plan.resolved.segments;
  if (segs.empty()) {  // the root: replace the whole document
    doc = std::move(v);
    return;
  }
  Value* cur = &doc;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const bool last = i + 1 == segs.size();
    if (segs[i].kind == Kind::Field) {
      if (cur->is_null()) *cur = Value(Object{});  // the Null doc, or an object created just now
      Object& obj = cur->as_object();
      if (last) {
        obj.insert_or_assign(segs[i].field, std::move(v));
        return;
      }
      cur = &obj[segs[i].field];
    } else {
      Array& arr = cur->as_array();
      const auto index = static_cast<std::size_t>(segs[i].index);
      if (index == arr.size()) {
        arr.push_back(std::move(v));
        return;
      }
      if (last) {
        arr[index] = std::move(v);
        return;
      }
      cur = &arr[index];
    }
  }
}

void report(EditResult* result, Path resolved, bool array_changed) {
  if (!result) return;
  result->changed = resolved;
  if (array_changed) result->changed.segments.pop_back();
  result->resolved = std::move(resolved);
}

}  // namespace

const Value* find(const Value& doc, const Path& p) noexcept {
  const Value* cur = &doc;
  for (const auto& seg : p.segments) {
    cur = step(*cur, seg, nullptr);
    if (!cur) return nullptr;
  }
  return cur;
}

Value* find(Value& doc, const Path& p) noexcept {
  return const_cast<Value*>(find(static_cast<const Value&>(doc), p));
}

error_code set(Value& doc, const Path& p, Value v, EditResult* result, std::string* detail) {
  if (p.segments.size() + v.depth() > kMaxNestingDepth) {
    if (detail)
      *detail = "path " + keys::quote_for_message(format_path(p)) + ": the document would nest deeper than " +
                std::to_string(kMaxNestingDepth) + " levels (" + std::to_string(p.segments.size()) +
                " path segments + a value of depth " + std::to_string(v.depth()) + ")";
    return make_error_code(errc::nesting_too_deep);
  }
  SetPlan plan;
  if (auto ec = SetPlanner(doc, p, detail).plan(plan)) return ec;
  apply(doc, plan, std::move(v));
  report(result, std::move(plan.resolved), plan.append);
  return {};
}

std::size_t erase(Value& doc, const Path& p, EditResult* result) {
  if (p.is_root()) return 0;
  const std::size_t parent_len = p.segments.size() - 1;
  Path resolved;
  resolved.segments.reserve(p.segments.size());
  Value* parent = const_cast<Value*>(descend(doc, p, parent_len, &resolved));
  if (!parent) return 0;
  const PathSegment& last = p.segments.back();
  if (last.kind == Kind::Field) {
    Object* obj = parent->is_object() ? &parent->as_object() : nullptr;
    if (!obj) return 0;
    auto it = obj->find(last.field);
    if (it == obj->end()) return 0;
    obj->erase(it);
    resolved.segments.push_back(last);
    report(result, std::move(resolved), false);
    return 1;
  }
  Array* arr = parent->is_array() ? &parent->as_array() : nullptr;
  if (!arr) return 0;
  const auto index = resolve_index(last.index, arr->size());
  if (!index || *index >= arr->size()) return 0;
  arr->erase(arr->begin() + static_cast<std::ptrdiff_t>(*index));
  resolved.segments.push_back(index_segment(*index));
  report(result, std::move(resolved), true);
  return 1;
}

}  // namespace strata::json
