#pragma once
// A thin RAII layer over the SQLite C API: connections, prepared statements, a pool of
// connections for concurrent readers (WAL mode), and transactions. Errors throw StoreError.
#include "store/document_store.hpp"
#include "store/query/query_budget.hpp"

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

class Connection;

// A prepared statement, made by Connection::prepare and given back to it when destroyed.
class Statement {
 public:
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
  friend class Connection;
  Statement(Connection& owner, sqlite3_stmt* stmt);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;  // null once moved from
  Connection* owner_;             // gets the statement back when this is destroyed
};

// Every commit checkpoints the WAL without waiting (SQLite's auto-checkpoint), which readers that
// keep overlapping can hold off for ever. Past this size a committed Transaction also truncates it,
// waiting up to kWalCheckpointWait for readers: the WAL stays near this size, whatever the load.
inline constexpr std::int64_t kWalSizeLimit = 16 << 20;
inline constexpr std::chrono::milliseconds kWalCheckpointWait{100};

class Connection {
 public:
  // Waits up to `busy_timeout` for a database another connection or program has locked.
  Connection(const std::string& path, std::chrono::milliseconds busy_timeout);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  void exec(std::string_view sql);
  // Reuses the statement last prepared with the same text, if it is not in use: preparing was a
  // twentieth of a chat turn's work (a conversation's load and append run the same few statements).
  Statement prepare(std::string_view sql);
  std::int64_t changes();  // rows changed by the last statement
  std::int64_t last_insert_rowid();
  void set_busy_timeout(std::chrono::milliseconds t);
  sqlite3* handle() { return db_; }
  // Truncates the WAL once it has grown past kWalSizeLimit (see there); does nothing inside a
  // transaction or while a statement of this connection is still reading.
  void bound_wal();

 private:
  friend class Statement;
  void give_back(sqlite3_stmt* stmt);  // reset, kept for reuse (the oldest finalized past kCachedStatements)
  static constexpr std::size_t kCachedStatements = 32;

  sqlite3* db_ = nullptr;
  std::string wal_path_;
  int busy_timeout_ms_ = 0;
  std::vector<sqlite3_stmt*> cached_;  // idle prepared statements, most recently used last
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

// While alive, SQLite's own work on `conn` (a GROUP BY over the index, say: one statement that no
// loop of ours steps through) spends `budget`, and is interrupted once the budget says stop. run()
// then throws the budget's error (QueryTimeout, QueryCancelled) instead of SQLite's "interrupted".
class StatementBudget {
 public:
  StatementBudget(Connection& conn, QueryBudget& budget);
  StatementBudget(const StatementBudget&) = delete;
  StatementBudget& operator=(const StatementBudget&) = delete;
  ~StatementBudget();

  template <class F>
  auto run(F&& steps) {
    try {
      return steps();
    } catch (const StoreError&) {
      if (stopped_) std::rethrow_exception(stopped_);
      throw;
    }
  }

 private:
  static int on_progress(void* self);
  Connection& conn_;
  QueryBudget& budget_;
  std::exception_ptr stopped_;
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
