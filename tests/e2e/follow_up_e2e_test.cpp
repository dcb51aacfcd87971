// Conversations with the planner over /ws/chat (--llm none) on another company's export (the
// Kestrel evaluation data, skipped where it is absent): a count refined and regrouped, a list
// paged to its end, a follow-up after a restart, and one without anything to build on. Expected
// numbers and rows come from direct queries on the database, written in the schema's terms
// (project ids, state groups), never from the planner.
#include "e2e/e2e_fixture.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <cstdio>

using namespace pms;
using namespace pms::testing;

namespace {

class FollowUpE2e : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    if (!std::filesystem::is_directory(PMS_KESTREL_EXPORT)) GTEST_SKIP() << "no evaluation export at " << PMS_KESTREL_EXPORT;
    std::string cmd = std::string(PMS_DATA_BINARY) + " --db '" + db_path() + "' import '" + PMS_KESTREL_EXPORT + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    db_ = std::make_unique<store::sqlite::SqliteDocumentStore>(db_path(), "ProjectManagement");
    // The project with the most work items, and the next one.
    auto rows = db_->aggregate("workItem", json::parse(R"([{"$group": {"_id": "$project._id", "n": {"$sum": 1}}}, {"$sort": {"n": -1, "_id": 1}}, {"$limit": 2}])"));
    ASSERT_EQ(rows.size(), 2u);
    for (auto& r : rows) {
      std::string id(r.at("_id").as_string());
      auto p = db_->find({"project", json::object{{"_id", id}}, json::object{{"name", 1}}, {}, 0, 1});
      ASSERT_EQ(p.size(), 1u);
      projects_.push_back({id, std::string(p[0].at("name").as_string())});
    }
    start_server({"--llm", "none"});
  }

  // Not in the Completed or Cancelled state group: "open", in the schema's terms.
  static json::object open_in(const std::string& project_id) {
    return json::object{{"project._id", project_id}, {"stateMaster.name", json::object{{"$nin", json::array{"Completed", "Cancelled"}}}}};
  }
  std::string bold(std::int64_t n) { return "**" + std::to_string(n) + "**"; }
  static std::vector<std::string> numbers_in(const std::string& answer) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while ((at = answer.find("\n| ", at)) != std::string::npos) {
      at += 3;
      auto end = answer.find(" |", at);
      std::string cell = answer.substr(at, end - at);
      if (cell != "Number" && cell.find("---") == std::string::npos) out.push_back(cell);
    }
    return out;
  }
  json::object turn(client::ChatClient& c, std::string_view text, std::string_view conversation = {}) {
    c.send(message(text, conversation));
    last_ = until_done(c);
    EXPECT_FALSE(last_.empty());
    EXPECT_EQ(type_of(last_.back()), "complete") << text;
    return last_.back();
  }
  bool used_tools() const {
    auto t = types(last_);
    return std::find(t.begin(), t.end(), "tool_start") != t.end();
  }

  std::unique_ptr<store::sqlite::SqliteDocumentStore> db_;
  std::vector<std::pair<std::string, std::string>> projects_;  // id, name
  Events last_;
};

