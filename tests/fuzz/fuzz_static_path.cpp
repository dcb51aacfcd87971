// The web UI's path resolver: whatever the request target, a file it resolves is a regular file
// inside the canonical web root, never a dotfile, and the decoded path it came from is relative
// with no ".", ".." or empty segment. The root holds a symlink out of it and a file beside it, so
// an escape has something to find.
#include "fuzz_support.hpp"
#include "server/static_files.hpp"

#include <algorithm>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Root {
  fs::path base = fs::temp_directory_path() / ("pms-fuzz-static-" + std::to_string(::getpid()));
  fs::path root = base / "web";
  Root() {
    fs::remove_all(base);
    fs::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<!doctype html>";
    std::ofstream(root / "assets" / "app.js") << "export {}";
    std::ofstream(root / ".env") << "SECRET=1";
    std::ofstream(base / "secret.txt") << "secret";
    std::error_code ec;
    fs::create_symlink(base / "secret.txt", root / "leak.txt", ec);
    fs::create_directory_symlink(base, root / "up", ec);
    root = fs::canonical(root);
  }
  ~Root() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
};

bool inside(const fs::path& root, const fs::path& p) {
  auto [r, i] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end() && i != p.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Root dir;
  static pms::server::StaticFiles files(dir.root);
  std::string_view target(reinterpret_cast<const char*>(data), size);
  for (std::string candidate : {std::string(target), "/" + std::string(target)}) {
    if (auto decoded = pms::server::decode_static_path(candidate)) {
      PMS_FUZZ_CHECK(decoded->is_relative() && !decoded->empty());
      for (auto& part : *decoded) {
        auto s = part.native();
        PMS_FUZZ_CHECK(!s.empty() && s.front() != '.' && s.find('/') == std::string::npos && s.find('\\') == std::string::npos &&
                       s.find('\0') == std::string::npos);
      }
    }
    if (auto file = files.lookup(candidate)) {
      PMS_FUZZ_CHECK(inside(dir.root, file->path));
      PMS_FUZZ_CHECK(fs::is_regular_file(fs::symlink_status(file->path)));
      PMS_FUZZ_CHECK(file->path.filename().native().front() != '.');
      PMS_FUZZ_CHECK(fs::canonical(file->path) == file->path);
    }
  }
  return 0;
}
