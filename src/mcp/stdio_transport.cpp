#include "mcp/stdio_transport.hpp"

#include <istream>
#include <ostream>

namespace pms::mcp {

namespace {

// Reads one line into `line`, keeping at most `keep` bytes of it (the rest is read and dropped).
// False at the end of the input with nothing read.
bool read_line(std::streambuf& in, std::string& line, std::size_t keep) {
  line.clear();
  bool any = false;
  for (int c = in.sbumpc(); c != std::char_traits<char>::eof(); c = in.sbumpc()) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < keep) line.push_back(static_cast<char>(c));
  }
  return any;
}

}  // namespace

void serve_stdio(Session& session, std::istream& in, std::ostream& out) {
  std::size_t max_message_bytes = session.options().max_message_bytes;
  std::string line;
  // One byte past the limit is kept, so the session sees the message is too large.
  while (in.rdbuf() && read_line(*in.rdbuf(), line, max_message_bytes + 1)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (auto reply = session.handle(line)) {
      out << *reply << '\n';
      out.flush();
    }
  }
}

}  // namespace pms::mcp
