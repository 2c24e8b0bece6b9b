#include "vector/filter.hpp"

#include "unicode/utf8.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace strata::vector {

struct Filter::Node {
  enum class Kind : std::uint8_t { And, Or, Not, Eq, Ne, Gt, Gte, Lt, Lte, In, Contains };
  Kind kind = Kind::And;
  std::string field;                           // comparisons
  Value operand;                               // comparisons
  std::vector<std::shared_ptr<const Node>> children;  // And, Or, Not
};

namespace {

using Node = Filter::Node;
using Kind = Node::Kind;
using NodePtr = std::shared_ptr<const Node>;

class Compiler {
 public:
  explicit Compiler(std::string* detail) : detail_(detail) {}

  error_code fail(std::string why) {
    if (detail_) *detail_ = "filter: " + std::move(why);
    return make_error_code(errc::invalid_filter);
  }

  /// An Object of conditions, all required.
  error_code conjunction(const Value& spec, std::size_t depth, NodePtr& out) {
    if (depth > kMaxFilterDepth) return fail("nests deeper than " + std::to_string(kMaxFilterDepth) + " levels");
    const Object* o = spec.if_object();
    if (!o) return fail("a filter must be an Object, not " + std::string(kind_name(spec.kind())));
    auto node = std::make_shared<Node>();
    node->kind = Kind::And;
    for (const auto& [key, value] : *o) {
      NodePtr child;
      if (auto ec = member(key, value, depth, child)) return ec;
      node->children.push_back(std::move(child));
    }
    out = std::move(node);
    return {};
  }

 private:
  error_code member(const std::string& key, const Value& value, std::size_t depth, NodePtr& out) {
    if (key == "$and" || key == "$or") return logical(key == "$and" ? Kind::And : Kind::Or, key, value, depth, out);
    if (key == "$not") {
      auto node = std::make_shared<Node>();
      node->kind = Kind::Not;
      NodePtr child;
      if (auto ec = conjunction(value, depth + 1, child)) return ec;
      node->children.push_back(std::move(child));
      out = std::move(node);
      return {};
    }
    if (key.starts_with('$')) return fail("unknown operator " + utf8::quote(key) + " at the top of a condition");
    if (key.empty()) return fail("a field name must not be empty");
    const Object* ops = value.if_object();
    const bool operators = ops && !ops->empty() && std::all_of(ops->begin(), ops->end(), [](const auto& m) {
      return m.first.starts_with('$');
    });
    if (!operators) {
      if (ops && std::any_of(ops->begin(), ops->end(), [](const auto& m) { return m.first.starts_with('$'); }))
        return fail("field " + utf8::quote(key) + " mixes operators and plain members");
      return comparison(Kind::Eq, key, value, out);
    }
    auto node = std::make_shared<Node>();
    node->kind = Kind::And;
    for (const auto& [op, operand] : *ops) {
      NodePtr child;
      if (auto ec = comparison(kind_of(op), key, operand, child, op)) return ec;
      node->children.push_back(std::move(child));
    }
    out = std::move(node);
    return {};
  }

  error_code logical(Kind kind, const std::string& key, const Value& value, std::size_t depth, NodePtr& out) {
    const Array* parts = value.if_array();
    if (!parts || parts->empty()) return fail(key + " takes a non-empty Array of filters");
    auto node = std::make_shared<Node>();
    node->kind = kind;
    for (const Value& part : *parts) {
      NodePtr child;
      if (auto ec = conjunction(part, depth + 1, child)) return ec;
      node->children.push_back(std::move(child));
    }
    out = std::move(node);
    return {};
  }

  static Kind kind_of(const std::string& op) {
    if (op == "$eq") return Kind::Eq;
    if (op == "$ne") return Kind::Ne;
    if (op == "$gt") return Kind::Gt;
    if (op == "$gte") return Kind::Gte;
    if (op == "$lt") return Kind::Lt;
    if (op == "$lte") return Kind::Lte;
    if (op == "$in") return Kind::In;
    if (op == "$contains") return Kind::Contains;
    return Kind::And;  // not a comparison: refused by comparison()
  }

