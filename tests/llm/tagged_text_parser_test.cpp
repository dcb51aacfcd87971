#include "llm/tagged_text_parser.hpp"

#include <gtest/gtest.h>

using pms::llm::TaggedTextParser;

namespace {

struct Parsed {
  std::string text, thinking;
  std::vector<std::string> calls;
  bool operator==(const Parsed&) const = default;
};

Parsed parse_chunks(const std::vector<std::string>& chunks) {
  Parsed p;
  TaggedTextParser parser({[&](std::string_view t) { p.text += t; }, [&](std::string_view t) { p.thinking += t; },
                           [&](std::string_view t) { p.calls.emplace_back(t); }});
  for (auto& c : chunks) parser.feed(c);
  parser.finish();
  return p;
}

Parsed parse_cut(std::string_view s, std::size_t a, std::size_t b) {
  return parse_chunks({std::string(s.substr(0, a)), std::string(s.substr(a, b - a)), std::string(s.substr(b))});
}

TEST(TaggedTextParser, SeparatesThinkingToolCallsAndTextAtEverySplit) {
  const std::string s =
      "<think>Count the open bugs.</think>\n\n<tool_call>{\"name\": \"count_documents\", \"arguments\": {\"collection\": \"workItem\"}}</tool_call>"
      "There are <b>12</b> open items.";
  const Parsed expected{"There are <b>12</b> open items.", "Count the open bugs.",
                        {"{\"name\": \"count_documents\", \"arguments\": {\"collection\": \"workItem\"}}"}};
  for (std::size_t a = 0; a <= s.size(); ++a) {
    for (std::size_t b = a; b <= s.size(); b += 7) {
      ASSERT_EQ(parse_cut(s, a, b), expected) << "cuts at " << a << " and " << b;
    }
  }
}

TEST(TaggedTextParser, ByteByByte) {
  const std::string s = "a<thi<think>x</thin</think>b</tool_callx>";
  std::vector<std::string> bytes;
  for (char c : s) bytes.emplace_back(1, c);
  Parsed p = parse_chunks(bytes);
  EXPECT_EQ(p.text, "a<thib</tool_callx>");
  EXPECT_EQ(p.thinking, "x</thin");
}

TEST(TaggedTextParser, UnclosedTagsAreFlushedAtTheEnd) {
  EXPECT_EQ(parse_chunks({"<think>still thinking"}).thinking, "still thinking");
  EXPECT_EQ(parse_chunks({"<tool_call>{\"name\":"}).calls, std::vector<std::string>{"{\"name\":"});
  EXPECT_EQ(parse_chunks({"ends with <thi"}).text, "ends with <thi");
}

}  // namespace
