#include "understanding/shell_query.hpp"

#include "understanding/markdown_table.hpp"

#include <algorithm>
#include <cctype>

namespace pms::understanding {

namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.'; }

// Converts a JavaScript literal to JSON, one token at a time.
class LiteralConverter {
 public:
  explicit LiteralConverter(std::string_view s) : s_(s) {}

  std::string run() {
    while (skip_space(), i_ < s_.size()) token();
    return out_;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    // Valid UTF-8 whatever was typed (a character's first byte, invalid bytes): the message goes
    // into JSON answers.
    throw ShellQueryError(sanitize_utf8(what + " at character " + std::to_string(i_ + 1) + " of \"" + std::string(truncate_utf8(s_, 200)) + "\""));
  }
  void skip_space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  // Reads a quoted string and returns its body escaped for JSON: JSON escapes are kept as typed,
  // so \u sequences and the like need no decoding here.
  std::string read_string() {
    char quote = s_[i_++];
    std::string body;
    while (i_ < s_.size() && s_[i_] != quote) {
      char c = s_[i_++];
      if (c == '\\' && i_ < s_.size()) {
        char e = s_[i_++];
        if (std::string_view("\"\\/bfnrtu").find(e) != std::string_view::npos) body += {'\\', e};
        else body += e;  // \' and other JavaScript escapes of plain characters
      } else if (c == '"') {
        body += "\\\"";
      } else if (static_cast<unsigned char>(c) < 0x20) {
        body += c == '\n' ? "\\n" : c == '\t' ? "\\t" : " ";
      } else {
        body += c;
      }
    }
    if (i_ >= s_.size()) fail("unterminated string");
    ++i_;
    return body;
  }
  static std::string quoted(const std::string& body) { return "\"" + body + "\""; }
  // The single string argument of ISODate("..."), ObjectId("..."), ...
  std::string call_argument(const std::string& name) {
    skip_space();
    if (i_ >= s_.size() || s_[i_] != '(') fail(name + " needs an argument in parentheses");
    ++i_;
    skip_space();
    std::string arg;
    if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) {
      arg = read_string();
    } else {
      while (i_ < s_.size() && s_[i_] != ')') arg += s_[i_++];
      while (!arg.empty() && std::isspace(static_cast<unsigned char>(arg.back()))) arg.pop_back();
    }
    skip_space();
    if (i_ >= s_.size() || s_[i_] != ')') fail("missing ')' after " + name + "(");
    ++i_;
    return arg;
  }
  bool next_is_colon() {
    std::size_t k = i_;
    while (k < s_.size() && std::isspace(static_cast<unsigned char>(s_[k]))) ++k;
    return k < s_.size() && s_[k] == ':';
  }
  void token() {
    char c = s_[i_];
    if (c == '"' || c == '\'') {
      out_ += quoted(read_string());
    } else if (c == ',') {
      // A trailing comma before } or ] is dropped.
      std::size_t k = i_ + 1;
      while (k < s_.size() && std::isspace(static_cast<unsigned char>(s_[k]))) ++k;
      if (k >= s_.size() || (s_[k] != '}' && s_[k] != ']')) out_ += ',';
      ++i_;
    } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ':') {
      out_ += c;
      ++i_;
    } else if (c == '/') {
      std::string pattern;
      ++i_;
      while (i_ < s_.size() && s_[i_] != '/') {
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) pattern += s_[i_++];
        pattern += s_[i_++];
      }
      if (i_ >= s_.size()) fail("unterminated regular expression");
      ++i_;
      std::string flags;
      while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_]))) flags += s_[i_++];
      out_ += "{\"$regex\":" + json::serialize(json::string(pattern)) + ",\"$options\":" + json::serialize(json::string(flags)) + "}";
    } else if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t start = i_;
      ++i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' || s_[i_] == '-' || s_[i_] == '+')) ++i_;
      std::string number(s_.substr(start, i_ - start));
      if (number.front() == '+') number.erase(0, 1);
      out_ += number;
    } else if (ident_start(c)) {
      std::size_t start = i_;
      while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
      std::string word(s_.substr(start, i_ - start));
      if (next_is_colon()) {
        out_ += quoted(word);
      } else if (word == "true" || word == "false" || word == "null") {
        out_ += word;
      } else if (word == "new") {
        skip_space();  // "new Date(...)": the constructor follows
      } else if (word == "ISODate" || word == "Date") {
        out_ += "{\"$date\":" + quoted(call_argument(word)) + "}";
      } else if (word == "ObjectId") {
        out_ += "{\"$oid\":" + quoted(call_argument(word)) + "}";
      } else if (word == "UUID") {
        out_ += "{\"$uuid\":" + quoted(call_argument(word)) + "}";
      } else if (word == "NumberLong" || word == "NumberInt" || word == "NumberDecimal" || word == "Int32" || word == "Long" ||
                 word == "Double") {
        std::string n = call_argument(word);
        if (n.empty() || n.find_first_not_of("0123456789.-+eE") != std::string::npos) fail(word + "() needs a number");
        out_ += n;
      } else {
        fail("'" + word + "' is not something a read-only query can use");
      }
    } else {
      fail(std::string("unexpected '") + c + "'");
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string out_;
};

