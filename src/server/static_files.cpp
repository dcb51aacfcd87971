#include "server/static_files.hpp"

#include "core/json_util.hpp"

#include <algorithm>
#include <array>
#include <fstream>

namespace pms::server {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxPathBytes = 1024;
constexpr std::size_t kMaxSegmentBytes = 255;
constexpr std::size_t kMaxSegments = 16;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Characters no segment may hold, raw or decoded. '%' is refused only once decoded: "%25..." is
// a double encoding, which some layer would otherwise decode a second time.
bool forbidden(unsigned char c) { return c < 0x20 || c == 0x7f || c == '\\'; }

// "/a/b%20c" -> "a/b c" (segments still separated by the raw '/'), or nullopt.
std::optional<std::string> percent_decode(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    auto c = static_cast<unsigned char>(path[i]);
    if (c == '%') {
      if (i + 2 >= path.size()) return std::nullopt;
      int hi = hex_value(path[i + 1]), lo = hex_value(path[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<unsigned char>(hi * 16 + lo);
      if (c == '/' || c == '%' || forbidden(c)) return std::nullopt;
      i += 2;
    } else if (forbidden(c)) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

// `inner` is `root` or below it (both canonical).
bool inside(const fs::path& root, const fs::path& inner) {
  auto [r, i] = std::mismatch(root.begin(), root.end(), inner.begin(), inner.end());
  return r == root.end();
}

}  // namespace

std::string_view mime_type_for(std::string_view ext) {
  // Only what a built UI holds; anything else in the web root (a stray .env, a backup) is not served.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 18> types = {{
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".map", "application/json"}, {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"}, {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
      {".gif", "image/gif"}, {".ico", "image/x-icon"}, {".webp", "image/webp"}, {".woff2", "font/woff2"},
      {".woff", "font/woff"}, {".wasm", "application/wasm"}, {".txt", "text/plain; charset=utf-8"}}};
  for (auto& [e, t] : types) {
    if (e == ext) return t;
  }
  return "";
}

std::optional<fs::path> decode_static_path(std::string_view target) {
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  if (path.empty() || path.front() != '/' || path.size() > kMaxPathBytes) return std::nullopt;
  if (path == "/") return fs::path("index.html");
  auto decoded = percent_decode(path.substr(1));
  if (!decoded || sanitize_utf8(*decoded) != *decoded) return std::nullopt;
  fs::path out;
  std::size_t segments = 0;
  for (std::size_t start = 0; start <= decoded->size();) {
    std::size_t end = std::min(decoded->find('/', start), decoded->size());
    std::string_view segment = std::string_view(*decoded).substr(start, end - start);
    // Empty ("//", a trailing '/'), ".", ".." and dotfiles alike: nothing the UI links to.
    if (segment.empty() || segment.front() == '.' || segment.size() > kMaxSegmentBytes || ++segments > kMaxSegments)
      return std::nullopt;
    out /= fs::path(std::string(segment));
    start = end + 1;
  }
  return out;
}

StaticFiles::StaticFiles(const fs::path& root) : root_(fs::canonical(root)) {}

std::optional<StaticFile> StaticFiles::lookup(std::string_view target) {
  auto relative = decode_static_path(target);
  if (!relative) return std::nullopt;
  if (auto file = describe(*relative, relative->begin()->native() == "assets")) return file;
  std::error_code ec;
  // Client-side routes ("/conversations/abc") get the app; missing files ("/x.js") do not; nor
  // does a file that exists but may not be served (a symlink out of the root, a .env).
  if (relative->has_extension() || fs::exists(root_ / *relative, ec)) return std::nullopt;
  return describe("index.html", false);
}

std::optional<StaticFile> StaticFiles::describe(const fs::path& relative, bool immutable) {
  std::error_code ec;
  // canonical() resolves every symlink, so a link pointing out of the root is seen for what it is.
  fs::path file = fs::canonical(root_ / relative, ec);
  if (ec || !inside(root_, file) || !fs::is_regular_file(file, ec)) return std::nullopt;
  auto type = mime_type_for(file.extension().native());
  if (type.empty()) return std::nullopt;
  auto size = fs::file_size(file, ec);
  if (ec) return std::nullopt;
  auto mtime = fs::last_write_time(file, ec);
  if (ec) return std::nullopt;
  StaticFile out;
  out.path = file;
  out.size = size;
  out.content_type = std::string(type);
  out.etag = "\"" + std::to_string(size) + "-" + std::to_string(mtime.time_since_epoch().count()) + "\"";
  out.cache_control = immutable ? "public, max-age=31536000, immutable" : "no-cache";
  std::lock_guard lock(mutex_);
  auto it = cache_.find(file);
  if (it != cache_.end() && it->second.mtime == mtime && it->second.size == size) {
    out.in_memory = true;
    out.body = it->second.body;
  } else {
    std::uintmax_t others = cached_bytes_ - (it != cache_.end() ? it->second.size : 0);
    out.in_memory = size <= kMaxCachedFileBytes && others + size <= kCacheBudgetBytes;
  }
  return out;
}

std::shared_ptr<const std::string> StaticFiles::load(const StaticFile& file) {
  std::error_code ec;
  auto mtime = fs::last_write_time(file.path, ec);
  if (ec) return nullptr;
  std::ifstream in(file.path, std::ios::binary);
  std::string bytes(file.size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  // Changed since it was described: the headers would not fit it. The next request sees it anew.
  if (!in || in.peek() != std::ifstream::traits_type::eof()) return nullptr;
  auto body = std::make_shared<const std::string>(std::move(bytes));
  std::lock_guard lock(mutex_);
  auto& entry = cache_[file.path];
  cached_bytes_ = cached_bytes_ - entry.size + file.size;
  entry = {mtime, file.size, body};
  return body;
}

}  // namespace pms::server
