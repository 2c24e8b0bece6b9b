#include "vector/layout.hpp"

#include "unicode/utf8.hpp"

#include <bit>
#include <cmath>
#include <cstring>

namespace strata::vector {

namespace {

error_code fail(errc e, std::string* detail, std::string why) {
  if (detail) *detail = std::move(why);
  return make_error_code(e);
}

void put_be64(std::string& out, std::uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<char>(v >> s));
}

std::uint64_t get_be64(std::string_view in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(in[static_cast<std::size_t>(i)]);
  return v;
}

constexpr std::size_t kIdBytes = 8;
static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big);

}  // namespace

error_code check_collection_name(std::string_view name, std::string* detail) {
  const std::string q = utf8::quote(name);
  if (name.empty()) return fail(errc::invalid_collection_name, detail, "collection name must not be empty");
  if (name.size() > kMaxCollectionNameBytes)
    return fail(errc::invalid_collection_name, detail,
                "collection name " + q + " is " + std::to_string(name.size()) + " bytes; the limit is 256");
  if (!utf8::is_valid(name)) return fail(errc::invalid_collection_name, detail, "collection name " + q + " is not valid UTF-8");
  if (name.find('\0') != std::string_view::npos)
    return fail(errc::invalid_collection_name, detail, "collection name " + q + " contains a NUL byte");
  if (name.find('/') != std::string_view::npos)
    return fail(errc::invalid_collection_name, detail, "collection name " + q + " contains '/'");
  if (name.front() == '_')
    return fail(errc::invalid_collection_name, detail, "collection name " + q + " starts with '_' (reserved)");
  return {};
}

error_code check_dimension(std::size_t dimension, std::string* detail) {
  if (dimension >= 1 && dimension <= kMaxVectorDimension) return {};
  return fail(errc::invalid_dimension, detail,
              "dimension " + std::to_string(dimension) + " is outside 1-" + std::to_string(kMaxVectorDimension));
}

error_code check_vector(std::span<const float> v, std::size_t dimension, std::string_view collection,
                        std::string* detail) {
  if (dimension != 0 && v.size() != dimension)
    return fail(errc::dimension_mismatch, detail,
                "collection " + utf8::quote(collection) + " has dimension " + std::to_string(dimension) +
                    "; the vector has " + std::to_string(v.size()) + " components");
  if (v.empty()) return fail(errc::invalid_dimension, detail, "a vector needs at least one component");
  if (v.size() > kMaxVectorDimension) return check_dimension(v.size(), detail);
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]))
      return fail(errc::invalid_vector, detail,
                  "component " + std::to_string(i) + " is " + (std::isnan(v[i]) ? "NaN" : "infinite"));
  return {};
}

error_code check_k(std::size_t k, std::string* detail) {
  if (k >= 1 && k <= kMaxSearchK) return {};
  return fail(errc::invalid_k, detail, "k = " + std::to_string(k) + " is outside 1-" + std::to_string(kMaxSearchK));
}

error_code check_options(const CollectionOptions& o, std::string* detail) {
  if (o.m < 2 || o.m > 128) return fail(errc::invalid_input, detail, "m = " + std::to_string(o.m) + " is outside 2-128");
  if (o.ef_construction < 1 || o.ef_construction > kMaxSearchK)
    return fail(errc::invalid_input, detail, "ef_construction = " + std::to_string(o.ef_construction) + " is outside 1-10000");
  if (o.ef_search < 1 || o.ef_search > kMaxSearchK)
    return fail(errc::invalid_input, detail, "ef_search = " + std::to_string(o.ef_search) + " is outside 1-10000");
  return {};
}

std::string collection_key(keys::RunId run, std::string_view name) {
  return keys::storage_key(run, keys::Primitive::VectorCollection, name);
}

std::string collections_prefix(keys::RunId run) { return keys::storage_key(run, keys::Primitive::VectorCollection, {}); }

