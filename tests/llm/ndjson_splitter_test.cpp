#include "llm/llm_error.hpp"
#include "llm/ndjson_splitter.hpp"

#include <gtest/gtest.h>

#include <vector>

using pms::llm::LlmErrc;
using pms::llm::LlmError;
using pms::llm::NdjsonSplitter;

namespace {

std::vector<std::string> split_with(std::string_view stream, std::size_t cut) {
  NdjsonSplitter s;
  std::vector<std::string> lines;
  auto on_line = [&](std::string_view l) { lines.emplace_back(l); };
  s.feed(stream.substr(0, cut), on_line);
  s.feed(stream.substr(cut), on_line);
  s.finish(on_line);
  return lines;
}

TEST(NdjsonSplitter, SameLinesWhereverTheStreamIsCut) {
  const std::string stream = "{\"a\":1}\n{\"b\":\"x\\ny\"}\r\n\n  \n{\"c\":3}";
  const std::vector<std::string> expected = {"{\"a\":1}", "{\"b\":\"x\\ny\"}", "{\"c\":3}"};
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) EXPECT_EQ(split_with(stream, cut), expected) << "cut at " << cut;
}

TEST(NdjsonSplitter, ByteByByte) {
  const std::string stream = "{\"a\":1}\n{\"b\":2}\n";
  NdjsonSplitter s;
  std::vector<std::string> lines;
  for (char c : stream) s.feed(std::string_view(&c, 1), [&](std::string_view l) { lines.emplace_back(l); });
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
}

TEST(NdjsonSplitter, RefusesEndlessLines) {
  NdjsonSplitter s(16);
  try {
    s.feed(std::string(40, 'x'), [](std::string_view) {});
    FAIL() << "a 40-byte line passed a 16-byte limit";
  } catch (const LlmError& e) {
    EXPECT_EQ(e.code(), LlmErrc::stream_error);
    EXPECT_NE(std::string(e.what()).find("longer than 16 bytes"), std::string::npos) << e.what();
  }
}

// One line of the stream may be 1 MiB, arriving in any number of chunks; a byte more is refused.
TEST(NdjsonSplitter, DefaultLimitIsOneMebibytePerLine) {
  const std::size_t limit = std::size_t{1} << 20;
  NdjsonSplitter s;
  std::size_t delivered = 0;
  auto on_line = [&](std::string_view l) { delivered = l.size(); };
  std::string piece(64 * 1024, 'x');
  for (std::size_t sent = 0; sent < limit; sent += piece.size()) s.feed(piece, on_line);
  s.feed("\n", on_line);
  EXPECT_EQ(delivered, limit);
  for (std::size_t sent = 0; sent < limit; sent += piece.size()) s.feed(piece, on_line);
  EXPECT_THROW(s.feed("x", on_line), LlmError);
}

}  // namespace
