#pragma once
// What the connected database holds, for linking the words of a question to stored values: for
// every collection, the fields that behave like categories (state names, priorities, project and
// member names, cycle and module titles, labels, ...) with their distinct stored values and how
// many documents hold each, and the range of every date field. Built from any backend through
// DocumentStore (so a tenant-scoped store gives a tenant's own catalog).
//
// Limits keep memory bounded whatever the database: a field with more than max_values distinct
// values (or mostly distinct values in the sample) is free text (titles, numbers) and is left out;
// values longer than max_value_chars are left out; at most max_fields per collection. The demo
// database's catalog takes ~70 KiB. Build time stays bounded on large collections: a field is
// counted exactly when the collection is small or an index answers, else its sample stands in.
#include "core/cancel_token.hpp"
#include "store/document_store.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_set>
#include <vector>

namespace pms::understanding {

struct StoredValue {
  std::string value;          // exactly as stored
  std::string normalized;     // lowercase, accents and separators folded (text_match.hpp)
  std::int64_t documents = 0;
};

struct CategoryField {
  std::string path;  // "state.name", "assignee.name"
  std::vector<StoredValue> values;  // most frequent first
  bool sampled = false;  // values and counts are those of a sample (a large collection without an index on the field)

  // A field holding `values`, each counted once: a catalog written by hand.
  static CategoryField of(std::string path, const std::vector<std::string>& values);
};

struct DateField {
  std::string path;
  std::string min, max;  // ISO-8601 UTC
  bool sampled = false;  // the range of a sample (a large collection without an index on the field)
};

// One thing references point at (a project, a cycle, a person), as its own collection holds it:
// questions name it, filters match references on its id, so a reference without a name counts.
struct EntityRecord {
  std::string id;                     // what references hold in `_id` (a UUID as a string)
  StoredValue name;                   // its name or title
  StoredValue short_id;               // "FLEET" for a project; empty when it has none
  std::vector<std::string> projects;  // the ids of the projects it belongs to
};

struct CollectionCatalog {
  std::string name;
  std::int64_t documents = 0;
  std::vector<CategoryField> categories;
  std::vector<DateField> dates;
  // Paths of reference ids its documents hold ("project._id", "assignee._id"), from the sample.
  std::vector<std::string> references;
  // Paths of true/false fields in the sample ("isArchived", "locked").
  std::vector<std::string> flags;
  // For collections of things references point at (pms_model's identity specs): every one of them,
  // once per id. Empty when there are more than CatalogLimits::max_entities: names are used then.
  std::vector<EntityRecord> entities;

  const CategoryField* category(std::string_view path) const;
  const DateField* date(std::string_view path) const;
  bool has_reference(std::string_view id_path) const;
  bool has_flag(std::string_view path) const;
  // The entities whose name or short id is `normalized` (text_match.hpp's form).
  std::vector<const EntityRecord*> entities_named(std::string_view normalized) const;
  const EntityRecord* entity(std::string_view id) const;
};

struct CatalogLimits {
  std::size_t sample_documents = 200;  // looked at to find the candidate fields
  std::size_t max_values = 300;
  std::size_t max_value_chars = 80;
  std::size_t max_fields = 40;
  // Larger collections count only the fields an index answers; the others keep their sample's values.
  std::int64_t counted_documents = 20'000;
  // Entities read per collection of things references point at; beyond, names are used.
  std::size_t max_entities = 20'000;
};

// The words of a catalog's stored values and names, looked up by the question reader on nearly
// every word of every question (question_reader.cpp): built once per catalog rather than scanned.
struct CatalogWords {
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;
  Set words;        // every word of a category value, a thing's name or its short id (normalized)
  Set short_names;  // the category values and things' names of two or three words ("sprint 12")
  Set short_name_starts;  // their first words

  explicit CatalogWords(const std::vector<CollectionCatalog>& collections);
  // Whether `word` (one word, no spaces) is one of the words of a value or a name: has_word on
  // any of them (text_match.hpp).
  bool has(std::string_view word) const { return words.find(word) != words.end(); }
};

class ValueCatalog {
 public:
  std::vector<CollectionCatalog> collections;
  // Why the catalog is partial or empty, if it is: "still being read: 3 of 9 collections so far".
  std::string incomplete;

  const CollectionCatalog* collection(std::string_view name) const;
  // Bytes the catalog's strings and tables take, about.
  std::size_t memory_bytes() const;
  // What the question reader derives from the catalog to look words up fast (indexes), one per
  // type T, built by `make(*this)` on first use and kept with the catalog. Thread-safe. Built from
  // `collections` as they are then: a catalog is not to be changed once read (the server shares
  // it, immutable, between turns). A copy keeps none of them.
  // (Built outside the lock, so that `make` may use what is derived already; two threads may
  // both build one, the first kept.)
  template <class T, class Make>
  const T& derived(Make make) const {
    if (auto* found = derived_.find(typeid(T))) return *static_cast<const T*>(found);
    return *static_cast<const T*>(derived_.keep(typeid(T), std::make_shared<const T>(make(*this))));
  }
  const CatalogWords& words() const {
    return derived<CatalogWords>([](const ValueCatalog& c) { return CatalogWords(c.collections); });
  }

 private:
  struct Derived {
    Derived() = default;
    Derived(const Derived&) {}
    Derived& operator=(const Derived&) {
      built.clear();
      return *this;
    }
    const void* find(std::type_index type);
    const void* keep(std::type_index type, std::shared_ptr<const void> built);  // what is kept for `type`

    std::mutex mutex;
    std::vector<std::pair<std::type_index, std::shared_ptr<const void>>> built;
  };
  mutable Derived derived_;
};

// Reads the catalog from `store` (blocking: run on a database thread). One sample per collection
// finds the candidate fields; each field's values come from DocumentStore::value_counts (an index
// lookup in the embedded store), each date range from DocumentStore::string_range. A field the
// backend fails on (a timeout) is left out; QueryCancelled and StoreError propagate.
// `progress`, when given, gets the catalog so far after each collection (work items first), marked
// incomplete, so a first build on a large database can be used before it ends.
// The ids in `v` (strings anywhere in it, e.g. a tool call's filter) that name a thing the catalog
// knows, each with its name: {"6f1c...": "Sprint 23"}. For showing a query, never for running it.
json::object names_of_ids(const json::value& v, const ValueCatalog& catalog);

ValueCatalog build_value_catalog(store::DocumentStore& store, const CatalogLimits& limits = {}, const CancelToken* cancel = nullptr,
                                 const std::function<void(const ValueCatalog&)>& progress = {});

}  // namespace pms::understanding
