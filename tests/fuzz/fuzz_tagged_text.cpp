// The <think>/<tool_call> text parser: whatever the text and however it is cut into chunks, the
// answer, the reasoning and the tool calls come out the same as when it arrives in one piece.
#include "fuzz_support.hpp"
#include "llm/tagged_text_parser.hpp"

#include <string>
#include <vector>

namespace {
struct Output {
  std::string text, thinking;
  std::vector<std::string> tool_calls;
  bool operator==(const Output&) const = default;
};

Output parse(const std::vector<std::string_view>& pieces) {
  Output out;
  pms::llm::TaggedTextParser parser({[&](std::string_view t) { out.text.append(t); },
                                     [&](std::string_view t) { out.thinking.append(t); },
                                     [&](std::string_view t) { out.tool_calls.emplace_back(t); }});
  for (auto p : pieces) parser.feed(p);
  parser.finish();
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = pms::fuzz::split_input(data, size);
  Output whole = parse({in.payload});
  Output cut = parse(pms::fuzz::chunks(in.payload, in.selector));
  PMS_FUZZ_CHECK(whole == cut);
  // Markup never reaches the answer unless the text really contains it outside a tag.
  PMS_FUZZ_CHECK(whole.text.size() + whole.thinking.size() <= in.payload.size());
  return 0;
}