// The text between the '(' at `open` and its matching ')', honouring strings and nesting.
std::string_view parenthesized(std::string_view s, std::size_t open, std::size_t& close) {
  int depth = 0;
  char quote = 0;
  for (std::size_t k = open; k < s.size(); ++k) {
    char c = s[k];
    if (quote) {
      if (c == '\\') ++k;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) {
        if (c != ')') break;
        close = k;
        return s.substr(open + 1, k - open - 1);
      }
    }
  }
  throw ShellQueryError("unbalanced parentheses in the query");
}

json::array arguments(std::string_view inside) {
  std::string text = "[" + shell_literal_to_json(inside) + "]";
  std::string error;
  auto v = try_parse(text, &error);
  if (!v) throw ShellQueryError("the arguments are not valid: " + error);
  return v->as_array();
}

json::value object_arg(const json::array& args, std::size_t i, const char* what) {
  if (i >= args.size()) return json::object{};
  if (!args[i].is_object()) throw ShellQueryError(std::string(what) + " must be a document {...}");
  return args[i];
}

// The number as written: the tool checks its range, with the same message as for the model's calls.
const json::value& number_arg(const json::array& args, const char* method) {
  if (args.size() != 1 || !args[0].is_number()) throw ShellQueryError(std::string(".") + method + "() needs one number");
  return args[0];
}

}  // namespace

bool looks_like_shell_query(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  return text.starts_with("db.") && text.size() > 3 && ident_start(text[3]);
}

std::string shell_literal_to_json(std::string_view text) { return LiteralConverter(text).run(); }

