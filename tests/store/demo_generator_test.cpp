#include "store/demo/demo_generator.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace pms;
using namespace pms::store::demo;

namespace {

std::map<std::string, std::vector<json::value>> generate_all(const DemoOptions& o) {
  std::map<std::string, std::vector<json::value>> out;
  generate(o, [&](std::string_view c, json::value&& d) { out[std::string(c)].push_back(std::move(d)); });
  return out;
}

DemoOptions fixed() {
  DemoOptions o;
  o.reference_date = "2025-11-20";
  return o;
}

TEST(DemoGenerator, IsDeterministic) {
  EXPECT_EQ(generate_all(fixed()), generate_all(fixed()));
  auto other = fixed();
  other.seed = 7;
  EXPECT_NE(generate_all(fixed()).at("workItem"), generate_all(other).at("workItem"));
}

TEST(DemoGenerator, ShapesLikeThePmsSchema) {
  auto db = generate_all(fixed());
  for (auto& name : demo_collections()) EXPECT_FALSE(db[name].empty()) << name;
  ASSERT_EQ(db["workItem"].size(), 300u);
  std::set<std::string> businesses, states, priorities;
  for (auto& w : db["workItem"]) {
    auto& o = w.as_object();
    for (auto key : {"_id", "displayBugNo", "title", "priority", "state", "project", "business", "assignee", "createdTimeStamp"})
      EXPECT_TRUE(o.contains(key)) << key;
    businesses.insert(std::string(o.at("business").at("name").as_string()));
    states.insert(std::string(o.at("state").at("name").as_string()));
    priorities.insert(std::string(o.at("priority").as_string()));
    EXPECT_LE(o.at("createdTimeStamp").as_string(), "2025-11-21");
  }
  EXPECT_EQ(businesses.size(), 2u);
  EXPECT_TRUE(states.contains("In Progress") && states.contains("Done") && states.contains("Backlog"));
  EXPECT_EQ(priorities, (std::set<std::string>{"HIGH", "LOW", "MEDIUM", "NONE", "URGENT"}));
  int active = 0;
  for (auto& c : db["cycle"]) active += c.at("status") == "ACTIVE";
  EXPECT_EQ(active, 6);  // one per project
}

TEST(DemoGenerator, DistributionsAreSkewed) {
  auto db = generate_all(fixed());
  std::map<std::string, int> by_priority;
  for (auto& w : db["workItem"]) ++by_priority[std::string(w.at("priority").as_string())];
  EXPECT_GT(by_priority["MEDIUM"], by_priority["URGENT"] * 2);
}

TEST(DemoGenerator, RejectsImpossibleOptions) {
  auto o = fixed();
  o.businesses = 0;
  EXPECT_THROW(generate(o, [](auto, auto&&) {}), std::invalid_argument);
  o = fixed();
  o.reference_date = "yesterday";
  EXPECT_THROW(generate(o, [](auto, auto&&) {}), std::invalid_argument);
}

}  // namespace
