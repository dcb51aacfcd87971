#include "store/sqlite/posting_lists.hpp"

#include <cstdint>
#include <limits>

namespace pms::store::sqlite {

namespace {

std::string serialized(DocumentSet& set) {
  set.runOptimize();
  std::string bytes(set.getSizeInBytes(), '\0');
  set.write(bytes.data());
  return bytes;
}

DocumentSet deserialized(std::string_view bytes) {
  try {
    return DocumentSet::readSafe(bytes.data(), bytes.size());
  } catch (const std::exception&) {
    throw StoreError("the value index's document sets in this file are damaged: import the collection again (pms-data import) to rebuild them");
  }
}

DocumentSet seqs_of(Statement& st, QueryBudget& budget) {
  DocumentSet out;
  while (st.step()) {
    budget.spend();
    out.add(static_cast<std::uint32_t>(st.int64(0)));
  }
  return out;
}

}  // namespace

void PostingLists::rebuild(Connection& conn, std::string_view collection, std::int64_t min_documents) {
  for (auto sql : {"DELETE FROM doc_sets WHERE collection = ?1", "DELETE FROM doc_postings WHERE collection = ?1",
                   "DELETE FROM doc_ranges WHERE collection = ?1"})
    conn.prepare(sql).bind(1, collection).run();
  DocumentSet all;
  auto documents = conn.prepare("SELECT seq FROM documents WHERE collection = ?1");
  documents.bind(1, collection);
  while (documents.step()) {
    auto seq = documents.int64(0);
    if (seq < 0 || seq > std::numeric_limits<std::uint32_t>::max()) return;
    all.add(static_cast<std::uint32_t>(seq));
  }
  if (all.isEmpty()) return;
  auto put_set = conn.prepare("INSERT INTO doc_sets(collection, path, documents, unposted, bits) VALUES (?1, ?2, ?3, ?4, ?5)");
  auto write_set = [&](std::string_view path, DocumentSet& set, std::int64_t unposted) {
    put_set.bind(1, collection).bind(2, path).bind(3, static_cast<std::int64_t>(set.cardinality())).bind(4, unposted);
    put_set.bind_blob(5, serialized(set));
    put_set.run();
  };
  write_set("", all, 0);

  // One pass over the collection's index rows in (path, value, seq) order: the index's own order.
  auto put_posting = conn.prepare("INSERT INTO doc_postings(collection, path, value, documents, bits) VALUES (?1, ?2, ?3, ?4, ?5)");
  auto rows = conn.prepare("SELECT path, value, seq FROM doc_values WHERE collection = ?1 ORDER BY path, value, seq");
  rows.bind(1, collection);
  auto put_range = conn.prepare("INSERT INTO doc_ranges(collection, path, start, bits) VALUES (?1, ?2, ?3, ?4)");
  std::string path;
  json::value value;
  DocumentSet path_documents, value_documents;
  std::int64_t unposted = 0;
  // The path's runs, kept until its end: written only when all its values are of one kind.
  std::vector<std::pair<json::value, DocumentSet>> runs;
  std::int64_t run_rows = 0;
  bool strings = false, numbers = false;
  auto end_value = [&] {
    auto n = static_cast<std::int64_t>(value_documents.cardinality());
    if (n > 0 && n >= min_documents) {
      put_posting.bind(1, collection).bind(2, path).bind(4, n);
      bind_key(put_posting, 3, *ValueIndex::key(value));
      put_posting.bind_blob(5, serialized(value_documents));
      put_posting.run();
    } else if (n > 0) {
      ++unposted;
    }
    value_documents = DocumentSet();
  };
  auto end_path = [&] {
    end_value();
    if (!path.empty()) write_set(path, path_documents, unposted);
    if (runs.size() > 1 && !(strings && numbers)) {
      for (auto& [start, documents] : runs) {
        put_range.bind(1, collection).bind(2, path);
        bind_key(put_range, 3, *ValueIndex::key(start));
        put_range.bind_blob(4, serialized(documents));
        put_range.run();
      }
    }
    path_documents = DocumentSet();
    unposted = 0;
    runs.clear();
    run_rows = 0;
    strings = numbers = false;
  };
  while (rows.step()) {
    bool fresh = true;  // the first row of a value
    if (rows.text(0) != path) {
      end_path();
      path = rows.text(0);
      value = rows.value(1);
    } else if (auto v = rows.value(1); !ValueIndex::same_key(v, value)) {
      end_value();
      value = std::move(v);
    } else {
      fresh = false;
    }
    // A new run starts at a new value once the current one has its rows.
    if (fresh) {
      if (runs.empty() || run_rows >= kRangeRows) {
        runs.emplace_back(value, DocumentSet());
        run_rows = 0;
      }
      (value.is_string() ? strings : numbers) = true;
    }
    auto seq = static_cast<std::uint32_t>(rows.int64(2));
    value_documents.add(seq);
    path_documents.add(seq);
    runs.back().second.add(seq);
    ++run_rows;
  }
  end_path();
}

std::optional<DocumentSet> PostingLists::all() {
  auto path = this->path("");
  if (!path) return std::nullopt;
  return std::move(path->documents);
}

std::optional<PathDocuments> PostingLists::path(std::string_view path) {
  auto st = conn_.prepare("SELECT bits, unposted FROM doc_sets WHERE collection = ?1 AND path = ?2");
  st.bind(1, collection_).bind(2, path);
  if (!st.step()) return std::nullopt;
  return PathDocuments{deserialized(st.blob(0)), st.int64(1)};
}

DocumentSet PostingLists::equal(std::string_view path, const ValueIndex::Bind& value) {
  auto posting = conn_.prepare("SELECT bits FROM doc_postings WHERE collection = ?1 AND path = ?2 AND value = ?3");
  posting.bind(1, collection_).bind(2, path);
  bind_key(posting, 3, value);
  if (posting.step()) return deserialized(posting.blob(0));
  auto rows = conn_.prepare("SELECT seq FROM doc_values WHERE collection = ?1 AND path = ?2 AND value = ?3");
  rows.bind(1, collection_).bind(2, path);
  bind_key(rows, 3, value);
  return seqs_of(rows, budget_);
}

DocumentSet PostingLists::range(std::string_view path, const ValueRange& range) {
  auto rows = [&](const ValueRange& r) {
    auto st = conn_.prepare("SELECT seq FROM doc_values WHERE collection = ?1 AND path = ?2" + r.sql(3));
    st.bind(1, collection_).bind(2, path);
    r.bind(st, 3);
    return seqs_of(st, budget_);
  };
  std::vector<json::value> starts;
  auto runs = conn_.prepare("SELECT start FROM doc_ranges WHERE collection = ?1 AND path = ?2 ORDER BY start");
  runs.bind(1, collection_).bind(2, path);
  while (runs.step()) starts.push_back(runs.value(0));
  // Run i holds the values in [starts[i], starts[i + 1]): inside when its start meets the lower
  // bound and the next start the upper one (the last run only when there is no upper bound).
  std::optional<std::size_t> first, last;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    bool inside = range.above_lower(starts[i]) &&
                  (i + 1 < starts.size() ? range.below_upper(starts[i + 1]) : !range.upper && range.below_upper(starts[i]));
    if (inside) {
      if (!first) first = i;
      last = i;
    }
  }
  if (!first) return rows(range);
  auto inside = conn_.prepare("SELECT bits FROM doc_ranges WHERE collection = ?1 AND path = ?2 AND start >= ?3 AND start <= ?4");
  inside.bind(1, collection_).bind(2, path);
  bind_key(inside, 3, *ValueIndex::key(starts[*first]));
  bind_key(inside, 4, *ValueIndex::key(starts[*last]));
  DocumentSet out;
  while (inside.step()) {
    budget_.spend();
    out |= deserialized(inside.blob(0));
  }
  // The ends: the range's values before the first run inside, and from the run after the last.
  ValueRange before = range;
  before.upper = ValueRange::Bound{*ValueIndex::key(starts[*first]), false};
  out |= rows(before);
  if (*last + 1 < starts.size()) {
    ValueRange after = range;
    after.lower = ValueRange::Bound{*ValueIndex::key(starts[*last + 1]), true};
    out |= rows(after);
  }
  return out;
}

