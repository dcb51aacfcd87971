#pragma once
// Imports `mongoexport` output into the embedded store: a JSON array or one document per line, in
// canonical or relaxed Extended JSON (store/extended_json.hpp). All files go in one transaction:
// a bad file leaves the database as it was, and the error names the file and the line (or the
// document's position in an array). Each collection imported is replaced, so importing the same
// export twice never duplicates a document.
#include "store/extended_json.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <string>
#include <vector>

namespace pms::store::sqlite {

struct ExportFile {
  std::string path;
  std::string collection;
};

// The files to import for the paths a user named: files as they are, folders as their *.json
// files (sorted by name). The collection is `collection` when given (a single file only), else
// the file name's last part before ".json": "ProjectManagement.workItem.json" -> "workItem".
// Throws std::runtime_error for a missing path, --collection with several files, or a file name
// that gives no sensible collection name ("x..json": empty; other than letters, digits, '_', '-').
std::vector<ExportFile> export_files(const std::vector<std::string>& paths, const std::string& collection = {});

// Reads one export file into stored documents. Throws std::runtime_error("<file>:<line>: ...")
// for what cannot be stored, such as a number no double holds (1e999).
std::vector<json::value> read_export_file(const std::string& path, const ExtendedJsonOptions& options = {});

struct ImportedCollection {
  std::string collection;
  std::size_t documents = 0;
};

// Reads every file, then writes them all in one transaction. Returns the collections written.
std::vector<ImportedCollection> import_exports(SqliteDocumentStore& store, const std::vector<ExportFile>& files,
                                               const ExtendedJsonOptions& options = {});

}  // namespace pms::store::sqlite
