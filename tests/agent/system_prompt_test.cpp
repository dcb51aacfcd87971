#include "agent/conversation_memory.hpp"
#include "agent/system_prompt.hpp"
#include "store/demo/demo_database.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace pms;

TEST(SystemPrompt, ListsCollectionsAndStoredValuesCompactly) {
  auto path = std::filesystem::temp_directory_path() / ("pms-prompt-test-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    store::sqlite::SqliteDocumentStore store(path.string(), "ProjectManagement");
    store::demo::DemoOptions o;
    o.reference_date = "2025-11-20";
    store::demo::write_demo_database(store, o);
    auto prompt = agent::build_system_prompt("ProjectManagement", agent::sample_all_schemas(store), "2025-11-20");
    EXPECT_NE(prompt.find("Today is 2025-11-20"), std::string::npos);
    EXPECT_NE(prompt.find("- workItem (300):"), std::string::npos);
    EXPECT_LT(prompt.find("- workItem"), prompt.find("- project"));  // work items first
    EXPECT_NE(prompt.find("state.name ["), std::string::npos);
    EXPECT_NE(prompt.find("In Progress"), std::string::npos);
    EXPECT_NE(prompt.find("priority ["), std::string::npos);
    EXPECT_NE(prompt.find("HIGH"), std::string::npos);
    EXPECT_NE(prompt.find("assignee.name"), std::string::npos);
    EXPECT_NE(prompt.find("cycle.name"), std::string::npos);
    EXPECT_EQ(prompt.find("_class"), std::string::npos);
    EXPECT_EQ(prompt.find("stateMaster"), std::string::npos);
    EXPECT_EQ(prompt.find("state,"), std::string::npos);  // containers are not listed, their fields are
    // It must leave most of a 2048-token context for tools, history and results.
    EXPECT_LT(agent::estimate_tokens(prompt), 700u) << prompt;
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
