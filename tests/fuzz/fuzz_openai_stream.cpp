// An OpenAI-compatible SSE stream through the SSE parser and the delta decoder (tool-call
// argument fragments included) into a reply: chunk boundaries change nothing.
#include "fuzz_support.hpp"
#include "fuzz_reply.hpp"
#include "llm/llm_error.hpp"
#include "llm/openai_wire.hpp"
#include "llm/sse_parser.hpp"

namespace {
pms::fuzz::Reply decode(const std::vector<std::string_view>& pieces) {
  return pms::fuzz::collect_reply([&](pms::llm::ReplyBuilder& reply) {
    pms::llm::SseParser parser(1 << 16);
    pms::llm::OpenAiStreamDecoder decoder(reply);
    bool done = false;
    for (auto p : pieces) {
      parser.feed(p, [&](const pms::llm::SseEvent& ev) {
        if (!done) done = decoder.apply(ev);
      });
    }
    decoder.finish();
  });
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = pms::fuzz::split_input(data, size);
  PMS_FUZZ_CHECK(decode({in.payload}) == decode(pms::fuzz::chunks(in.payload, in.selector)));
  return 0;
}
