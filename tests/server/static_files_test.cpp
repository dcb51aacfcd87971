#include "server/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

using pms::server::decode_static_path;
using pms::server::StaticFiles;
namespace fs = std::filesystem;

namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("pms-static-" + std::to_string(::getpid()));
    root_ = base_ / "web";
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<!doctype html><title>app</title>";
    std::ofstream(root_ / "assets" / "index-3f2a9c.js") << "console.log(1)";
    std::ofstream(root_ / "favicon.svg") << "<svg/>";
    std::ofstream(root_ / ".env") << "SECRET=1";
    std::ofstream(root_ / "notes.bak") << "backup";
    std::ofstream(base_ / "secret.txt") << "nope";
    fs::create_directories(base_ / "outside");
    std::ofstream(base_ / "outside" / "leak.js") << "leak";
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
    fs::create_directory_symlink(base_ / "outside", root_ / "linked");
    fs::create_symlink(root_ / "favicon.svg", root_ / "icon.svg");  // stays inside: fine
  }
  void TearDown() override { fs::remove_all(base_); }

  // The body a lookup serves (reading it as the server does), or nullopt.
  std::optional<std::string> body_of(StaticFiles& files, std::string_view target) {
    auto f = files.lookup(target);
    if (!f) return std::nullopt;
    EXPECT_TRUE(f->in_memory);
    auto body = f->body ? f->body : files.load(*f);
    if (!body) return std::nullopt;
    return *body;
  }

  fs::path base_, root_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  StaticFiles files(root_);
  auto index = files.lookup("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index->cache_control, "no-cache");
  auto js = files.lookup("/assets/index-3f2a9c.js?v=1");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js->cache_control, "public, max-age=31536000, immutable");
  EXPECT_FALSE(js->etag.empty());
  EXPECT_EQ(js->size, 14u);
  EXPECT_EQ(body_of(files, "/assets/index-3f2a9c.js"), "console.log(1)");
  EXPECT_EQ(files.lookup("/favicon.svg")->content_type, "image/svg+xml");
  EXPECT_EQ(body_of(files, "/icon.svg"), "<svg/>");  // a link that stays inside the root
  EXPECT_EQ(body_of(files, "/assets/index%2D3f2a9c.js"), "console.log(1)");  // an escape that is fine
}

TEST_F(StaticFilesTest, ReadFilesAreSharedNotCopied) {
  StaticFiles files(root_);
  auto first = files.lookup("/favicon.svg");
  EXPECT_FALSE(first->body);
  auto loaded = files.load(*first);
  auto again = files.lookup("/favicon.svg");
  ASSERT_TRUE(again->body);
  EXPECT_EQ(again->body.get(), loaded.get());
}

TEST_F(StaticFilesTest, SinglePageFallbackOnlyForRoutes) {
  StaticFiles files(root_);
  auto route = body_of(files, "/conversations/abc");
  ASSERT_TRUE(route);
  EXPECT_NE(route->find("<title>app</title>"), std::string::npos);
  EXPECT_FALSE(files.lookup("/assets/missing.js"));
}

TEST_F(StaticFilesTest, NeverLeavesTheRoot) {
  StaticFiles files(root_);
  for (std::string target : {"//etc/passwd", "/%2Fetc/passwd", "/..%2f..%2fetc/passwd", "/../secret.txt", "/%2e%2e/secret.txt",
                             "/%2E%2E/secret.txt", "/%252e%252e/secret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt",
                             "/assets/%00.js", "/./index.html", "/assets//index-3f2a9c.js", "/link.txt", "/linked/leak.js",
                             "/linked", "/.env", "/notes.bak", "/%c0%ae%c0%ae/secret.txt", "/%e0%80%ae.txt", "/%ff.js",
                             "relative", "", "/assets/", "/%", "/%2", "/%zz"}) {
    EXPECT_FALSE(files.lookup(target)) << target;
  }
}

TEST_F(StaticFilesTest, DecodingIsStrict) {
  EXPECT_EQ(decode_static_path("/"), fs::path("index.html"));
  EXPECT_EQ(decode_static_path("/assets/a%20b.js?x=1#y"), fs::path("assets/a b.js"));
  EXPECT_EQ(decode_static_path("/caf%C3%A9"), fs::path("caf\xC3\xA9"));  // valid UTF-8
  EXPECT_FALSE(decode_static_path("/a/%2e"));
  EXPECT_FALSE(decode_static_path("/a/.hidden"));
  EXPECT_FALSE(decode_static_path("/a%2fb"));
  EXPECT_FALSE(decode_static_path("/a%25b"));  // '%' once decoded: double encoding
  EXPECT_FALSE(decode_static_path("/a\x01" "b"));
  EXPECT_FALSE(decode_static_path("/a%0ab"));
  EXPECT_FALSE(decode_static_path("/caf%C3"));  // truncated UTF-8
  EXPECT_FALSE(decode_static_path("/" + std::string(300, 'a')));
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "/a";
  EXPECT_FALSE(decode_static_path(deep));
}

TEST_F(StaticFilesTest, ChangedFilesAreReRead) {
  StaticFiles files(root_);
  auto first = files.lookup("/favicon.svg");
  files.load(*first);
  std::ofstream(root_ / "favicon.svg") << "<svg version='2'/>";
  fs::last_write_time(root_ / "favicon.svg", fs::last_write_time(root_ / "favicon.svg") + std::chrono::seconds(2));
  auto second = files.lookup("/favicon.svg");
  EXPECT_NE(first->etag, second->etag);
  EXPECT_FALSE(second->body);  // the old bytes are not served for the new file
  EXPECT_EQ(body_of(files, "/favicon.svg"), "<svg version='2'/>");
}

TEST_F(StaticFilesTest, LargeFilesAreStreamedNotKept) {
  {
    std::ofstream big(root_ / "big.txt", std::ios::binary);
    big.seekp(static_cast<std::streamoff>(pms::server::kMaxCachedFileBytes));
    big.put('x');
  }
  StaticFiles files(root_);
  auto f = files.lookup("/big.txt");
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->in_memory);
  EXPECT_EQ(f->size, pms::server::kMaxCachedFileBytes + 1);
  EXPECT_TRUE(f->path.native().starts_with(fs::canonical(root_).native()));
}

}  // namespace