bool PostingLists::marked(std::string_view table, std::string_view path) {
  auto st = conn_.prepare("SELECT 1 FROM " + std::string(table) + " WHERE collection = ?1 AND path = ?2");
  st.bind(1, collection_).bind(2, path);
  return st.step();
}

DocumentSet PostingLists::matching(std::string_view path, const std::function<bool(const json::value&)>& accept) {
  DocumentSet out;
  auto documents = this->path(path);
  if (!documents) return out;  // no document holds a value there
  if (documents->unposted == 0) {
    auto st = conn_.prepare("SELECT value, bits FROM doc_postings WHERE collection = ?1 AND path = ?2");
    st.bind(1, collection_).bind(2, path);
    while (st.step()) {
      budget_.spend();
      if (accept(st.value(0))) out |= deserialized(st.blob(1));
    }
    return out;
  }
  bool accepted = false;
  each_row(path, [&](const json::value* value, std::uint32_t seq) {
    if (value) accepted = accept(*value);
    if (accepted) out.add(seq);
  });
  return out;
}

void PostingLists::each_row(std::string_view path, const std::function<void(const json::value* value, std::uint32_t seq)>& visit) {
  auto st = conn_.prepare("SELECT value, seq FROM doc_values WHERE collection = ?1 AND path = ?2 ORDER BY value");
  st.bind(1, collection_).bind(2, path);
  json::value last;
  for (bool first = true; st.step(); first = false) {
    budget_.spend();
    auto value = st.value(0);
    bool fresh = first || !ValueIndex::same_key(value, last);
    if (fresh) last = std::move(value);
    visit(fresh ? &last : nullptr, static_cast<std::uint32_t>(st.int64(1)));
  }
}

