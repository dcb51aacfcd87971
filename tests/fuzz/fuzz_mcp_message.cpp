// MCP over stdio: any bytes, read as lines of JSON-RPC, get only well-formed responses — one line
// each (a batch's: an array of them), a JSON object with "jsonrpc": "2.0", an id, and exactly one of result or error (an error
// with an integer code and a message) — at most one per line, and never a crash or an exception,
// whatever the method, params or tool arguments (tools run on a small demo database).
#include "fuzz_support.hpp"
#include "mcp/stdio_transport.hpp"
#include "store/demo/demo_database.hpp"

#include <unistd.h>

#include <filesystem>
#include <sstream>

namespace {

using namespace pms;

struct Fixture {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("pms-fuzz-mcp-" + std::to_string(::getpid()) + ".db");
  std::unique_ptr<store::sqlite::SqliteDocumentStore> store;
  std::shared_ptr<const understanding::ValueCatalog> catalog;
  tools::ToolRegistry tools = tools::ToolRegistry::standard();
  std::unique_ptr<mcp::Toolbox> toolbox;

  Fixture() {
    std::filesystem::remove(path);
    store = std::make_unique<store::sqlite::SqliteDocumentStore>(path.string(), "ProjectManagement");
    store::demo::DemoOptions o;
    o.work_items = 30;
    o.businesses = 1;
    o.projects_per_business = 1;
    o.reference_date = "2026-11-20";
    store::demo::write_demo_database(*store, o);
    store->set_max_time(std::chrono::milliseconds(200));
    catalog = std::make_shared<const understanding::ValueCatalog>(understanding::build_value_catalog(*store));
    toolbox = std::make_unique<mcp::Toolbox>(mcp::ToolboxServices{tools, *store, [this] { return catalog; }, [] { return std::int64_t{1795000000000}; }});
  }
  ~Fixture() {
    toolbox.reset();
    store.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  }
};

void check_response(const json::value& v) {
  PMS_FUZZ_CHECK(v.is_object());
  auto& o = v.get_object();
  PMS_FUZZ_CHECK(o.at("jsonrpc") == "2.0");
  auto& id = o.at("id");
  PMS_FUZZ_CHECK(id.is_null() || id.is_string() || id.is_int64() || id.is_uint64());
  PMS_FUZZ_CHECK(o.contains("result") != o.contains("error"));
  if (auto* e = o.if_contains("error")) {
    PMS_FUZZ_CHECK(e->at("code").is_int64() && e->at("message").is_string());
  } else {
    PMS_FUZZ_CHECK(o.at("result").is_object());
  }
}

// One response, or (a session on 2025-03-26 answering a batch) a non-empty array of them.
void check_reply(std::string_view line) {
  auto v = try_parse(line);
  PMS_FUZZ_CHECK(v);
  if (!v->is_array()) return check_response(*v);
  PMS_FUZZ_CHECK(!v->get_array().empty());
  for (auto& r : v->get_array()) check_response(r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  auto in = pms::fuzz::split_input(data, size);
  // A small limit as often as the default one, so oversize lines are tried too.
  mcp::Session session(*fixture.toolbox, mcp::SessionOptions{in.selector % 2 ? std::size_t{256} : std::size_t{1} << 20});
  std::istringstream input{std::string(in.payload)};
  std::ostringstream output;
  mcp::serve_stdio(session, input, output);
  std::size_t lines = 1;
  for (char c : in.payload) lines += c == '\n';
  std::istringstream replies(output.str());
  std::size_t n = 0;
  for (std::string line; std::getline(replies, line); ++n) check_reply(line);
  PMS_FUZZ_CHECK(n <= lines);
  PMS_FUZZ_CHECK(output.str().empty() || output.str().back() == '\n');
  return 0;
}