  error_code comparison(Kind kind, const std::string& field, const Value& operand, NodePtr& out,
                        const std::string& op = "$eq") {
    if (kind == Kind::And) return fail("unknown operator " + utf8::quote(op) + " for field " + utf8::quote(field));
    if (++conditions_ > kMaxFilterConditions)
      return fail("has more than " + std::to_string(kMaxFilterConditions) + " conditions");
    const bool ordering = kind == Kind::Gt || kind == Kind::Gte || kind == Kind::Lt || kind == Kind::Lte;
    if (ordering && !operand.is_int() && !operand.is_float() && !operand.is_string())
      return fail(op + " of field " + utf8::quote(field) + " needs a number or a String, not " +
                  std::string(kind_name(operand.kind())));
    if (kind == Kind::In && !operand.is_array()) return fail("$in of field " + utf8::quote(field) + " needs an Array");
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->field = field;
    node->operand = operand;
    out = std::move(node);
    return {};
  }

  std::string* detail_;
  std::size_t conditions_ = 0;
};

/// -1, 0, 1 for comparable values (numbers with numbers, Strings with
/// Strings); nullopt otherwise.
std::optional<int> order(const Value& a, const Value& b) {
  auto number = [](const Value& v, double& d) {
    if (v.is_int()) return d = static_cast<double>(v.as_int()), true;
    if (v.is_float()) return d = v.as_float(), true;
    return false;
  };
  if (a.is_int() && b.is_int()) return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
  double x = 0, y = 0;
  if (number(a, x) && number(b, y)) return x < y ? -1 : x > y ? 1 : 0;
  if (a.is_string() && b.is_string()) {
    const int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return std::nullopt;
}

bool contains(const Value& field, const Value& operand) {
  if (const Array* a = field.if_array()) return std::find(a->begin(), a->end(), operand) != a->end();
  if (field.is_string() && operand.is_string()) return field.as_string().find(operand.as_string()) != std::string::npos;
  return false;
}

bool eval(const Node& n, const Object* meta) {
  switch (n.kind) {
    case Kind::And:
      return std::all_of(n.children.begin(), n.children.end(), [&](const NodePtr& c) { return eval(*c, meta); });
    case Kind::Or:
      return std::any_of(n.children.begin(), n.children.end(), [&](const NodePtr& c) { return eval(*c, meta); });
    case Kind::Not: return !eval(*n.children.front(), meta);
    default: break;
  }
  const Value* field = nullptr;
  if (meta)
    if (auto it = meta->find(n.field); it != meta->end()) field = &it->second;
  if (!field) return n.kind == Kind::Ne;
  switch (n.kind) {
    case Kind::Eq: return *field == n.operand;
    case Kind::Ne: return !(*field == n.operand);
    case Kind::In: {
      const Array& options = n.operand.as_array();
      return std::find(options.begin(), options.end(), *field) != options.end();
    }
    case Kind::Contains: return contains(*field, n.operand);
    default: break;
  }
  const auto o = order(*field, n.operand);
  if (!o) return false;
  switch (n.kind) {
    case Kind::Gt: return *o > 0;
    case Kind::Gte: return *o >= 0;
    case Kind::Lt: return *o < 0;
    case Kind::Lte: return *o <= 0;
    default: return false;
  }
}

}  // namespace

error_code Filter::compile(const Value& spec, Filter& out, std::string* detail) {
  NodePtr root;
  if (auto ec = Compiler(detail).conjunction(spec, 1, root)) return ec;
  out.root_ = root->children.empty() ? nullptr : std::move(root);
  return {};
}

std::vector<Filter::EqualityTerms> Filter::equality_terms() const {
  std::vector<EqualityTerms> out;
  if (!root_) return out;
  auto add = [&](const Node& n) {
    if (n.kind == Kind::Eq) out.push_back({n.field, {n.operand}});
    if (n.kind == Kind::In) out.push_back({n.field, n.operand.as_array()});
  };
  // The root is an And; {"f": {"$eq": v, ...}} and {"$and": [...]} nest
  // more Ands, all required.
  std::vector<const Node*> ands{root_.get()};
  while (!ands.empty()) {
    const Node* n = ands.back();
    ands.pop_back();
    for (const auto& c : n->children) {
      if (c->kind == Kind::And) ands.push_back(c.get());
      add(*c);
    }
  }
  return out;
}

bool Filter::matches(const Value* metadata) const {
  if (!root_) return true;
  return eval(*root_, metadata ? metadata->if_object() : nullptr);
}

}  // namespace strata::vector
