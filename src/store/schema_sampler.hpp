#pragma once
// Describes a collection from a sample of its documents: every field path with its types, how
// often it is present, and for category-like fields (few short distinct values) those values with
// their counts. This is what tells a small model that state.name is "In Progress", not "in_progress".
#include "store/document_store.hpp"

namespace pms::store {

struct FieldSummary {
  std::string path;                // "state.name", "assignee.name" (arrays are traversed)
  std::vector<std::string> types;  // "string", "number", "bool", "date", "uuid", "object", "array", "null"
  std::int64_t present = 0;        // sampled documents that have the field
  bool categorical = false;
  std::vector<std::pair<json::value, std::int64_t>> values;  // most frequent first (categorical only)
  std::vector<json::value> examples;                          // a few values (non-categorical scalars)
};

struct CollectionSchema {
  std::string collection;
  std::int64_t total = 0;    // documents in the collection
  std::int64_t sampled = 0;  // documents looked at
  std::vector<FieldSummary> fields;
};

CollectionSchema sample_schema(DocumentStore& store, std::string_view collection, std::size_t sample_size = 300);

json::value to_json(const CollectionSchema& schema);

}  // namespace pms::store
