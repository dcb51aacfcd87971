// pms-data as a user runs it.
#include "store/sqlite/sqlite_document_store.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

using namespace pms;

namespace {

struct Output {
  int status;
  std::string text;
};

Output run(const std::string& args) {
  std::string cmd = std::string(PMS_DATA_BINARY) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (auto n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int st = ::pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

class PmsDataE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pms-data-e2e-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "pms.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    auto p = (dir_ / name).string();
    std::ofstream(p) << text;
    return p;
  }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(PmsDataE2e, GenerateThenQuery) {
  auto g = run("--db " + db_ + " generate --work-items 120 --reference-date 2025-11-20");
  ASSERT_EQ(g.status, 0) << g.text;
  auto count = run("--db " + db_ + " query workItem --count");
  EXPECT_EQ(count.text, "120\n");
  auto high = run("--db " + db_ + " query workItem --count --filter '{\"priority\": \"HIGH\"}'");
  store::sqlite::SqliteDocumentStore store(db_, "ProjectManagement");
  EXPECT_EQ(std::stoll(high.text), store.count("workItem", json::parse(R"({"priority": "HIGH"})")));
  auto names = run("--db " + db_ + " query project --projection '{\"name\": 1, \"_id\": 0}' --sort '{\"name\": 1}' --limit 2");
  EXPECT_EQ(names.text, "{\"name\":\"Billing Platform\"}\n{\"name\":\"Customer Portal\"}\n");
  auto bad = run("--db " + db_ + " query workItem --filter '{\"a\": {\"$foo\": 1}}'");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.text.find("$foo"), std::string::npos);
}

TEST_F(PmsDataE2e, ImportArraysAndLinesReplacingNotDuplicating) {
  auto arr = write("ProjectManagement.project.json", R"([{"_id": {"$oid": "65F0C0FFEE0000000000ABCD"}, "name": "A", "createdTimeStamp": {"$date": "2025-11-08T07:33:16.175Z"}}, {"_id": "b", "name": "B"}])");
  auto lines = write("items.json", "{\"_id\": \"1\", \"n\": {\"$numberLong\": \"5\"}}\n\n{\"_id\": \"2\", \"n\": 6}\n");
  ASSERT_EQ(run("--db " + db_ + " generate --work-items 1").status, 0);
  auto r = run("--db " + db_ + " import " + arr);
  ASSERT_EQ(r.status, 0) << r.text;
  ASSERT_EQ(run("--db " + db_ + " import " + arr).status, 0);  // again: replaces
  ASSERT_EQ(run("--db " + db_ + " import --collection item " + lines).status, 0);
  EXPECT_EQ(run("--db " + db_ + " query project --count").text, "2\n");
  EXPECT_EQ(run("--db " + db_ + " query project --filter '{\"createdTimeStamp\": {\"$gte\": \"2025-11-01\"}}' --projection '{\"_id\": 1}'").text,
            "{\"_id\":\"65f0c0ffee0000000000abcd\"}\n");
  EXPECT_EQ(run("--db " + db_ + " query item --count --filter '{\"n\": {\"$gt\": 4}}'").text, "2\n");
}

TEST_F(PmsDataE2e, BadFileNamesTheLineAndLeavesNothingBehind) {
  ASSERT_EQ(run("--db " + db_ + " generate --work-items 5").status, 0);
  auto bad = write("ProjectManagement.workItem.json", "{\"_id\": \"1\"}\n{\"_id\": 2,\n");
  auto r = run("--db " + db_ + " import " + bad);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.text.find("workItem.json:2"), std::string::npos) << r.text;
  EXPECT_EQ(run("--db " + db_ + " query workItem --count").text, "5\n");
  EXPECT_NE(run("--db " + dir_.string() + "/missing.db query workItem --count").text.find("pms-data generate"), std::string::npos);
}

