#include "llm/ndjson_splitter.hpp"

#include <gtest/gtest.h>

#include <vector>

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
  EXPECT_THROW(s.feed(std::string(40, 'x'), [](std::string_view) {}), std::length_error);
}

}  // namespace
