// A filter that matches nothing because a field or value does not exist as written comes back
// with a hint the model can act on (the real path, the stored values nearest to the one written),
// computed from the store the tool ran on only.
#include "store/demo/demo_database.hpp"
#include "store/scoped_store.hpp"
#include "tools/near_match.hpp"
#include "tools/tool_registry.hpp"

#include "support/demo_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

using namespace pms;
using namespace pms::tools;

namespace {

class ZeroMatchHint : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_ = std::make_unique<pms::testing::DemoStore>("pms-hint-test", "2025-11-20");
    store_ = &demo_->store();
  }
  static void TearDownTestSuite() {
    store_ = nullptr;
    demo_.reset();
  }

  json::object run(std::string_view tool, const std::string& args, store::DocumentStore* on = nullptr) {
    auto r = registry_.run(tool, json::parse(args), on ? *on : *store_, nullptr);
    EXPECT_TRUE(r.ok) << r.error;
    return r.ok ? r.value.as_object() : json::object{};
  }
  static std::string hint_of(const json::object& result) {
    auto* h = result.if_contains("hint");
    return h && h->is_string() ? std::string(h->get_string()) : "";
  }
  // The first stored value the hint offers, as a JSON value.
  static json::value first_nearest(const std::string& hint) {
    std::smatch m;
    if (!std::regex_search(hint, m, std::regex(R"(stored values nearest to it: ("(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?))"))) return nullptr;
    return json::parse(m[1].str());
  }
  std::int64_t count(const std::string& filter, store::DocumentStore* on = nullptr) {
    return (on ? *on : *store_).count("workItem", json::parse(filter));
  }
  static std::string acme_id() {
    auto ids = store_->distinct("workItem", "business._id", json::parse(R"({"business.name": "Acme Digital"})"));
    EXPECT_EQ(ids.size(), 1u);
    return ids.empty() ? "" : std::string(ids.front().as_string());
  }

  inline static std::unique_ptr<pms::testing::DemoStore> demo_;
  inline static store::sqlite::SqliteDocumentStore* store_ = nullptr;
  ToolRegistry registry_ = ToolRegistry::standard();
};

TEST_F(ZeroMatchHint, ValueInTheWrongCaseGetsTheStoredOne) {
  auto r = run("count_documents", R"({"collection": "workItem", "filter": {"state.name": "backlog"}})");
  EXPECT_EQ(r.at("count"), 0);
  auto hint = hint_of(r);
  EXPECT_NE(hint.find(R"("state.name" has no value "backlog")"), std::string::npos) << hint;
  auto fixed = first_nearest(hint);
  ASSERT_TRUE(fixed.is_string()) << hint;
  EXPECT_EQ(fold_text(fixed.as_string()), "backlog");
  EXPECT_GT(count(dump(json::object{{"state.name", fixed}})), 0);
}

// assignee is an array of {_id, name}: the string is compared with whole documents.
TEST_F(ZeroMatchHint, ArrayOfReferencesPointsToItsNameAndTheFullName) {
  auto r = run("count_documents", R"({"collection": "workItem", "filter": {"assignee": "Priya"}})");
  EXPECT_EQ(r.at("count"), 0);
  auto hint = hint_of(r);
  EXPECT_NE(hint.find(R"("assignee" holds documents; did you mean "assignee.name"?)"), std::string::npos) << hint;
  auto fixed = first_nearest(hint);
  ASSERT_TRUE(fixed.is_string()) << hint;
  EXPECT_TRUE(std::string(fixed.as_string()).starts_with("Priya ")) << hint;
  EXPECT_GT(count(dump(json::object{{"assignee.name", fixed}})), 0);
  auto regex = run("find_documents", R"({"collection": "workItem", "filter": {"assignee": {"$regex": "^priya", "$options": "i"}}})");
  EXPECT_EQ(hint_of(regex), R"("assignee" holds documents; did you mean "assignee.name"?)");
  auto whole = run("count_documents", R"({"collection": "workItem", "filter": {"assignee": {"$size": 7}}})");
  EXPECT_FALSE(whole.contains("hint")) << hint_of(whole);  // a condition on the array itself
  // A first name alone, already on the right path, gets the same full name.
  auto named = run("count_documents", R"({"collection": "workItem", "filter": {"assignee.name": "priya"}})");
  EXPECT_EQ(first_nearest(hint_of(named)), fixed) << hint_of(named);
}

TEST_F(ZeroMatchHint, InventedFieldGetsTheRealPathAndValue) {
  auto r = run("find_documents", R"({"collection": "workItem", "filter": {"stage": "backlog"}})");
  EXPECT_EQ(r.at("returned"), 0);
  auto hint = hint_of(r);
  EXPECT_NE(hint.find(R"(no workItem has field "stage"; did you mean "state.name")"), std::string::npos) << hint;
  EXPECT_NE(hint.find(R"("state.name" has no value "backlog"; stored values nearest to it: "Backlog")"), std::string::npos) << hint;
}

// In this data workItem has a `status` (ACCEPTED/PENDING): "open" is a value it does not hold,
// and with so few values the hint names them all.
TEST_F(ZeroMatchHint, StatusOpenNamesTheStatusValues) {
  auto r = run("count_documents", R"({"collection": "workItem", "filter": {"status": "open", "priority": "HIGH"}})");
  auto hint = hint_of(r);
  auto stored = store_->distinct("workItem", "status", nullptr);
  ASSERT_FALSE(stored.empty());
  ASSERT_LE(stored.size(), 8u);
  std::string listed;
  for (auto& v : stored) listed += (listed.empty() ? "" : ", ") + dump(v);
  EXPECT_EQ(hint, R"("status" has no value "open"; its stored values: )" + listed + ".");
}

TEST_F(ZeroMatchHint, NumberWrittenAsStringAndInValues) {
  auto r = run("count_documents", R"({"collection": "workItem", "filter": {"priority": {"$in": ["high", "urgnt"]}}})");
  auto hint = hint_of(r);
  EXPECT_NE(hint.find(R"("priority" has no value "high"; stored values nearest to it: "HIGH".)"), std::string::npos) << hint;
  EXPECT_NE(hint.find(R"("priority" has no value "urgnt"; stored values nearest to it: "URGENT".)"), std::string::npos) << hint;
  auto estimate = run("count_documents", R"({"collection": "workItem", "filter": {"estimate": "2"}})");
  EXPECT_EQ(first_nearest(hint_of(estimate)), json::value(2)) << hint_of(estimate);
}

TEST_F(ZeroMatchHint, AggregateLeadingMatchAndDistinctField) {
  auto a = run("aggregate", R"({"collection": "workItem", "pipeline": [{"$match": {"state.name": "backlog"}},
                                 {"$group": {"_id": "$priority", "n": {"$sum": 1}}}]})");
  EXPECT_TRUE(a.at("results").as_array().empty());
  EXPECT_EQ(first_nearest(hint_of(a)), json::value("Backlog")) << hint_of(a);
  auto d = run("distinct_values", R"({"collection": "workItem", "field": "stage"})");
  EXPECT_NE(hint_of(d).find(R"(no workItem has field "stage"; did you mean "state.name")"), std::string::npos) << hint_of(d);
}