TEST_F(FollowUpE2e, ACountIsRefinedMovedAndRegrouped) {
  auto& [id, name] = projects_[0];
  auto& [other_id, other_name] = projects_[1];
  auto c = connect();
  auto first = turn(*c, "how many open work items are in " + name + "?");
  std::string conversation(first.at("conversation_id").as_string());
  auto open = open_in(id);
  EXPECT_NE(std::string(first.at("response").as_string()).find(bold(db_->count("workItem", open))), std::string::npos) << first;
  // The tool card can say which project the id in its query is.
  auto start = std::find_if(last_.begin(), last_.end(), [](auto& e) { return type_of(e) == "tool_start"; });
  ASSERT_NE(start, last_.end());
  EXPECT_EQ(start->at("names"), json::object({{id, name}})) << dump(*start);

  auto high = turn(*c, "and only the high priority ones?", conversation);
  auto high_filter = open;
  high_filter["priority"] = "HIGH";
  std::string text(high.at("response").as_string());
  EXPECT_NE(text.find(bold(db_->count("workItem", high_filter))), std::string::npos) << text;
  EXPECT_NE(text.find("Following up on"), std::string::npos) << text;
  EXPECT_EQ(high.at("answered_by"), "planner");

  auto moved = turn(*c, "what about " + other_name + "?", conversation);
  auto moved_filter = open_in(other_id);
  moved_filter["priority"] = "HIGH";
  text = std::string(moved.at("response").as_string());
  EXPECT_NE(text.find(bold(db_->count("workItem", moved_filter))), std::string::npos) << text;
  EXPECT_NE(text.find("instead of " + name), std::string::npos) << text;

  auto grouped = turn(*c, "now by assignee", conversation);
  // The group's counts are the same work items, per assignee.
  auto assignees = db_->aggregate("workItem", json::array{json::object{{"$match", moved_filter}}, json::parse(R"({"$unwind": {"path": "$assignee", "preserveNullAndEmptyArrays": true}})"),
                                                          json::parse(R"({"$group": {"_id": "$assignee.name", "n": {"$sum": 1}}})")});
  text = std::string(grouped.at("response").as_string());
  for (auto& a : assignees)
    if (auto* n = a.at("_id").if_string())
      EXPECT_NE(text.find("| " + std::string(*n) + " | " + std::to_string(a.at("n").to_number<std::int64_t>()) + " |"), std::string::npos)
          << *n << "\n" << text;
}

TEST_F(FollowUpE2e, AListIsPagedToItsEnd) {
  auto& [id, name] = projects_[0];
  auto c = connect();
  auto first = turn(*c, "list open work items in " + name);
  std::string conversation(first.at("conversation_id").as_string());
  auto total = db_->count("workItem", open_in(id));
  ASSERT_GT(total, 20);
  ASSERT_TRUE(first.contains("page")) << first;
  EXPECT_EQ(first.at("page"), json::parse(R"({"offset": 0, "shown": 10, "total": )" + std::to_string(total) + R"(, "next": "show more"})"));
  // In the order of one query for all of them, ties by _id.
  auto all = db_->find({"workItem", open_in(id), json::object{{"displayBugNo", 1}}, json::object{{"createdTimeStamp", -1}, {"_id", 1}}, 0, 1000});
  std::vector<std::string> want;
  for (auto& d : all) want.emplace_back(d.at("displayBugNo").as_string());
  auto seen = numbers_in(std::string(first.at("response").as_string()));

  auto second = turn(*c, std::string(first.at("page").at("next").as_string()), conversation);
  EXPECT_EQ(second.at("page").at("offset"), 10);
  for (auto& n : numbers_in(std::string(second.at("response").as_string()))) seen.push_back(n);
  EXPECT_EQ(seen, std::vector<std::string>(want.begin(), want.begin() + 20));

  auto everything = turn(*c, "show all", conversation);
  EXPECT_EQ(numbers_in(std::string(everything.at("response").as_string())), want);
  EXPECT_FALSE(everything.contains("page")) << "all of them are on one page";
}

TEST_F(FollowUpE2e, AFollowUpAfterARestartBuildsOnTheSavedPlan) {
  auto& [id, name] = projects_[0];
  std::string conversation;
  {
    auto c = connect();
    conversation = std::string(turn(*c, "how many open work items are in " + name + "?").at("conversation_id").as_string());
  }
  server_.reset();
  start_server({"--llm", "none"});
  auto c = connect();
  auto urgent = turn(*c, "and only the urgent ones?", conversation);
  auto filter = open_in(id);
  filter["priority"] = "URGENT";
  std::string text(urgent.at("response").as_string());
  EXPECT_NE(text.find(bold(db_->count("workItem", filter))), std::string::npos) << text;
  EXPECT_NE(text.find("Following up on"), std::string::npos) << text;
}

TEST_F(FollowUpE2e, AFollowUpWithNothingToBuildOnIsRefusedSayingWhy) {
  auto c = connect();
  for (auto text : {"now by assignee", "and only the high priority ones?", "show more"}) {
    auto done = turn(*c, text);  // each a new conversation
    std::string answer(done.at("response").as_string());
    EXPECT_NE(answer.find("follow-up"), std::string::npos) << text << ": " << answer;
    EXPECT_FALSE(used_tools()) << text << ": nothing may be answered out of context";
  }
}

}  // namespace
