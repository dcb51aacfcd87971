#include "client/reply_summary.hpp"

#include <gtest/gtest.h>

namespace pms::client {
namespace {

json::object complete(std::string_view extra) {
  auto v = try_parse(R"({"type":"complete","first_token_ms":310.4,"tokens":42,"tokens_per_second":18.52,"elapsed_ms":2314)" +
                     std::string(extra) + "}");
  return v->as_object();
}

TEST(ReplyFooter, SaysWhichPathAnsweredAndGivesTokenFiguresOnlyForTheModel) {
  EXPECT_EQ(reply_footer(complete(R"(,"answered_by":"model")")),
            "[model · first token 310 ms · 42 tokens · 18.5 tokens/s · 2.31 s]");
  EXPECT_EQ(reply_footer(complete(R"(,"answered_by":"model-plan")")),
            "[model plan · first token 310 ms · 42 tokens · 18.5 tokens/s · 2.31 s]");
  auto planner = complete(R"(,"answered_by":"planner")");
  planner["elapsed_ms"] = 12.4;
  EXPECT_EQ(reply_footer(planner), "[planner · 12 ms]");
  EXPECT_EQ(reply_footer(complete(R"(,"answered_by":"shell","elapsed_ms":3)")), "[shell query · 3 ms]");
}

TEST(ReplyFooter, MarksAStoppedAnswerAndCopesWithAnOlderServer) {
  auto stopped = complete(R"(,"answered_by":"model","cancelled":true)");
  stopped["first_token_ms"] = nullptr;
  EXPECT_EQ(reply_footer(stopped), "[stopped · model · 42 tokens · 18.5 tokens/s · 2.31 s]");
  // No answered_by: the model answered, and the footer does not claim a path.
  EXPECT_EQ(reply_footer(complete("")), "[first token 310 ms · 42 tokens · 18.5 tokens/s · 2.31 s]");
}

TEST(MoreRowsHint, TellsHowManyRowsAreLeftAndWhatToType) {
  EXPECT_EQ(more_rows_hint(complete(R"(,"page":{"offset":0,"shown":10,"total":30,"next":"show more"})")),
            "20 more: type 'show more' (or 'show all')");
  EXPECT_EQ(more_rows_hint(complete(R"(,"page":{"offset":10,"shown":10,"total":30,"next":"show more"})")),
            "10 more: type 'show more'");
  EXPECT_EQ(more_rows_hint(complete(R"(,"page":{"offset":0,"shown":10,"total":900,"next":"next 10"})")),
            "890 more: type 'next 10'");
}

TEST(MoreRowsHint, IsEmptyWithoutRowsLeftOrAPage) {
  EXPECT_EQ(more_rows_hint(complete(R"(,"page":{"offset":20,"shown":10,"total":30,"next":"show more"})")), "");
  EXPECT_EQ(more_rows_hint(complete("")), "");
  EXPECT_EQ(more_rows_hint(complete(R"(,"page":{"offset":0,"shown":10,"total":30})")), "");
  EXPECT_EQ(more_rows_hint(complete(R"(,"page":"show more")")), "");
}

}  // namespace
}  // namespace pms::client
