#include "store/mongo/mongo_document_store.hpp"

#include "core/log.hpp"
#include "store/mongo/mongo_query.hpp"
#include "store/query/filter.hpp"
#include "store/query/pipeline.hpp"
#include "store/query/projection.hpp"
#include "store/query/query_error.hpp"
#include "store/query/sort_spec.hpp"
#include "store/query/value_compare.hpp"

#include <mongoc/mongoc.h>

#include <algorithm>
#include <utility>
#include <mutex>

namespace pms::store::mongo {

namespace {

// Owners for libmongoc's handles. (bson_t is over-aligned, which std::unique_ptr would ignore.)
class Bson {
 public:
  explicit Bson(bson_t* b) : b_(b) {}
  Bson(Bson&& o) noexcept : b_(std::exchange(o.b_, nullptr)) {}
  Bson(const Bson&) = delete;
  Bson& operator=(const Bson&) = delete;
  ~Bson() { bson_destroy(b_); }
  const bson_t* get() const { return b_; }

 private:
  bson_t* b_;
};
struct CursorDeleter {
  void operator()(mongoc_cursor_t* c) const { mongoc_cursor_destroy(c); }
};
using Cursor = std::unique_ptr<mongoc_cursor_t, CursorDeleter>;
struct CollectionDeleter {
  void operator()(mongoc_collection_t* c) const { mongoc_collection_destroy(c); }
};
using Collection = std::unique_ptr<mongoc_collection_t, CollectionDeleter>;
struct DatabaseDeleter {
  void operator()(mongoc_database_t* d) const { mongoc_database_destroy(d); }
};
using Database = std::unique_ptr<mongoc_database_t, DatabaseDeleter>;

Bson to_bson(const json::value& v) {
  auto text = dump(v);
  bson_error_t error;
  bson_t* b = bson_new_from_json(reinterpret_cast<const uint8_t*>(text.data()), static_cast<ssize_t>(text.size()), &error);
  if (!b) throw_query_error(std::string("cannot express the query in BSON: ") + error.message);
  return Bson(b);
}

constexpr std::uint32_t kMaxTimeMsExpired = 50;  // MongoDB's error code

}  // namespace

struct MongoDocumentStore::Driver {
  mongoc_uri_t* uri = nullptr;
  mongoc_client_pool_t* pool = nullptr;
  ~Driver() {
    if (pool) mongoc_client_pool_destroy(pool);
    if (uri) mongoc_uri_destroy(uri);
  }