TEST_F(ZeroMatchHint, NoHintWhenSomethingMatches) {
  for (auto* args : {R"({"collection": "workItem", "filter": {"state.name": "Backlog"}})", R"({"collection": "workItem"})"}) {
    auto r = run("count_documents", args);
    EXPECT_GT(r.at("count").as_int64(), 0);
    EXPECT_FALSE(r.contains("hint")) << args;
  }
  auto f = run("find_documents", R"({"collection": "workItem", "filter": {"assignee.name": {"$exists": true}}, "limit": 1})");
  EXPECT_FALSE(f.contains("hint"));
  auto d = run("distinct_values", R"({"collection": "workItem", "field": "state.name"})");
  EXPECT_FALSE(d.contains("hint"));
}

// Every field exists and every value is stored; together they exclude everything. That zero is
// the answer, not a mistake.
TEST_F(ZeroMatchHint, NoHintWhenOnlyTheCombinationMatchesNothing) {
  const std::string filter = R"({"state.name": "Done", "stateMaster.name": "BACKLOG"})";
  ASSERT_EQ(count(filter), 0);
  ASSERT_GT(count(R"({"state.name": "Done"})"), 0);
  ASSERT_GT(count(R"({"stateMaster.name": "BACKLOG"})"), 0);
  auto r = run("count_documents", R"({"collection": "workItem", "filter": )" + filter + "}");
  EXPECT_FALSE(r.contains("hint")) << hint_of(r);
  auto p = run("find_documents", R"({"collection": "workItem", "skip": 100000})");  // past the end: not a filter's fault
  EXPECT_FALSE(p.contains("hint"));
}