std::string vector_key(keys::RunId run, CollectionId id, std::string_view key) {
  std::string out = vectors_prefix(run, id);
  out.append(key);
  return out;
}

std::string vectors_prefix(keys::RunId run, CollectionId id) {
  std::string out = keys::storage_key(run, keys::Primitive::Vector, {});
  put_be64(out, id);
  return out;
}

CollectionId id_of(std::string_view storage_key) { return get_be64(storage_key.substr(keys::kStorageKeyHeader, kIdBytes)); }
std::string_view user_key_of(std::string_view storage_key) {
  return storage_key.substr(keys::kStorageKeyHeader + kIdBytes);
}

Value encode_record(const CollectionRecord& r) {
  return Value::object({{"id", static_cast<std::int64_t>(r.id)},
                        {"dimension", static_cast<std::int64_t>(r.dimension)},
                        {"metric", std::string(metric_name(r.metric))},
                        {"hnsw_threshold", static_cast<std::int64_t>(r.options.hnsw_threshold)},
                        {"m", static_cast<std::int64_t>(r.options.m)},
                        {"ef_construction", static_cast<std::int64_t>(r.options.ef_construction)},
                        {"ef_search", static_cast<std::int64_t>(r.options.ef_search)}});
}

bool decode_record(const Value& stored, CollectionRecord& out) {
  const Object* o = stored.if_object();
  if (!o) return false;
  auto num = [&](const char* name, std::size_t& v) {
    auto it = o->find(name);
    if (it == o->end() || !it->second.is_int() || it->second.as_int() < 0) return false;
    v = static_cast<std::size_t>(it->second.as_int());
    return true;
  };
  std::size_t id = 0;
  auto metric = o->find("metric");
  if (metric == o->end() || !metric->second.is_string()) return false;
  auto m = parse_metric(metric->second.as_string());
  if (!m || !num("id", id) || !num("dimension", out.dimension) || !num("hnsw_threshold", out.options.hnsw_threshold) ||
      !num("m", out.options.m) || !num("ef_construction", out.options.ef_construction) ||
      !num("ef_search", out.options.ef_search))
    return false;
  out.id = id;
  out.metric = *m;
  return true;
}

Value encode_entry(std::span<const float> v, const std::optional<Value>& metadata) {
  Bytes bytes(v.size() * sizeof(float));
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(bytes.data(), v.data(), bytes.size());
  } else {
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto u = std::bit_cast<std::uint32_t>(v[i]);
      for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<std::uint8_t>(u >> (8 * b));
    }
  }
  return Value(Array{Value(std::move(bytes)), metadata ? *metadata : Value()});
}

bool decode_floats_into(const Value& stored, float* out, std::size_t dimension) {
  const Array* a = stored.if_array();
  if (!a || a->size() != 2 || !(*a)[0].is_bytes()) return false;
  const Bytes& b = (*a)[0].as_bytes();
  if (b.size() != dimension * sizeof(float)) return false;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, b.data(), b.size());
  } else {
    for (std::size_t i = 0; i < dimension; ++i) {
      std::uint32_t u = 0;
      for (int k = 0; k < 4; ++k) u |= static_cast<std::uint32_t>(b[i * 4 + k]) << (8 * k);
      out[i] = std::bit_cast<float>(u);
    }
  }
  return true;
}

std::vector<float> decode_floats(const Value& stored) {
  const Array* a = stored.if_array();
  if (!a || a->size() != 2 || !(*a)[0].is_bytes() || (*a)[0].as_bytes().size() % sizeof(float) != 0) return {};
  std::vector<float> out((*a)[0].as_bytes().size() / sizeof(float));
  decode_floats_into(stored, out.data(), out.size());
  return out;
}

const Value* metadata_of(const Value& stored) {
  const Array* a = stored.if_array();
  if (!a || a->size() != 2 || (*a)[1].is_null()) return nullptr;
  return &(*a)[1];
}

}  // namespace strata::vector
