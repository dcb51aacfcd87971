#include "llm/llm_error.hpp"
#include "llm/sse_parser.hpp"

#include <gtest/gtest.h>

using pms::llm::LlmErrc;
using pms::llm::LlmError;
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

// The bound is on the event, however many data lines it is spread over.
TEST(SseParser, RefusesAnEventBeyondTheLimit) {
  SseParser p(100);
  int n = 0;
  auto on = [&](const SseEvent&) { ++n; };
  p.feed("data: " + std::string(60, 'a') + "\n\n", on);
  EXPECT_EQ(n, 1);
  try {
    p.feed("data: " + std::string(60, 'a') + "\ndata: " + std::string(60, 'b') + "\n", on);
    FAIL() << "120 bytes of data passed a 100-byte limit";
  } catch (const LlmError& e) {
    EXPECT_EQ(e.code(), LlmErrc::stream_error);
    EXPECT_NE(std::string(e.what()).find("longer than 100 bytes"), std::string::npos) << e.what();
  }
  EXPECT_EQ(n, 1);
}

TEST(SseParser, DefaultLimitIsOneMebibytePerEvent) {
  SseParser p;
  std::size_t got = 0;
  auto on = [&](const SseEvent& e) { got = e.data.size(); };
  std::string fits(std::size_t{1} << 19, 'x');  // two data lines of 512 KiB, less their prefixes
  p.feed("data: " + fits.substr(16) + "\ndata: " + fits.substr(16) + "\n\n", on);
  EXPECT_EQ(got, 2 * (fits.size() - 16) + 1);
  EXPECT_THROW(p.feed("data: " + std::string(std::size_t{1} << 20, 'y'), on), LlmError);
}

}  // namespace
