#include "understanding/text_match.hpp"

#include <gtest/gtest.h>

using namespace pms::understanding;

TEST(TextMatch, NormalizesCaseAccentsAndSeparators) {
  EXPECT_EQ(normalize_text("NOT_STARTED"), "not started");
  EXPECT_EQ(normalize_text("Müller"), "muller");
  EXPECT_EQ(normalize_text("  In-Review / QA  "), "in review qa");
  EXPECT_EQ(normalize_text("Ætna Ñoño"), "atna nono");
  EXPECT_EQ(normalize_text("Straße ×"), "strase \xC3\x97") << "a sign without a base letter is kept";
  EXPECT_EQ(normalize_text("日本"), "日本");
}

TEST(TextMatch, SplitsWordsWithOffsets) {
  auto w = split_words("Priya's MAA2-12, ok?");
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w[0].text, "priya");
  EXPECT_EQ(w[1].text, "s");
  EXPECT_EQ(w[2].original, "MAA2");
  EXPECT_EQ(w[2].offset, 8u);
  EXPECT_EQ(w[3].text, "12");
  EXPECT_EQ(w[3].offset, 13u);
}

TEST(TextMatch, EditDistanceCountsATranspositionOnce) {
  EXPECT_EQ(pms::edit_distance("urgent", "urgnet", 3), 1u);
  EXPECT_EQ(pms::edit_distance("backlog", "backlgo", 3), 1u);
  EXPECT_EQ(pms::edit_distance("kitten", "sitting", 5), 3u);
  EXPECT_EQ(pms::edit_distance("abc", "abcdefgh", 2), 3u) << "stops above the bound";
  EXPECT_EQ(pms::edit_distance("", "ab", 5), 2u);
}

TEST(TextMatch, TyposAreToleratedOnlyInLongerWords) {
  EXPECT_TRUE(fuzzy_equal("in progres", "in progress"));
  EXPECT_TRUE(fuzzy_equal("costumer portal", "customer portal"));
  EXPECT_TRUE(fuzzy_equal("urgnet", "urgent"));
  EXPECT_FALSE(fuzzy_equal("hihg", "high")) << "four letters: exact only";
  EXPECT_FALSE(fuzzy_equal("bugs", "bug"));
  EXPECT_FALSE(fuzzy_equal("rackend", "backend")) << "the first letter must match";
  EXPECT_FALSE(fuzzy_equal("in review", "in progress"));
}