  // A client from the pool for the duration of one query.
  struct Client {
    mongoc_client_pool_t* pool;
    mongoc_client_t* client;
    explicit Client(mongoc_client_pool_t* p) : pool(p), client(mongoc_client_pool_pop(p)) {}
    ~Client() { mongoc_client_pool_push(pool, client); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
  };
};

namespace {
// A failed operation as the error the store interface promises.
[[noreturn]] void fail(const bson_error_t& e, const std::string& location) {
  if (e.domain == MONGOC_ERROR_SERVER || e.domain == MONGOC_ERROR_QUERY) {
    if (e.code == kMaxTimeMsExpired)
      throw QueryTimeout(std::string("the query ran longer than the server's --query-timeout (MongoDB maxTimeMS) and was stopped: ") +
                         e.message);
    throw QueryError(std::string("MongoDB refused the query: ") + e.message);
  }
  throw StoreError("cannot use MongoDB at " + location + ": " + e.message);
}

// A client from the pool and one collection of the database, for one operation.
struct Handle {
  MongoDocumentStore::Driver::Client client;
  Collection coll;
  Handle(mongoc_client_pool_t* pool, const std::string& database, std::string_view collection)
      : client(pool), coll(mongoc_client_get_collection(client.client, database.c_str(), std::string(collection).c_str())) {}
};

// Every document of `cursor` through `to_value`, at most `cap` of them (more: QueryError saying
// `too_many`), polling `cancel` between documents.
template <class ToValue>
std::vector<json::value> drain(mongoc_cursor_t* cursor, std::size_t cap, const std::string& too_many, const CancelToken* cancel,
                               const std::string& location, ToValue&& to_value) {
  std::vector<json::value> out;
  const bson_t* doc = nullptr;
  while (mongoc_cursor_next(cursor, &doc)) {
    if (cancel && cancel->cancelled()) throw QueryCancelled();
    if (out.size() == cap) throw_query_error(too_many);
    out.push_back(to_value(doc));
  }
  bson_error_t error;
  if (mongoc_cursor_error(cursor, &error)) fail(error, location);
  return out;
}
}  // namespace

MongoDocumentStore::MongoDocumentStore(MongoOptions options) : options_(std::move(options)), driver_(std::make_unique<Driver>()) {
  static std::once_flag init;
  std::call_once(init, [] {
    mongoc_init();
    // The driver's own log (connection retries, ...) goes to ours, at debug level unless it is a problem.
    mongoc_log_set_handler(
        [](mongoc_log_level_t level, const char* domain, const char* message, void*) {
          auto lvl = level <= MONGOC_LOG_LEVEL_ERROR ? spdlog::level::err
                     : level == MONGOC_LOG_LEVEL_WARNING ? spdlog::level::warn
                                                         : spdlog::level::debug;
          spdlog::log(lvl, "mongoc {}: {}", domain, message);
        },
        nullptr);
  });
  bson_error_t error;
  driver_->uri = mongoc_uri_new_with_error(options_.uri.c_str(), &error);
  if (!driver_->uri) throw StoreError(std::string("invalid MongoDB URI: ") + error.message);
  // Fail fast when MongoDB is down (the driver's default waits 30 s per query).
  if (mongoc_uri_get_option_as_int32(driver_->uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 0) == 0)
    mongoc_uri_set_option_as_int32(driver_->uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 5000);
  location_ = "mongodb://";
  for (auto* h = mongoc_uri_get_hosts(driver_->uri); h; h = h->next) location_ += std::string(h->host_and_port) + (h->next ? "," : "");
  location_ += "/" + options_.database;
  driver_->pool = mongoc_client_pool_new(driver_->uri);
  if (!driver_->pool) throw StoreError("cannot create a MongoDB client for " + location_);
  mongoc_client_pool_set_error_api(driver_->pool, MONGOC_ERROR_API_VERSION_2);
  mongoc_client_pool_set_appname(driver_->pool, "pms-assistant");
}

MongoDocumentStore::~MongoDocumentStore() = default;

void MongoDocumentStore::check_redacted(const json::value& query) const {
  const auto& names = redacted_fields();
  if (names.empty()) return;
  auto names_redacted = [&](std::string_view path) {
    if (path.starts_with("$")) path.remove_prefix(1);
    while (!path.empty()) {
      auto dot = path.find('.');
      if (std::find(names.begin(), names.end(), path.substr(0, dot)) != names.end()) return true;
      if (dot == std::string_view::npos) break;
      path.remove_prefix(dot + 1);
    }
    return false;
  };
  auto walk = [&](auto&& self, const json::value& v) -> void {
    if (auto* s = v.if_string(); s && s->starts_with("$") && names_redacted(*s))
      throw_query_error("'" + std::string(*s) + "' is not available: the server keeps that field private");
    if (auto* o = v.if_object()) {
      for (auto& [k, x] : *o) {
        if (names_redacted(k)) throw_query_error("'" + std::string(k) + "' is not available: the server keeps that field private");
        self(self, x);
      }
    } else if (auto* a = v.if_array()) {
      for (auto& x : *a) self(self, x);
    }
  };
  walk(walk, query);
}

json::value MongoDocumentStore::to_value(const void* bson) const {
  std::size_t len = 0;
  char* text = bson_as_canonical_extended_json(static_cast<const bson_t*>(bson), &len);
  if (!text) throw StoreError("MongoDB returned a document that is not valid BSON");
  auto v = try_parse(std::string_view(text, len));
  bson_free(text);
  if (!v) throw StoreError("MongoDB returned a document that cannot be read as JSON");
  auto out = from_extended_json(*v, options_.values);
  redact(out);
  return out;
}

std::vector<CollectionInfo> MongoDocumentStore::list_collections() {
  Driver::Client c(driver_->pool);
  Database db(mongoc_client_get_database(c.client, options_.database.c_str()));
  auto opts = to_bson(json::object{{"filter", json::object{{"type", "collection"}}}, {"nameOnly", true}});
  Cursor cursor(mongoc_database_find_collections_with_opts(db.get(), opts.get()));
  std::vector<CollectionInfo> out;
  const bson_t* doc = nullptr;
  while (mongoc_cursor_next(cursor.get(), &doc)) {
    bson_iter_t it;
    if (bson_iter_init_find(&it, doc, "name") && BSON_ITER_HOLDS_UTF8(&it)) {
      std::string name = bson_iter_utf8(&it, nullptr);
      if (!name.starts_with("system.")) out.push_back({name, 0});
    }
  }
  bson_error_t error;
  if (mongoc_cursor_error(cursor.get(), &error)) fail(error, location_);
  auto opts_count = to_bson(json::object{{"maxTimeMS", max_time().count()}});
  for (auto& info : out) {
    Collection coll(mongoc_client_get_collection(c.client, options_.database.c_str(), info.name.c_str()));
    info.count = mongoc_collection_estimated_document_count(coll.get(), opts_count.get(), nullptr, nullptr, &error);
    if (info.count < 0) fail(error, location_);
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

bool MongoDocumentStore::has_collection(std::string_view name) {
  Driver::Client c(driver_->pool);
  Database db(mongoc_client_get_database(c.client, options_.database.c_str()));
  bson_error_t error{};
  bool has = mongoc_database_has_collection(db.get(), std::string(name).c_str(), &error);
  if (!has && error.code != 0) fail(error, location_);
  return has;
}

std::vector<json::value> MongoDocumentStore::find(const FindRequest& req, const CancelToken* cancel) {
  Filter::compile(req.filter);  // the same allowlist and errors as the embedded store
  Projection::compile(req.projection);
  SortSpec::compile(req.sort);
  if (req.skip < 0 || req.limit < 0) throw_query_error("skip and limit must not be negative");
  check_redacted(json::array{req.filter, req.projection, req.sort});
  auto cap = static_cast<std::int64_t>(options_.max_documents);
  json::object opts{{"maxTimeMS", max_time().count()}, {"limit", req.limit == 0 || req.limit > cap ? cap + 1 : req.limit}};
  if (req.skip > 0) opts["skip"] = req.skip;
  if (!req.projection.is_null()) opts["projection"] = req.projection;
  if (!req.sort.is_null()) opts["sort"] = req.sort;
  auto filter = to_bson(to_mongo_filter(req.filter, options_.values));
  auto opts_bson = to_bson(opts);
  Handle h(driver_->pool, options_.database, req.collection);
  Cursor cursor(mongoc_collection_find_with_opts(h.coll.get(), filter.get(), opts_bson.get(), nullptr));
  return drain(cursor.get(), options_.max_documents,
               "more than " + std::to_string(options_.max_documents) + " documents match: add a limit or narrow the filter",
               cancel, location_, [&](const bson_t* d) { return to_value(d); });
}

std::int64_t MongoDocumentStore::count(std::string_view collection, const json::value& filter, const CancelToken*) {
  Filter::compile(filter);
  check_redacted(filter);
  auto f = to_bson(to_mongo_filter(filter, options_.values));
  auto opts = to_bson(json::object{{"maxTimeMS", max_time().count()}});
  Handle h(driver_->pool, options_.database, collection);
  bson_error_t error;
  auto n = mongoc_collection_count_documents(h.coll.get(), f.get(), opts.get(), nullptr, nullptr, &error);
  if (n < 0) fail(error, location_);
  return n;
}

std::vector<json::value> MongoDocumentStore::distinct(std::string_view collection, std::string_view field,
                                                      const json::value& filter, const CancelToken*) {
  Filter::compile(filter);
  check_redacted(json::array{filter, json::string("$" + std::string(field))});
  auto cmd = to_bson(json::object{{"distinct", collection}, {"key", field}, {"query", to_mongo_filter(filter, options_.values)}});
  auto opts = to_bson(json::object{{"maxTimeMS", max_time().count()}});
  Handle h(driver_->pool, options_.database, collection);
  bson_t reply;  // initialised by the call, also when it fails
  bson_error_t error;
  bool ok = mongoc_collection_read_command_with_opts(h.coll.get(), cmd.get(), nullptr, opts.get(), &reply, &error);
  struct ReplyGuard {
    bson_t* b;
    ~ReplyGuard() { bson_destroy(b); }
  } guard{&reply};
  if (!ok) fail(error, location_);
  auto whole = to_value(&reply);
  std::vector<json::value> out;
  if (auto* values = whole.as_object().if_contains("values"); values && values->is_array())
    out.assign(values->get_array().begin(), values->get_array().end());
  std::sort(out.begin(), out.end(), ValueLess{});  // MongoDB does not sort them; the interface does
  out.erase(std::unique(out.begin(), out.end(), [](auto& a, auto& b) { return values_equal(a, b); }), out.end());
  return out;
}

std::vector<json::value> MongoDocumentStore::aggregate(std::string_view collection, const json::value& pipeline,
                                                       const CancelToken* cancel) {
  Pipeline::compile(pipeline);
  check_redacted(pipeline);
  return run_pipeline(collection, to_mongo_pipeline(pipeline, options_.values), cancel);
}

std::vector<json::value> MongoDocumentStore::sample(std::string_view collection, std::size_t n) {
  return run_pipeline(collection, json::array{json::object{{"$sample", json::object{{"size", n}}}}}, nullptr);
}

std::vector<json::value> MongoDocumentStore::run_pipeline(std::string_view collection, const json::value& stages,
                                                          const CancelToken* cancel) {
  auto pipeline = to_bson(json::object{{"pipeline", stages}});
  auto opts = to_bson(json::object{{"maxTimeMS", max_time().count()}});
  Handle h(driver_->pool, options_.database, collection);
  Cursor cursor(mongoc_collection_aggregate(h.coll.get(), MONGOC_QUERY_NONE, pipeline.get(), opts.get(), nullptr));
  return drain(cursor.get(), options_.max_documents,
               "the pipeline returns more than " + std::to_string(options_.max_documents) + " documents: add a $limit",
               cancel, location_, [&](const bson_t* d) { return to_value(d); });
}

}  // namespace pms::store::mongo