ToolCall parse_shell_query(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == ';')) text.remove_suffix(1);
  if (!looks_like_shell_query(text)) throw ShellQueryError("a shell query starts with db.<collection>.");
  std::size_t i = 3;
  std::string collection;
  if (text.substr(i).starts_with("getCollection(")) {
    std::size_t close = 0;
    auto args = arguments(parenthesized(text, i + 13, close));
    if (args.size() != 1 || !args[0].is_string()) throw ShellQueryError("getCollection() needs the collection's name");
    collection = std::string(args[0].as_string());
    i = close + 1;
    if (i >= text.size() || text[i] != '.') throw ShellQueryError("a method must follow getCollection(...)");
    ++i;
  } else {
    std::size_t dot = text.find('.', i);
    if (dot == std::string_view::npos) throw ShellQueryError("a method must follow the collection: db." + std::string(text.substr(i)) + ".find()");
    collection = std::string(text.substr(i, dot - i));
    i = dot + 1;
  }

  // MongoDB's rule for names, plus no control characters.
  if (collection.empty() || collection.find('$') != std::string::npos ||
      std::any_of(collection.begin(), collection.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    throw ShellQueryError(dump(json::string(truncate_utf8(collection, 80))) + " is not a collection name");
  ToolCall call;
  bool first = true;
  while (i < text.size()) {
    std::size_t open = text.find('(', i);
    if (open == std::string_view::npos) throw ShellQueryError("'" + std::string(text.substr(i)) + "' needs parentheses");
    std::string method(text.substr(i, open - i));
    std::size_t close = 0;
    auto args = arguments(parenthesized(text, open, close));
    i = close + 1;
    if (i < text.size()) {
      if (text[i] != '.') throw ShellQueryError("unexpected text after " + method + "(...)");
      ++i;
    }
    if (first) {
      first = false;
      if (method == "find" || method == "findOne") {
        call = {"find_documents", {{"collection", collection}, {"filter", object_arg(args, 0, "the filter")}}};
        if (args.size() > 1) call.arguments["projection"] = object_arg(args, 1, "the projection");
        if (method == "findOne") call.arguments["limit"] = 1;
      } else if (method == "countDocuments" || method == "count") {
        call = {"count_documents", {{"collection", collection}, {"filter", object_arg(args, 0, "the filter")}}};
      } else if (method == "estimatedDocumentCount") {
        call = {"count_documents", {{"collection", collection}, {"filter", json::object{}}}};
      } else if (method == "aggregate") {
        if (args.size() != 1 || !args[0].is_array()) throw ShellQueryError("aggregate() needs a pipeline [...]");
        call = {"aggregate", {{"collection", collection}, {"pipeline", args[0]}}};
      } else if (method == "distinct") {
        if (args.empty() || !args[0].is_string()) throw ShellQueryError("distinct() needs a field name");
        call = {"distinct_values", {{"collection", collection}, {"field", args[0]}, {"filter", object_arg(args, 1, "the filter")}}};
      } else {
        throw ShellQueryError("'" + method +
                              "' is not supported: use find, findOne, countDocuments, count, aggregate or distinct (the data is read-only)");
      }
      continue;
    }
    bool is_find = call.name == "find_documents";
    if (method == "sort" && is_find) call.arguments["sort"] = object_arg(args, 0, "sort()");
    else if (method == "limit" && is_find) call.arguments["limit"] = number_arg(args, "limit");
    else if (method == "skip" && is_find) call.arguments["skip"] = number_arg(args, "skip");
    else if (method == "projection" && is_find) call.arguments["projection"] = object_arg(args, 0, "projection()");
    else if (method == "count" && is_find) call.name = "count_documents";
    else if (method == "pretty" || method == "toArray") continue;
    else throw ShellQueryError("." + method + "() is not supported after " + (is_find ? "find()" : "this method"));
  }
  if (first) throw ShellQueryError("a method must follow the collection: db." + collection + ".find()");
  if (call.name == "count_documents") {
    for (auto key : {"sort", "limit", "skip", "projection"}) call.arguments.erase(key);
  }
  return call;
}

std::string describe_tool_result(const ToolCall& call, const tools::ToolResult& result) {
  if (!result.ok) return "The query failed: " + result.error;
  auto& v = result.value.as_object();
  std::string collection(call.arguments.at("collection").as_string());
  if (call.name == "count_documents") {
    auto n = v.at("count").to_number<std::int64_t>();
    return "**" + std::to_string(n) + "** " + (n == 1 ? "document" : "documents") + " in " + collection + (n == 1 ? " matches." : " match.");
  }
  if (call.name == "distinct_values") {
    auto& values = v.at("values").as_array();
    std::string out = std::to_string(values.size()) + " distinct values of " + std::string(call.arguments.at("field").as_string()) + " in " + collection + ":";
    for (auto& x : values) out += "\n- " + (x.is_string() ? std::string(x.as_string()) : dump(x));
    return out;
  }
  const char* key = call.name == "aggregate" ? "results" : "documents";
  auto& docs_json = v.at(key).as_array();
  std::vector<json::value> docs(docs_json.begin(), docs_json.end());
  if (docs.empty()) return "No documents in " + collection + " match.";
  std::string more;
  if (v.contains("more"))
    more = call.name == "find_documents" ? " (more match: .countDocuments() counts them all)" : " (" + std::string(v.at("more").as_string()) + ")";
  std::string out = std::to_string(docs.size()) + (docs.size() == 1 ? " result" : " results") + " from " + collection + more + ":";
  auto columns = columns_of(docs, 7);
  std::vector<std::string> header;
  for (auto& c : columns) header.push_back(c);
  std::vector<std::vector<std::string>> rows;
  for (auto& d : docs) {
    std::vector<std::string> row;
    for (auto& c : columns) row.push_back(cell_text(d, c));
    rows.push_back(std::move(row));
  }
  return out + "\n\n" + markdown_table(header, rows);
}

}  // namespace pms::understanding
