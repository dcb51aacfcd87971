#pragma once
// Helpers shared by the fuzz targets: a fuzz input is a payload plus a byte that decides how the
// payload is cut into chunks, so every target can check that chunk boundaries change nothing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string_view>
#include <vector>

namespace pms::fuzz {

struct Input {
  std::uint8_t selector = 0;  // the first byte: picks the chunking (and a mode, where a target has several)
  std::string_view payload;   // the rest
};

inline Input split_input(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  return {data[0], std::string_view(reinterpret_cast<const char*>(data + 1), size - 1)};
}

// Cuts `payload` into pieces of 1..13 bytes, their sizes varying with `selector`.
inline std::vector<std::string_view> chunks(std::string_view payload, std::uint8_t selector) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0, k = selector; i < payload.size(); ++k) {
    std::size_t n = 1 + (k * 7 + selector) % 13;
    out.push_back(payload.substr(i, n));
    i += n;
  }
  return out;
}

// A broken invariant is a crash, so libFuzzer keeps the input that shows it.
#define PMS_FUZZ_CHECK(cond)                                                      \
  do {                                                                            \
    if (!(cond)) {                                                                \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                               \
    }                                                                             \
  } while (0)

}  // namespace pms::fuzz
