#include "llm/sse_parser.hpp"

#include <gtest/gtest.h>

using pms::llm::SseEvent;
using pms::llm::SseParser;

namespace {

std::vector<std::string> datas(std::string_view stream, std::size_t cut) {
  SseParser p;
  std::vector<std::string> out;
  auto on = [&](const SseEvent& e) { out.push_back(e.event + "|" + e.data); };
  p.feed(stream.substr(0, cut), on);
  p.feed(stream.substr(cut), on);
  return out;
}

TEST(SseParser, SameEventsWhereverTheStreamIsCut) {
  // CRLF, LF and CR line ends, a comment, a multi-line data field, a named event and [DONE].
  const std::string stream =
      ": keep-alive\r\n\r\n"
      "data: {\"x\":1}\r\n\r\n"
      "data:{\"y\":2}\n\n"
      "event: error\rdata: line1\rdata: line2\r\r"
      "data: [DONE]\n\n";
  const std::vector<std::string> expected = {"message|{\"x\":1}", "message|{\"y\":2}", "error|line1\nline2", "message|[DONE]"};
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) EXPECT_EQ(datas(stream, cut), expected) << "cut at " << cut;
}

TEST(SseParser, EventWithoutDataIsNotDispatched) {
  SseParser p;
  int n = 0;
  p.feed("event: ping\n\nid: 3\n\n", [&](const SseEvent&) { ++n; });
  EXPECT_EQ(n, 0);
}

}  // namespace
