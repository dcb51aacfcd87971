#include "store/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <iterator>

namespace pms::store::sqlite {

namespace {
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  if (db && (sqlite3_errcode(db) == SQLITE_BUSY || sqlite3_errcode(db) == SQLITE_LOCKED))
    throw StoreError(std::string(what) + ": the database file is locked by another program (a long write, or a copy in progress); try again when it is done");
  throw StoreError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}
}  // namespace

Statement::Statement(Connection& owner, sqlite3_stmt* stmt) : db_(owner.handle()), stmt_(stmt), owner_(&owner) {}

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), owner_(o.owner_) { o.stmt_ = nullptr; }

Statement::~Statement() {
  if (stmt_) owner_->give_back(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "SQLite bind failed");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_, "SQLite bind failed");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "SQLite bind failed");
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK) fail(db_, "SQLite bind failed");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "SQLite query failed");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string_view Statement::blob(int column) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
}

json::value Statement::value(int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER: return sqlite3_column_int64(stmt_, column);
    case SQLITE_FLOAT: return sqlite3_column_double(stmt_, column);
    case SQLITE_TEXT: return json::string(text(column));
    default: return nullptr;
  }
}

Connection::Connection(const std::string& path, std::chrono::milliseconds busy_timeout) : wal_path_(path + "-wal") {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = "cannot open database '" + path + "': " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    throw StoreError(msg);
  }
  set_busy_timeout(busy_timeout);
  // Reads through a memory map (no copy per page; SQLite caps it at 2 GiB by default) and a 64 MiB page cache per connection.
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA mmap_size=2147418112; PRAGMA cache_size=-65536;");
  // A WAL that was written back and started over is cut to this size rather than kept at its largest.
  exec("PRAGMA journal_size_limit=" + std::to_string(kWalSizeLimit));
}

void Connection::bound_wal() {
  std::error_code ec;
  auto size = std::filesystem::file_size(wal_path_, ec);
  // A checkpoint cannot run while this connection still reads (a statement not reset).
  if (ec || size <= kWalSizeLimit || !sqlite3_get_autocommit(db_)) return;
  for (auto* st = sqlite3_next_stmt(db_, nullptr); st; st = sqlite3_next_stmt(db_, st))
    if (sqlite3_stmt_busy(st)) return;
  // Readers get a moment to finish; one that is still reading then leaves it for the next commit.
  sqlite3_busy_timeout(db_, static_cast<int>(kWalCheckpointWait.count()));
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
}

Connection::~Connection() {
  for (auto* st : cached_) sqlite3_finalize(st);
  sqlite3_close(db_);
}

Statement Connection::prepare(std::string_view sql) {
  for (auto it = cached_.rbegin(); it != cached_.rend(); ++it) {
    if (sql == sqlite3_sql(*it)) {
      auto* st = *it;
      cached_.erase(std::next(it).base());
      return Statement(*this, st);
    }
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
    fail(db_, "SQLite prepare failed");
  return Statement(*this, st);
}

void Connection::give_back(sqlite3_stmt* stmt) {
  // Reset, a statement holds no read lock and no bindings into memory the caller has freed.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  cached_.push_back(stmt);
  if (cached_.size() > kCachedStatements) {
    sqlite3_finalize(cached_.front());
    cached_.erase(cached_.begin());
  }
}

void Connection::exec(std::string_view sql) {
  std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(db_, "SQLite");
}

void Connection::set_busy_timeout(std::chrono::milliseconds t) {
  busy_timeout_ms_ = static_cast<int>(std::min<std::int64_t>(t.count(), INT32_MAX));
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
}

std::int64_t Connection::changes() { return sqlite3_changes(db_); }

std::int64_t Connection::last_insert_rowid() { return sqlite3_last_insert_rowid(db_); }

// Prepared once per connection, like any statement: a turn saves in a transaction of its own.
Transaction::Transaction(Connection& c) : conn_(c) { conn_.prepare("BEGIN IMMEDIATE").run(); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      conn_.prepare("ROLLBACK").run();
    } catch (...) {
    }
  }
}

ReadSnapshot::ReadSnapshot(Connection& c) : conn_(c) { conn_.prepare("BEGIN DEFERRED").run(); }

ReadSnapshot::~ReadSnapshot() {
  try {
    conn_.prepare("COMMIT").run();  // nothing was written: this only lets the snapshot go
  } catch (...) {
  }
}

void Transaction::commit() {
  conn_.prepare("COMMIT").run();
  done_ = true;
  conn_.bound_wal();
}

ConnectionPool::Lease::~Lease() {
  if (!conn_) return;

  std::lock_guard lock(pool_.mutex_);
  pool_.idle_.push_back(std::move(conn_));
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_ptr<Connection> c;
  auto busy_timeout = std::chrono::milliseconds(busy_timeout_ms_.load());
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (c) c->set_busy_timeout(busy_timeout);  // the timeout may have changed since it was last used
  else c = std::make_unique<Connection>(path_, busy_timeout);
  return Lease(*this, std::move(c));
}

// SQLite calls the handler every kProgressSteps virtual-machine instructions (a few microseconds).
constexpr int kProgressSteps = 1000;

StatementBudget::StatementBudget(Connection& conn, QueryBudget& budget) : conn_(conn), budget_(budget) {
  sqlite3_progress_handler(conn_.handle(), kProgressSteps, &StatementBudget::on_progress, this);
}

StatementBudget::~StatementBudget() { sqlite3_progress_handler(conn_.handle(), 0, nullptr, nullptr); }

int StatementBudget::on_progress(void* self) {
  auto& me = *static_cast<StatementBudget*>(self);
  if (me.stopped_) return 1;
  try {
    me.budget_.spend();
  } catch (...) {
    me.stopped_ = std::current_exception();  // an exception must not cross SQLite's C frames
    return 1;
  }
  return 0;
}

}  // namespace pms::store::sqlite
