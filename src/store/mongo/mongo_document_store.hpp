#pragma once
// The PMS's own MongoDB as the document store (libmongoc). Queries are checked against the same
// read-only allowlist as the embedded store (same errors), translated so the model's UUID and
// date strings match what MongoDB stores (mongo_query.hpp), run with maxTimeMS = max_time(), and
// their results come back as the values the model sees (extended_json.hpp). Construction does not
// connect: the server starts while MongoDB is down, and every query tries again.
// Errors: QueryError (refused by the allowlist or by MongoDB), QueryTimeout (maxTimeMS),
// StoreError (MongoDB unreachable, authentication failed, ...), all with MongoDB's own message.
#include "store/document_store.hpp"
#include "store/extended_json.hpp"

#include <memory>

namespace pms::store::mongo {

struct MongoOptions {
  std::string uri;                                     // mongodb://user:pass@host:27017/?replicaSet=...
  std::string database = "ProjectManagement";
  ExtendedJsonOptions values;                          // how binary subtype 3 UUIDs are read and matched
  std::size_t max_documents = 50000;                   // most documents one query may return
};

class MongoDocumentStore : public DocumentStore {
 public:
  // Throws StoreError for a URI that cannot be parsed.
  explicit MongoDocumentStore(MongoOptions options);
  ~MongoDocumentStore() override;

  std::string backend() const override { return "mongodb"; }
  std::string database_name() const override { return options_.database; }
  std::string location() const override { return location_; }  // hosts and database, no credentials

  std::vector<CollectionInfo> list_collections() override;
  bool has_collection(std::string_view name) override;
  std::vector<json::value> find(const FindRequest& req, const CancelToken* cancel = nullptr) override;
  std::int64_t count(std::string_view collection, const json::value& filter, const CancelToken* cancel = nullptr) override;
  std::vector<json::value> distinct(std::string_view collection, std::string_view field, const json::value& filter,
                                    const CancelToken* cancel = nullptr) override;
  std::vector<json::value> aggregate(std::string_view collection, const json::value& pipeline,
                                     const CancelToken* cancel = nullptr) override;
  std::vector<json::value> sample(std::string_view collection, std::size_t n) override;

  struct Driver;  // libmongoc's pool and URI, kept out of this header

 private:
  // Refuses queries that name a redacted field: MongoDB would match on it.
  void check_redacted(const json::value& query) const;
  json::value to_value(const void* bson) const;
  // Runs stages already translated for MongoDB.
  std::vector<json::value> run_pipeline(std::string_view collection, const json::value& stages, const CancelToken* cancel);
  MongoOptions options_;
  std::string location_;
  std::unique_ptr<Driver> driver_;
};

}  // namespace pms::store::mongo