// Ids are not misspelt: one near the id written is another document (or another tenant's).
TEST_F(ZeroMatchHint, NoValuesOfferedForIds) {
  for (auto* args : {R"({"collection": "workItem", "filter": {"business._id": "bdd73226-2feb-4e95-a8ef-e333b266f104"}})",
                     R"({"collection": "workItem", "filter": {"_id": "9e5fde23"}})"}) {
    auto r = run("count_documents", args);
    EXPECT_EQ(r.at("count"), 0);
    EXPECT_FALSE(r.contains("hint")) << hint_of(r);
  }
}

TEST_F(ZeroMatchHint, RedactedFieldsNeverAppear) {
  const std::string args = R"({"collection": "members", "filter": {"emial": "aarav.smith@acme"}})";
  // Without redaction the misspelt field is corrected to "email" and its addresses offered...
  auto open = hint_of(run("count_documents", args));
  ASSERT_NE(open.find(R"(did you mean "email")"), std::string::npos) << open;
  ASSERT_NE(open.find('@'), std::string::npos) << open;
  // ...with it redacted, neither the field nor any address reaches the hint, also through a tenant's view.
  store::sqlite::SqliteDocumentStore redacted(demo_->path().string(), "ProjectManagement");
  redacted.set_redacted_fields({"email", "leadMail"});
  store::ScopedStore acme(redacted, store::tenant_scope("business._id", acme_id()));
  for (store::DocumentStore* s : {static_cast<store::DocumentStore*>(&redacted), static_cast<store::DocumentStore*>(&acme)}) {
    for (auto* a : {args.c_str(), R"({"collection": "members", "filter": {"email": "aarav"}})",
                    R"({"collection": "project", "filter": {"leadMial": "x"}})"}) {
      auto hint = hint_of(run("count_documents", a, s));
      EXPECT_EQ(hint.find('@'), std::string::npos) << hint;
      EXPECT_EQ(hint.find("did you mean \"email\""), std::string::npos) << hint;
      EXPECT_EQ(hint.find("did you mean \"leadMail\""), std::string::npos) << hint;
    }
  }
}

TEST_F(ZeroMatchHint, OnlyTheTenantsOwnValues) {
  const std::string args = R"({"collection": "workItem", "filter": {"assignee.name": "Sharma"}})";
  store::ScopedStore acme(*store_, store::tenant_scope("business._id", acme_id()));
  std::vector<std::string> everyones, acmes;
  for (auto& v : store_->distinct("workItem", "assignee.name", nullptr))
    if (v.as_string().find("Sharma") != std::string::npos) everyones.emplace_back(v.as_string());
  for (auto& v : acme.distinct("workItem", "assignee.name", nullptr))
    if (v.as_string().find("Sharma") != std::string::npos) acmes.emplace_back(v.as_string());
  ASSERT_FALSE(everyones.empty());
  ASSERT_TRUE(acmes.empty());  // the Sharmas work for the other business
  auto whole = hint_of(run("count_documents", args));
  for (auto& name : everyones) EXPECT_NE(whole.find(name), std::string::npos) << whole;
  auto scoped = hint_of(run("count_documents", args, &acme));
  for (auto& name : everyones) EXPECT_EQ(scoped.find(name), std::string::npos) << scoped;
  EXPECT_NE(scoped.find(R"("assignee.name" has no value "Sharma")"), std::string::npos) << scoped;
}

TEST(NearMatch, FoldsCaseAccentsAndSeparators) {
  EXPECT_EQ(fold_text("In_Progress"), "in progress");
  EXPECT_EQ(fold_text("Ethan Müller"), "ethan muller");
  EXPECT_EQ(closeness("backlog", "backlog"), 0);
  EXPECT_EQ(closeness("priya", "priya rossi"), 1);
  EXPECT_EQ(closeness("rossi", "priya rossi"), 1);
  EXPECT_EQ(closeness("back", "backlog"), 2);
  EXPECT_EQ(closeness("stage", "state"), 4);
  EXPECT_EQ(closeness("urgnt", "urgent"), 4);
  EXPECT_EQ(closeness("assignedto", "assignee"), 6);
  EXPECT_FALSE(closeness("open", "pending"));
  EXPECT_FALSE(closeness("bug", "mug"));  // short words must match exactly
  std::vector<std::string> names{"Todo", "Done", "Backlog", "BACKLOG"};
  EXPECT_EQ(nearest("backlog", names, 5), (std::vector<std::size_t>{2, 3}));
}

}  // namespace
