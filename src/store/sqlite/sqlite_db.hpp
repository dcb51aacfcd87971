#pragma once
// A thin RAII layer over the SQLite C API: connections, prepared statements, a pool of
// connections for concurrent readers (WAL mode), and transactions. Errors throw StoreError.
#include "store/document_store.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace pms::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind_blob(int index, std::string_view bytes);
  bool step();  // true while a row is available
  void run();   // steps a statement that returns no rows
  void reset();
  std::string_view text(int column) const;
  std::int64_t int64(int column) const;
  std::string_view blob(int column) const;
  // The column as JSON: a string, an integer or a double (null for NULL and blobs).
  json::value value(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
 public:
  // Waits up to `busy_timeout` for a database another connection or program has locked.
  Connection(const std::string& path, std::chrono::milliseconds busy_timeout);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  std::int64_t changes();
  std::int64_t last_insert_rowid();
  void set_busy_timeout(std::chrono::milliseconds t);  // rows changed by the last statement
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// Commits on commit(), rolls back if destroyed before.
class Transaction {
 public:
  explicit Transaction(Connection& c);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

// Several reads from one snapshot of the file, whatever other programs commit meanwhile (a
// deferred transaction, ended when it goes out of scope). Declare it before the statements.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& c);
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();

 private:
  Connection& conn_;
};

// Connections to one database file, handed out one per concurrent user.
class ConnectionPool {
 public:
  explicit ConnectionPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> c) : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> conn_;
  };

  Lease acquire();
  const std::string& path() const { return path_; }
  // How long connections handed out from now on wait for a locked database.
  void set_busy_timeout(std::chrono::milliseconds t) { busy_timeout_ms_ = t.count(); }

 private:
  std::string path_;
  std::atomic<std::int64_t> busy_timeout_ms_{10000};
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace pms::store::sqlite