TEST_F(PmsDataE2e, ImportsAFolderOfJavaExportsWithUuidsAsStrings) {
  std::filesystem::create_directories(dir_ / "dump");
  // As a Spring application's mongoexport writes them: binary subtype 3 ids in Java byte order.
  std::ofstream(dir_ / "dump" / "ProjectManagement.project.json")
      << R"({"_id":{"$binary":{"base64":"+kNDc5JN5b4BBiReq8Z8jw==","subType":"03"}},"name":"Zizly","createdTimeStamp":{"$date":{"$numberLong":"1762587196175"}}})"
      << "\n";
  std::ofstream(dir_ / "dump" / "ProjectManagement.workItem.json")
      << R"([{"_id":{"$uuid":"00112233-4455-6677-8899-aabbccddeeff"},"title":"Fix login","estimate":{"$numberInt":"3"},)"
      << R"("project":{"_id":{"$binary":{"base64":"+kNDc5JN5b4BBiReq8Z8jw==","subType":"03"}},"name":"Zizly"}}])";
  auto r = run("--db " + db_ + " import " + (dir_ / "dump").string());
  ASSERT_EQ(r.status, 0) << r.text;
  EXPECT_NE(r.text.find("imported 1 documents into project"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("imported 1 documents into workItem"), std::string::npos) << r.text;
  // The canonical UUID string (Java order) finds the work item by its project reference.
  EXPECT_EQ(run("--db " + db_ + " query workItem --count --filter '{\"project._id\": \"bee54d92-7343-43fa-8f7c-c6ab5e240601\"}'").text, "1\n");
  EXPECT_EQ(run("--db " + db_ + " query project --projection '{\"_id\": 0, \"createdTimeStamp\": 1}'").text,
            "{\"createdTimeStamp\":\"2025-11-08T07:33:16.175Z\"}\n");
  // Another byte order, when the export came from a C# application.
  auto cs = run("--db " + db_ + " import --uuid-representation csharp-legacy " + (dir_ / "dump" / "ProjectManagement.project.json").string());
  ASSERT_EQ(cs.status, 0) << cs.text;
  EXPECT_EQ(run("--db " + db_ + " query project --projection '{\"_id\": 1}'").text, "{\"_id\":\"734343fa-4d92-bee5-0106-245eabc67c8f\"}\n");
}

TEST_F(PmsDataE2e, ABadFileAmongSeveralImportsNothingAndNamesTheDocument) {
  ASSERT_EQ(run("--db " + db_ + " generate --work-items 5").status, 0);
  auto good = write("ProjectManagement.project.json", R"([{"_id": "p1", "name": "New"}])");
  auto bad = write("ProjectManagement.workItem.json",
                   R"([{"_id": "1"}, {"_id": "2", "at": {"$date": "not a date"}}])");
  auto r = run("--db " + db_ + " import " + good + " " + bad);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.text.find("workItem.json: document 2"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("ISO-8601"), std::string::npos) << r.text;
  // One transaction: the good file was not imported either.
  EXPECT_EQ(run("--db " + db_ + " query project --count --filter '{\"_id\": \"p1\"}'").text, "0\n");
  EXPECT_EQ(run("--db " + db_ + " query workItem --count").text, "5\n");
}

// 1e999 reads as infinity, which no stored document can hold: the error says where and what.
TEST_F(PmsDataE2e, AnOutOfRangeNumberIsNamedWithFileAndLine) {
  ASSERT_EQ(run("--db " + db_ + " generate --work-items 5").status, 0);
  auto bad = write("ProjectManagement.workItem.json", "{\"_id\": \"1\"}\n\n{\"_id\": \"2\", \"cost\": {\"total\": 1e999}}\n");
  auto r = run("--db " + db_ + " import " + bad);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.text.find("workItem.json:3: the number at 'cost.total' is out of range"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("CHECK constraint"), std::string::npos) << r.text;
  auto arr = write("ProjectManagement.project.json", R"([{"_id": "p", "n": [1, -1e400]}])");
  auto a = run("--db " + db_ + " import " + arr);
  EXPECT_EQ(a.status, 1);
  EXPECT_NE(a.text.find("project.json: document 1: the number at 'n.1' is out of range"), std::string::npos) << a.text;
  EXPECT_EQ(run("--db " + db_ + " query workItem --count").text, "5\n");
}

// "x..json" would import into a collection named "": a file name that gives no sensible name is
// refused, naming the file and --collection.
TEST_F(PmsDataE2e, AFileNameWithoutACollectionNameIsRefused) {
  for (std::string name : {"x..json", "ProjectManagement.work item.json", "a.$where.json"}) {
    auto f = write(name, "{\"_id\": \"1\"}\n");
    auto r = run("--db " + db_ + " import '" + f + "'");
    EXPECT_EQ(r.status, 1) << name;
    EXPECT_NE(r.text.find(name), std::string::npos) << r.text;
    EXPECT_NE(r.text.find("--collection"), std::string::npos) << r.text;
    auto named = run("--db " + db_ + " import --collection things '" + f + "'");
    EXPECT_EQ(named.status, 0) << named.text;
    std::filesystem::remove(f);
  }
  EXPECT_EQ(run("--db " + db_ + " collections").text, "things\t1\n");
  auto f = write("ok.json", "{\"_id\": \"1\"}\n");
  auto empty = run("--db " + db_ + " import --collection '' " + f);
  EXPECT_EQ(empty.status, 1) << empty.text;
}

TEST_F(PmsDataE2e, TenantTokenLifetimeIsCapped) {
  auto ok = run("tenant-token --business b-1 --secret s --hours 8784");
  EXPECT_EQ(ok.status, 0) << ok.text;
  auto too_long = run("tenant-token --business b-1 --secret s --hours 8785");
  EXPECT_NE(too_long.status, 0);
  EXPECT_NE(too_long.text.find("--hours"), std::string::npos) << too_long.text;
  EXPECT_NE(run("tenant-token --business b-1 --secret s --hours 1e300").status, 0);
}

TEST_F(PmsDataE2e, AskAnswersWithThePlanner) {
  ASSERT_EQ(run("--db " + db_ + " generate --work-items 50 --reference-date 2026-11-20").status, 0);
  store::sqlite::SqliteDocumentStore db(db_, "ProjectManagement");
  auto urgent = db.count("workItem", json::parse(R"({"priority": "URGENT"})"));
  auto r = run("--db " + db_ + " ask 'how many urgnet bugs?' --explain");
  EXPECT_EQ(r.status, 0) << r.text;
  EXPECT_NE(r.text.find("tool: count_documents"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("**" + std::to_string(urgent) + "** work item"), std::string::npos) << r.text;

  auto shell = run("--db " + db_ + " ask \"db.project.countDocuments({})\"");
  EXPECT_NE(shell.text.find("**6** documents in project match."), std::string::npos) << shell.text;

  auto refused = run("--db " + db_ + " ask 'what is the velocity of the team'");
  EXPECT_EQ(refused.status, 3) << refused.text;
  EXPECT_NE(refused.text.find("\"velocity\""), std::string::npos) << refused.text;
}

}  // namespace
