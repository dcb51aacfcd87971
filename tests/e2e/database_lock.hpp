#pragma once
// Another program holding the write lock of a database file (a long import, say), as the tests of
// a locked database need it: taken when constructed, released when destroyed.
#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace pms::testing {

class DatabaseWriteLock {
 public:
  explicit DatabaseWriteLock(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open " + path);
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES('lock', 'x');", nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::string why = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw std::runtime_error("cannot lock " + path + ": " + why);
    }
  }
  ~DatabaseWriteLock() { release(); }
  DatabaseWriteLock(const DatabaseWriteLock&) = delete;
  DatabaseWriteLock& operator=(const DatabaseWriteLock&) = delete;

  void release() {
    if (!db_) return;
    sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace pms::testing
