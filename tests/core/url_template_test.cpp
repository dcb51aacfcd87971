#include "core/config.hpp"
#include "core/url_template.hpp"

#include <gtest/gtest.h>

using namespace pms;

TEST(UrlTemplate, ExpandsTheSchemaFieldsEncodedAsPathSegments) {
  const std::string t = "https://pms.example.com/{projectDisplayId}/items/{displayBugNo}?id={id}";
  ASSERT_EQ(item_url_template_error(t), "");
  auto url = expand_url_template(t, {{"projectDisplayId", "FLEET"}, {"displayBugNo", "FLEET-214"}, {"id", "6f1c-42"}});
  EXPECT_EQ(url, "https://pms.example.com/FLEET/items/FLEET-214?id=6f1c-42");
  // Data cannot leave its segment: '/', '?', '#' and spaces are encoded.
  EXPECT_EQ(expand_url_template(t, {{"projectDisplayId", "a/b?c#d e"}, {"displayBugNo", "X-1"}, {"id", "1"}}),
            "https://pms.example.com/a%2Fb%3Fc%23d%20e/items/X-1?id=1");
}

TEST(UrlTemplate, AnItemsLinkFillsEachPlaceholderWithItsField) {
  auto url = item_url("https://pms.example.com/{projectDisplayId}/{displayBugNo}?i={id}&p={projectId}", {"FLEET-214", "6f1c", "p-9", "FLEET"});
  EXPECT_EQ(url, "https://pms.example.com/FLEET/FLEET-214?i=6f1c&p=p-9");
  EXPECT_EQ(item_url("https://pms.example.com/{projectDisplayId}/{displayBugNo}", {"FLEET-214", "6f1c", "p-9", ""}), std::nullopt);
}

TEST(UrlTemplate, NoLinkWhenAValueIsMissing) {
  const std::string t = "https://pms.example.com/{projectDisplayId}/{displayBugNo}";
  EXPECT_EQ(expand_url_template(t, {{"displayBugNo", "PRO-1-5"}}), std::nullopt);
  EXPECT_EQ(expand_url_template(t, {{"displayBugNo", "PRO-1-5"}, {"projectDisplayId", ""}}), std::nullopt);
}

TEST(UrlTemplate, ErrorsSayWhatIsWrong) {
  EXPECT_NE(item_url_template_error("https://x/{bugNo}").find("unknown placeholder {bugNo}; use {displayBugNo}"), std::string::npos);
  EXPECT_NE(item_url_template_error("https://x/{id").find("without its '}'"), std::string::npos);
  EXPECT_NE(item_url_template_error("https://x/id}").find("without its '{'"), std::string::npos);
  EXPECT_NE(item_url_template_error("javascript:alert({id})").find("https://"), std::string::npos);
  EXPECT_NE(item_url_template_error("https://x/items").find("no placeholder"), std::string::npos);
}

TEST(UrlTemplate, TheServerRefusesABadTemplateAtStartup) {
  ServerConfig ok, bad;
  const char* good_args[] = {"pms-assistant", "--item-url-template", "https://pms.example.com/{projectDisplayId}/{displayBugNo}"};
  ASSERT_EQ(parse_server_args(3, good_args, ok), -1);
  EXPECT_EQ(ok.agent.item_url_template, "https://pms.example.com/{projectDisplayId}/{displayBugNo}");
  const char* bad_args[] = {"pms-assistant", "--item-url-template", "https://pms.example.com/{project}"};
  EXPECT_GT(parse_server_args(3, bad_args, bad), 0);
}
