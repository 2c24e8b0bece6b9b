// SHA-256 (src/crypto/sha256): the NIST FIPS 180-4 example vectors, the
// padding edge lengths around one block, and incremental updates split at
// every offset — the event log's hash chain depends on all three.
#define BOOST_TEST_MODULE crypto_sha256
#include <boost/test/unit_test.hpp>

#include "crypto/sha256.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace {

using strata::crypto::Sha256;
using strata::crypto::sha256;
using strata::crypto::to_hex;

std::string hex_of(std::string_view s) { return to_hex(sha256(s)); }

/// 200 bytes covering every byte value class, so a byte-order or sign bug
/// cannot hide behind ASCII-only input.
std::string mixed_input() {
  std::string s;
  for (int i = 0; i < 200; ++i) s += static_cast<char>((i * 37 + 11) & 0xFF);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(nist_empty) {
  BOOST_TEST(hex_of("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(nist_abc) {
  BOOST_TEST(hex_of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(nist_448_bits) {
  BOOST_TEST(hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

BOOST_AUTO_TEST_CASE(nist_896_bits) {
  BOOST_TEST(hex_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
                    "lmnopqrsmnopqrstnopqrstu") ==
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

BOOST_AUTO_TEST_CASE(nist_one_million_a) {
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  BOOST_TEST(hex_of(std::string(1'000'000, 'a')) == expected);
  // The same message fed in odd-sized chunks crosses block boundaries at
  // every possible phase.
  Sha256 h;
  const std::string chunk(997, 'a');
  std::size_t left = 1'000'000;
  while (left > 0) {
    const std::size_t n = std::min(left, chunk.size());
    h.update(chunk.data(), n);
    left -= n;
  }
  BOOST_TEST(to_hex(h.finish()) == expected);
}

// 55 bytes is the longest message whose padding fits in one block; 56..63
// need a second block; 64 fills a block exactly. Expected values computed
// independently (Python hashlib) over 'x' * n.
BOOST_AUTO_TEST_CASE(padding_edge_lengths) {
  const std::vector<std::pair<std::size_t, std::string>> cases = {
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
      {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
      {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
      {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
      {128, "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464"},
  };
  for (const auto& [n, expected] : cases) {
    BOOST_TEST_CONTEXT("length " << n) { BOOST_TEST(hex_of(std::string(n, 'x')) == expected); }
  }
}

BOOST_AUTO_TEST_CASE(incremental_split_at_every_offset_equals_one_shot) {
  const std::string input = mixed_input();
  const auto expected = sha256(input);
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    Sha256 h;
    h.update(std::string_view(input).substr(0, cut));
    h.update(std::string_view(input).substr(cut));
    BOOST_TEST_CONTEXT("cut at " << cut) { BOOST_TEST((h.finish() == expected)); }
  }
}

BOOST_AUTO_TEST_CASE(byte_at_a_time_and_empty_updates) {
  const std::string input = mixed_input();
  Sha256 h;
  for (char c : input) {
    h.update(&c, 1);
    h.update(nullptr, 0);  // an empty update is a no-op, even with a null pointer
  }
  BOOST_TEST((h.finish() == sha256(input)));
}

BOOST_AUTO_TEST_CASE(to_hex_is_lowercase_64_chars) {
  strata::crypto::Digest d{};
  d[0] = 0xAB;
  d[31] = 0x0F;
  const std::string hex = to_hex(d);
  BOOST_TEST(hex.size() == 64u);
  BOOST_TEST(hex.substr(0, 2) == "ab");
  BOOST_TEST(hex.substr(62) == "0f");
  BOOST_TEST(hex.substr(2, 60) == std::string(60, '0'));
}

BOOST_AUTO_TEST_CASE(different_inputs_give_different_digests) {
  BOOST_TEST((sha256("a") != sha256("b")));
  BOOST_TEST((sha256(std::string("\0", 1)) != sha256("")));
}
