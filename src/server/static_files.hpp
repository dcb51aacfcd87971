#pragma once
// The web UI's files, served from one directory and nothing outside it. A request path is decoded
// once and strictly (decode_static_path), joined to the canonical root, canonicalised (symlinks
// resolved) and must still be inside the root, a regular file with a known extension. Vite's
// hashed assets get long-lived caching, index.html none; unknown paths without an extension are
// client-side routes and get index.html.
//
// Serving without blocking the I/O threads or copying per request: the built UI is small, so each
// file up to kMaxCachedFileBytes is read once (by the caller, on a blocking executor, through
// load()) into an immutable shared buffer that every response references, and re-read when its
// size or modification time changes; the buffers together stay under kCacheBudgetBytes. Anything
// larger, or past the budget, is streamed from disk by the caller (Beast's file_body: one page per
// write, constant memory).
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pms::server {

inline constexpr std::uintmax_t kMaxCachedFileBytes = 8u << 20;
inline constexpr std::uintmax_t kCacheBudgetBytes = 64u << 20;

// The file a request path names, relative to the web root: "/" is index.html; nullopt when the
// path is not one the UI could have (query and fragment are ignored). Refused: anything not
// starting with '/', empty segments ("//"), "." and ".." segments and every other dotfile,
// percent-encoded '/', '\\', NUL, control characters or '%' (double encoding), raw '\\' and
// control characters, bad %-escapes, invalid or overlong UTF-8, and absurd lengths. Pure.
std::optional<std::filesystem::path> decode_static_path(std::string_view target);

struct StaticFile {
  std::filesystem::path path;  // canonical, inside the canonical root
  std::uintmax_t size = 0;
  std::string content_type;
  std::string etag;
  std::string cache_control;
  bool in_memory = false;                   // served from a shared buffer (see load())
  std::shared_ptr<const std::string> body;  // that buffer, when already read
};

class StaticFiles {
 public:
  // Throws std::filesystem::filesystem_error if `root` does not exist.
  explicit StaticFiles(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }

  // The file for a request target ("/", "/assets/index-3f2a.js", "/conversations/abc"), or
  // nullopt. Only metadata calls (no file is read): fine on an I/O thread.
  std::optional<StaticFile> lookup(std::string_view target);
  // Reads an `in_memory` file and keeps it for later lookups; null if it can no longer be read
  // as it was found. Blocking: call on a blocking executor.
  std::shared_ptr<const std::string> load(const StaticFile& file);

 private:
  std::optional<StaticFile> describe(const std::filesystem::path& relative, bool immutable);
  std::filesystem::path root_;  // canonical
  std::mutex mutex_;
  struct Cached {
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
    std::shared_ptr<const std::string> body;
  };
  std::map<std::filesystem::path, Cached> cache_;
  std::uintmax_t cached_bytes_ = 0;
};

// The Content-Type served for a file extension (".js"), or "" for one that is never served.
std::string_view mime_type_for(std::string_view extension);

}  // namespace pms::server
