#include "server/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

using pms::server::StaticFiles;
namespace fs = std::filesystem;

namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pms-static-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<!doctype html><title>app</title>";
    std::ofstream(root_ / "assets" / "index-3f2a9c.js") << "console.log(1)";
    std::ofstream(root_ / "favicon.svg") << "<svg/>";
    std::ofstream(root_.parent_path() / ("secret-" + std::to_string(::getpid()))) << "nope";
  }
  void TearDown() override {
    fs::remove_all(root_);
    fs::remove(root_.parent_path() / ("secret-" + std::to_string(::getpid())));
  }
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  StaticFiles files(root_);
  auto index = files.lookup("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index->cache_control, "no-cache");
  auto js = files.lookup("/assets/index-3f2a9c.js?v=1");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js->cache_control, "public, max-age=31536000, immutable");
  EXPECT_FALSE(js->etag.empty());
  EXPECT_EQ(files.lookup("/favicon.svg")->content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, SinglePageFallbackOnlyForRoutes) {
  StaticFiles files(root_);
  auto route = files.lookup("/conversations/abc");
  ASSERT_TRUE(route);
  EXPECT_NE(route->body.find("<title>app</title>"), std::string::npos);
  EXPECT_FALSE(files.lookup("/assets/missing.js"));
}

TEST_F(StaticFilesTest, NeverLeavesTheRoot) {
  StaticFiles files(root_);
  EXPECT_FALSE(files.lookup("/../secret-" + std::to_string(::getpid())));
  EXPECT_FALSE(files.lookup("/assets/..%2f..%2fsecret"));
  EXPECT_FALSE(files.lookup("relative"));
}

TEST_F(StaticFilesTest, ChangedFilesAreReRead) {
  StaticFiles files(root_);
  auto first = files.lookup("/favicon.svg");
  std::ofstream(root_ / "favicon.svg") << "<svg version='2'/>";
  fs::last_write_time(root_ / "favicon.svg", fs::last_write_time(root_ / "favicon.svg") + std::chrono::seconds(2));
  auto second = files.lookup("/favicon.svg");
  EXPECT_NE(first->etag, second->etag);
  EXPECT_EQ(second->body, "<svg version='2'/>");
}

}  // namespace
