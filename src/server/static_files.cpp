#include "server/static_files.hpp"

#include <array>
#include <fstream>
#include <sstream>

namespace pms::server {

namespace fs = std::filesystem;

std::string_view mime_type_for(std::string_view ext) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> types = {{
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".map", "application/json"}, {".svg", "image/svg+xml"},
      {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
      {".ico", "image/x-icon"}, {".webp", "image/webp"}, {".woff2", "font/woff2"}, {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"}}};
  for (auto& [e, t] : types) {
    if (e == ext) return t;
  }
  return "application/octet-stream";
}

std::optional<StaticFile> StaticFiles::lookup(std::string_view request_path) {
  std::string_view path = request_path.substr(0, request_path.find_first_of("?#"));
  if (path.empty() || path.front() != '/') return std::nullopt;
  // Refuse anything that could climb out of the root.
  if (path.find("..") != std::string_view::npos || path.find('\\') != std::string_view::npos ||
      path.find('\0') != std::string_view::npos)
    return std::nullopt;
  fs::path rel = fs::path(std::string(path.substr(1))).lexically_normal();
  if (rel.empty() || rel == ".") rel = "index.html";
  fs::path file = root_ / rel;
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) {
    bool hashed_asset = path.starts_with("/assets/");
    return load(file, hashed_asset);
  }
  // Client-side routes ("/conversations/abc") get the app; missing files ("/x.js") do not.
  if (!rel.has_extension()) return load(root_ / "index.html", false);
  return std::nullopt;
}

std::optional<StaticFile> StaticFiles::load(const fs::path& file, bool immutable) {
  std::error_code ec;
  auto mtime = fs::last_write_time(file, ec);
  if (ec) return std::nullopt;
  std::string key = file.string();
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end() && it->second.mtime == mtime) return *it->second.file;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  auto f = std::make_shared<StaticFile>();
  f->body = ss.str();
  f->content_type = std::string(mime_type_for(file.extension().string()));
  f->etag = "\"" + std::to_string(f->body.size()) + "-" + std::to_string(mtime.time_since_epoch().count()) + "\"";
  f->cache_control = immutable ? "public, max-age=31536000, immutable" : "no-cache";
  std::lock_guard lock(mutex_);
  cache_[key] = {mtime, f};
  return *f;
}

}  // namespace pms::server
