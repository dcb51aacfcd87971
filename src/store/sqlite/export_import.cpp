#include "store/sqlite/export_import.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

namespace pms::store::sqlite {

namespace fs = std::filesystem;

namespace {

std::string collection_of(const fs::path& file) {
  auto stem = file.stem().string();
  auto dot = stem.rfind('.');
  return dot == std::string::npos ? stem : stem.substr(dot + 1);
}

// Letters (any script), digits, '_' and '-', as mongoexport's file names carry them; anything else
// in the part a name is taken from ("x..json": nothing) is a file that was not named for import.
bool sensible_collection_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) || c == '_' || c == '-';
  });
}

void check_collections(const std::vector<ExportFile>& files, bool named) {
  for (auto& f : files) {
    if (named) {
      bool ok = !f.collection.empty() && std::none_of(f.collection.begin(), f.collection.end(), [](char c) {
        return c == '$' || static_cast<unsigned char>(c) < 0x20;
      });
      if (!ok) throw std::runtime_error("--collection '" + f.collection + "' is not a collection name (it must not be empty or hold '$' or control characters)");
    } else if (!sensible_collection_name(f.collection)) {
      throw std::runtime_error("cannot tell the collection from the file name '" + f.path + "' (its part after the last dot before \".json\" is \"" +
                               f.collection + "\"; a collection name needs letters, digits, '_' or '-'): rename the file or import it alone with --collection <name>");
    }
  }
}

// The path of the first number in `v` no double holds (1e999 reads as infinity), if there is one.
std::optional<std::string> out_of_range_number(const json::value& v, const std::string& path) {
  if (v.is_double() && !std::isfinite(v.get_double())) return path.empty() ? std::string("(the document)") : path;
  if (v.is_object()) {
    for (auto& [k, member] : v.get_object())
      if (auto p = out_of_range_number(member, path.empty() ? std::string(k) : path + "." + std::string(k))) return p;
  } else if (v.is_array()) {
    std::size_t i = 0;
    for (auto& e : v.get_array())
      if (auto p = out_of_range_number(e, path + "." + std::to_string(i++))) return p;
  }
  return std::nullopt;
}

// One document: an object, converted from Extended JSON; `where` is "<file>:<line>" or
// "<file>: document N" for the error message.
json::value stored_document(const json::value& v, const ExtendedJsonOptions& options, const std::string& where) {
  if (!v.is_object()) throw std::runtime_error(where + ": not a JSON document (an object)");
  try {
    auto doc = from_extended_json(v, options);
    if (!doc.get_object().contains("_id")) throw std::runtime_error("the document has no _id");
    if (auto path = out_of_range_number(doc, ""))
      throw std::runtime_error("the number at '" + *path + "' is out of range (beyond what a double holds, about ±1.8e308)");
    return doc;
  } catch (const std::exception& e) {
    throw std::runtime_error(where + ": " + e.what());
  }
}

}  // namespace

std::vector<ExportFile> export_files(const std::vector<std::string>& paths, const std::string& collection) {
  std::vector<ExportFile> out;
  for (auto& p : paths) {
    fs::path path(p);
    if (fs::is_directory(path)) {
      std::vector<fs::path> found;
      for (auto& e : fs::directory_iterator(path))
        if (e.is_regular_file() && e.path().extension() == ".json") found.push_back(e.path());
      std::sort(found.begin(), found.end());
      if (found.empty()) throw std::runtime_error("'" + p + "' holds no .json files");
      for (auto& f : found) out.push_back({f.string(), collection_of(f)});
    } else if (fs::is_regular_file(path)) {
      out.push_back({p, collection_of(path)});
    } else {
      throw std::runtime_error("'" + p + "' is neither a file nor a folder");
    }
  }
  if (!collection.empty()) {
    if (out.size() != 1) throw std::runtime_error("--collection names the collection of one file; " + std::to_string(out.size()) + " were given");
    out[0].collection = collection;
  }
  check_collections(out, !collection.empty());
  return out;
}

std::vector<json::value> read_export_file(const std::string& path, const ExtendedJsonOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<json::value> docs;
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    json::parser parser;
    boost::system::error_code ec;
    auto consumed = parser.write(text.data(), text.size(), ec);  // up to the error, if any
    if (ec) {
      auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(consumed, text.size())), '\n');
      throw std::runtime_error(path + ":" + std::to_string(line) + ": not valid JSON: " + ec.message());
    }
    std::size_t i = 0;
    auto all = parser.release();
    for (auto& d : all.as_array()) docs.push_back(stored_document(d, options, path + ": document " + std::to_string(++i)));
    return docs;
  }
  std::size_t line_no = 0, start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    auto where = path + ":" + std::to_string(++line_no);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      std::string err;
      auto v = try_parse(line, &err);
      if (!v) throw std::runtime_error(where + ": not valid JSON: " + err);
      docs.push_back(stored_document(*v, options, where));
    }
    start = end + 1;
  }
  return docs;
}

std::vector<ImportedCollection> import_exports(SqliteDocumentStore& store, const std::vector<ExportFile>& files,
                                               const ExtendedJsonOptions& options) {
  // Everything is read and checked before the first write.
  std::vector<std::vector<json::value>> contents;
  for (auto& f : files) contents.push_back(read_export_file(f.path, options));
  std::vector<std::string> replaced;
  for (auto& f : files)
    if (std::find(replaced.begin(), replaced.end(), f.collection) == replaced.end()) replaced.push_back(f.collection);
  SqliteDocumentStore::BulkWriter writer(store, replaced);
  for (std::size_t i = 0; i < files.size(); ++i)
    for (auto& d : contents[i]) writer.insert(files[i].collection, d);
  writer.commit();
  // Counted after the write: documents repeated under one _id were stored once.
  std::vector<ImportedCollection> out;
  for (auto& c : store.list_collections())
    if (std::find(replaced.begin(), replaced.end(), c.name) != replaced.end()) out.push_back({c.name, static_cast<std::size_t>(c.count)});
  return out;
}

}  // namespace pms::store::sqlite
