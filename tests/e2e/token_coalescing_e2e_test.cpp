// Tokens that wait for a busy writer leave as one `token` frame (issue 17): what the client reads
// is still the answer's text in order, and no event of another type is joined to a token.
#include "e2e/e2e_fixture.hpp"

namespace pms::testing {
namespace {

class TokenCoalescingE2e : public E2eTest {};

// Adjacent events of one type joined: what the stream means, however the server framed it.
std::vector<std::pair<std::string, std::string>> segments(const Events& events) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& e : events) {
    auto type = type_of(e);
    if (type != "token" && type != "thinking") {
      out.emplace_back(type, "");
      continue;
    }
    std::string content(string_member(e, "content").value_or(""));
    if (!out.empty() && out.back().first == type) out.back().second += content;
    else out.emplace_back(type, content);
  }
  return out;
}

TEST_F(TokenCoalescingE2e, ABurstOfTokensArrivesWholeInOrderAndNeverJoinsThinking) {
  // 600 tokens as fast as the LLM can write them, with reasoning between every 150: bursts that
  // reach the session faster than one write per token, and type changes inside them.
  std::vector<std::string> tokens;
  std::vector<std::pair<std::string, std::string>> expected;
  std::string text;
  for (int i = 0; i < 600; ++i) {
    if (i % 150 == 0 && i > 0) {
      std::string thought = "thought " + std::to_string(i / 150);
      tokens.insert(tokens.end(), {"<think>", thought, "</think>"});
      expected.emplace_back("thinking", thought);
    }
    std::string t = "t" + std::to_string(i) + " ";
    tokens.push_back(t);
    text += t;
    if (expected.empty() || expected.back().first != "token") expected.emplace_back("token", "");
    expected.back().second += t;
  }
  llm_->push(answer(tokens));
  start_server();
  auto c = connect();
  c->send(message("stream a long answer"));
  auto ev = until_done(*c);
  ASSERT_FALSE(ev.empty());
  ASSERT_EQ(type_of(ev.back()), "complete");
  EXPECT_EQ(string_member(ev.back(), "response").value_or(""), text);

  auto got = segments(ev);
  // user_message, llm_start first; llm_end, complete last; in between exactly the script.
  ASSERT_GE(got.size(), expected.size() + 4);
  EXPECT_EQ(got.front().first, "user_message");
  EXPECT_EQ(got[1].first, "llm_start");
  std::vector<std::pair<std::string, std::string>> middle(got.begin() + 2, got.end() - 2);
  EXPECT_EQ(middle, expected);
  EXPECT_EQ(got[got.size() - 2].first, "llm_end");

  std::size_t token_frames = 0;
  for (auto& e : ev) {
    if (type_of(e) != "token") continue;
    ++token_frames;
    // A joined frame holds whole tokens only: it never carries reasoning or part of a token.
    std::string_view content = string_member(e, "content").value_or("");
    EXPECT_EQ(content.find("thought"), std::string_view::npos) << content;
    EXPECT_TRUE(content.starts_with("t") && content.ends_with(" ")) << content;
  }
  std::cout << "600 tokens arrived in " << token_frames << " token frames\n";
}

}  // namespace
}  // namespace pms::testing
