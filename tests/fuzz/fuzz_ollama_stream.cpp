// Ollama's NDJSON stream through the line splitter and the line decoder into a reply: however
// the bytes are cut, the reply (or the error) is the same as when they arrive in one piece.
#include "fuzz_support.hpp"
#include "fuzz_reply.hpp"
#include "llm/llm_error.hpp"
#include "llm/ndjson_splitter.hpp"
#include "llm/ollama_wire.hpp"

namespace {
pms::fuzz::Reply decode(const std::vector<std::string_view>& pieces) {
  return pms::fuzz::collect_reply([&](pms::llm::ReplyBuilder& reply) {
    pms::llm::NdjsonSplitter splitter(1 << 16);
    bool done = false;
    auto on_line = [&](std::string_view line) {
      if (!done) done = pms::llm::apply_ollama_line(line, reply);
    };
    for (auto p : pieces) splitter.feed(p, on_line);
    splitter.finish(on_line);
  });
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = pms::fuzz::split_input(data, size);
  PMS_FUZZ_CHECK(decode({in.payload}) == decode(pms::fuzz::chunks(in.payload, in.selector)));
  return 0;
}
