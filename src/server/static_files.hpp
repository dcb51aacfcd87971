#pragma once
// The web UI's files, served from a directory: safe path resolution (nothing outside the root),
// MIME types, ETags, long-lived caching for Vite's hashed assets and none for index.html, and the
// single-page-app fallback (unknown paths without an extension get index.html). Files are cached
// in memory and re-read when their modification time changes.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pms::server {

struct StaticFile {
  std::string body;
  std::string content_type;
  std::string etag;
  std::string cache_control;
};

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // The file for a request path ("/", "/assets/index-3f2a.js", "/conversations/abc"), or nullopt.
  std::optional<StaticFile> lookup(std::string_view request_path);

 private:
  std::optional<StaticFile> load(const std::filesystem::path& file, bool immutable);
  std::filesystem::path root_;
  std::mutex mutex_;
  struct Cached {
    std::filesystem::file_time_type mtime;
    std::shared_ptr<const StaticFile> file;
  };
  std::map<std::string, Cached> cache_;
};

std::string_view mime_type_for(std::string_view extension);

}  // namespace pms::server
