// The MongoDB backend without a MongoDB: what it does before and instead of reaching a server.
// (What it answers is pinned down with a real server by conformance_test.cpp.)
#include "store/mongo/mongo_document_store.hpp"
#include "store/query/query_error.hpp"

#include <gtest/gtest.h>

#include <chrono>

using namespace pms;
using namespace pms::store;
using namespace pms::store::mongo;

namespace {

// Nothing listens on port 1 of the loopback: connections are refused at once.
MongoOptions unreachable() { return {"mongodb://app:s3cret@127.0.0.1:1/?serverSelectionTimeoutMS=300", "ProjectManagement", {}}; }

TEST(MongoDocumentStore, AMalformedUriIsRefusedAtOnce) {
  try {
    MongoDocumentStore store({"http://not-mongo", "ProjectManagement", {}});
    FAIL() << "expected a StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("invalid MongoDB URI"), std::string::npos) << e.what();
  }
}

TEST(MongoDocumentStore, StartsWithoutAServerAndSaysWhereItCouldNotConnect) {
  MongoDocumentStore store(unreachable());  // no connection yet
  EXPECT_EQ(store.backend(), "mongodb");
  EXPECT_EQ(store.location(), "mongodb://127.0.0.1:1/ProjectManagement");  // no credentials
  auto start = std::chrono::steady_clock::now();
  try {
    store.count("workItem", json::object{});
    FAIL() << "expected a StoreError";
  } catch (const StoreError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("cannot use MongoDB at mongodb://127.0.0.1:1/ProjectManagement"), std::string::npos) << m;
    EXPECT_EQ(m.find("s3cret"), std::string::npos) << m;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_THROW(store.list_collections(), StoreError);
}

TEST(MongoDocumentStore, RefusesWhatTheEmbeddedStoreRefusesBeforeConnecting) {
  MongoDocumentStore store(unreachable());
  store.set_redacted_fields({"email"});
  EXPECT_THROW(store.count("c", json::parse(R"({"$where": "1"})")), QueryError);
  EXPECT_THROW(store.aggregate("c", json::parse(R"([{"$merge": {"into": "x"}}])")), QueryError);
  EXPECT_THROW(store.find({"c", json::parse(R"({"a": {"$foo": 1}})"), nullptr, nullptr, 0, 0}), QueryError);
  // Redacted fields cannot be matched on (MongoDB would), nor grouped or projected.
  EXPECT_THROW(store.count("members", json::parse(R"({"email": {"$regex": "^a"}})")), QueryError);
  EXPECT_THROW(store.aggregate("members", json::parse(R"([{"$group": {"_id": "$manager.email"}}])")), QueryError);
  EXPECT_THROW(store.distinct("members", "email", nullptr), QueryError);
}

}  // namespace