std::vector<std::pair<json::value, std::int64_t>> PostingLists::counts_in(std::string_view path, const DocumentSet& in) {
  std::vector<std::pair<json::value, std::int64_t>> out;
  auto documents = this->path(path);
  if (!documents) return out;  // no document holds a value there
  if (documents->unposted == 0) {
    if (documents->documents.isSubset(in)) return posting_sizes(path);
    auto st = conn_.prepare("SELECT value, bits FROM doc_postings WHERE collection = ?1 AND path = ?2 ORDER BY value");
    st.bind(1, collection_).bind(2, path);
    while (st.step()) {
      budget_.spend();
      if (auto n = deserialized(st.blob(1)).and_cardinality(in)) out.emplace_back(st.value(0), static_cast<std::int64_t>(n));
    }
    return out;
  }
  const json::value* current = nullptr;  // the value of the rows being read, until one of them counts
  each_row(path, [&](const json::value* value, std::uint32_t seq) {
    if (value) current = value;
    if (!in.contains(seq)) return;
    if (current) out.emplace_back(*current, 0);
    current = nullptr;
    ++out.back().second;
  });
  return out;
}

std::vector<std::pair<json::value, std::int64_t>> PostingLists::posting_sizes(std::string_view path) {
  auto st = conn_.prepare("SELECT value, documents FROM doc_postings WHERE collection = ?1 AND path = ?2 ORDER BY value");
  st.bind(1, collection_).bind(2, path);
  std::vector<std::pair<json::value, std::int64_t>> out;
  while (st.step()) {
    budget_.spend();
    out.emplace_back(st.value(0), st.int64(1));
  }
  return out;
}

}  // namespace pms::store::sqlite
