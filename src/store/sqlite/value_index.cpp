#include "store/sqlite/value_index.hpp"

#include "store/query/projection.hpp"
#include "store/query/value_compare.hpp"

#include <algorithm>
#include <cmath>

namespace pms::store::sqlite {

std::vector<std::string> default_indexed_paths() {
  return {"business._id", "project._id", "project.name", "state.name", "priority", "status", "assignee._id",
          "assignee.name", "label.name", "cycle._id", "cycle.name", "modules._id", "modules.name", "epic._id",
          "epic.name", "createdTimeStamp", "name", "displayBugNo", "projectDisplayId", "role", "createdBy.name",
          "lead.name", "stateMaster.name", "business.name", "type", "visibility", "access", "title",
          "updatedTimeStamp", "startDate", "endDate", "joiningDate", "estimate", "updatedBy.name", "feature.name",
          "userStory.name"};
}

std::optional<ValueIndex::Bind> ValueIndex::key(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double() && !std::isnan(v.get_double())) return v.get_double();  // SQLite would store NaN as NULL
  return std::nullopt;
}

bool ValueIndex::same_key(const json::value& a, const json::value& b) {
  if (a.is_string() || b.is_string()) return a.is_string() && b.is_string() && a.get_string() == b.get_string();
  if (a.is_double() && b.is_double()) return a.get_double() == b.get_double();
  // Exact like SQLite's own comparison: an integer equals a double only when the double is that integer.
  auto x = exact_int64(a), y = exact_int64(b);
  return x && y && *x == *y;
}

ValueIndex::ValueIndex(std::vector<std::string> paths) : paths_(std::move(paths)) {
  for (auto& p : paths_) fields_.emplace_back(p);
}

ValueIndex::Marks::Marks(Connection& conn)
    : mixed(conn.prepare("INSERT OR IGNORE INTO doc_value_mixed(collection, path) VALUES (?1, ?2)")),
      unindexed(conn.prepare("INSERT OR IGNORE INTO doc_value_unindexed(collection, path) VALUES (?1, ?2)")) {}

void ValueIndex::write_rows(Statement& st, Marks& marks, std::string_view collection, std::int64_t seq,
                     const json::value& doc) const {
  std::vector<const json::value*> reached;
  for (auto& field : fields_) {
    const std::string& path = field.dotted();
    reached.clear();
    field.collect(doc, reached);
    // A $group key is the value read without array traversal: one indexed scalar, or nothing at all.
    const json::value* direct = field.lookup(doc);
    bool single = direct && !direct->is_null()
                      ? key(*direct).has_value()
                      : std::none_of(reached.begin(), reached.end(), [](auto* r) { return r && !r->is_null(); });
    auto mark = [&](Statement& table) {
      table.bind(1, collection).bind(2, path);
      table.run();
    };
    if (!single) mark(marks.mixed);
    bool unindexed = false;
    auto put = [&](const json::value& v) {
      auto b = key(v);
      if (!b) {
        if (!unindexed) mark(marks.unindexed);
        unindexed = true;
        return;
      }
      st.bind(1, collection).bind(2, path).bind(4, seq);
      bind_key(st, 3, *b);
      st.run();
    };
    for (auto* r : reached) {
      if (!r) continue;
      if (auto* a = r->if_array()) {
        for (auto& el : *a) put(el);
      } else {
        put(*r);
      }
    }
  }
}

bool ValueIndex::covers(std::string_view path, const std::vector<std::string>& hidden) const {
  if (path.starts_with("$") || std::find(paths_.begin(), paths_.end(), path) == paths_.end()) return false;
  auto parts = split_path(path);
  return std::none_of(parts.begin(), parts.end(),
                      [&](auto& p) { return std::find(hidden.begin(), hidden.end(), p) != hidden.end(); });
}

void bind_key(Statement& st, int index, const ValueIndex::Bind& value) {
  std::visit([&](auto& x) { st.bind(index, x); }, value);
}

}  // namespace pms::store::sqlite
