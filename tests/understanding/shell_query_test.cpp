#include "understanding/shell_query.hpp"

#include "core/json_util.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::understanding;

namespace {

json::value literal(std::string_view js) { return json::parse(shell_literal_to_json(js)); }

}  // namespace

TEST(ShellLiteral, AcceptsWhatMongoshAccepts) {
  EXPECT_EQ(literal(R"({priority: 'HIGH', "state.name": {$in: ['Todo', "Backlog",]},})"),
            json::parse(R"({"priority": "HIGH", "state.name": {"$in": ["Todo", "Backlog"]}})"));
  EXPECT_EQ(literal(R"({title: /login\s+time/i})"), json::parse(R"({"title": {"$regex": "login\\s+time", "$options": "i"}})"));
  EXPECT_EQ(literal(R"({created: {$gte: ISODate("2026-11-01"), $lt: new Date('2026-12-01')}})"),
            json::parse(R"({"created": {"$gte": {"$date": "2026-11-01"}, "$lt": {"$date": "2026-12-01"}}})"));
  EXPECT_EQ(literal(R"({_id: ObjectId("5f1d7a000000000000000000"), u: UUID("00112233-4455-6677-8899-aabbccddeeff")})"),
            json::parse(R"({"_id": {"$oid": "5f1d7a000000000000000000"}, "u": {"$uuid": "00112233-4455-6677-8899-aabbccddeeff"}})"));
  EXPECT_EQ(literal(R"({n: NumberLong(5), x: -1.5e3, ok: true, none: null})"), json::parse(R"({"n": 5, "x": -1.5e3, "ok": true, "none": null})"));
  EXPECT_EQ(literal(R"({q: 'it\'s "quoted" \u00e9'})"), json::parse(R"({"q": "it's \"quoted\" \u00e9"})"));
}

TEST(ShellLiteral, RejectsCodeAndBrokenText) {
  EXPECT_THROW(literal("{a: function() { return 1 }}"), ShellQueryError);
  EXPECT_THROW(literal("{a: 'open"), ShellQueryError);
  EXPECT_THROW(literal("{a: /open}"), ShellQueryError);
  EXPECT_THROW(literal("{a: NumberLong('x')}"), ShellQueryError);
}

TEST(ShellLiteral, ErrorsAreValidUtf8WhateverWasTyped) {
  // An unexpected multi-byte character, and bytes that are no UTF-8 at all (found by fuzz_mcp_message).
  for (std::string typed : {std::string("{priority: \xd4\x97i/i}"), std::string("{a: \xff\xfe}")}) {
    try {
      literal(typed);
      ADD_FAILURE() << "accepted " << typed;
    } catch (const ShellQueryError& e) {
      std::string message = e.what();
      EXPECT_EQ(sanitize_utf8(message), message);
      EXPECT_NE(message.find("unexpected"), std::string::npos) << message;
    }
  }
}

TEST(ShellQuery, FindWithProjectionSortAndLimit) {
  auto call = parse_shell_query("  db.workItem.find({priority: 'URGENT'}, {title: 1}).sort({createdTimeStamp: -1}).limit(5);  ");
  EXPECT_EQ(call.name, "find_documents");
  EXPECT_EQ(json::value(call.arguments), json::parse(R"({"collection": "workItem", "filter": {"priority": "URGENT"},
      "projection": {"title": 1}, "sort": {"createdTimeStamp": -1}, "limit": 5})"));
  auto one = parse_shell_query("db.project.findOne({name: 'Mobile App'})");
  EXPECT_EQ(one.arguments.at("limit"), 1);
  auto all = parse_shell_query("db.getCollection('user-story').find().pretty()");
  EXPECT_EQ(all.arguments.at("collection"), "user-story");
  EXPECT_EQ(all.arguments.at("filter"), json::object{});
}

TEST(ShellQuery, CountsAggregatesAndDistinct) {
  EXPECT_EQ(json::value(parse_shell_query("db.workItem.countDocuments({'label.name': 'bug'})").arguments),
            json::parse(R"({"collection": "workItem", "filter": {"label.name": "bug"}})"));
  auto counted = parse_shell_query("db.workItem.find({priority: 'HIGH'}).limit(3).count()");
  EXPECT_EQ(counted.name, "count_documents");
  EXPECT_FALSE(counted.arguments.contains("limit"));
  auto agg = parse_shell_query(R"(db.workItem.aggregate([{$group: {_id: "$priority", n: {$sum: 1}}}]))");
  EXPECT_EQ(agg.name, "aggregate");
  EXPECT_EQ(agg.arguments.at("pipeline"), json::parse(R"([{"$group": {"_id": "$priority", "n": {"$sum": 1}}}])"));
  auto d = parse_shell_query(R"(db.members.distinct("role", {type: "GUEST"}))");
  EXPECT_EQ(d.name, "distinct_values");
  EXPECT_EQ(d.arguments.at("field"), "role");
  EXPECT_EQ(d.arguments.at("filter"), json::parse(R"({"type": "GUEST"})"));
}

TEST(ShellQuery, SaysWhatIsWrong) {
  auto message = [](std::string_view q) {
    try {
      parse_shell_query(q);
    } catch (const ShellQueryError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("db.workItem.deleteMany({})").find("not supported"), std::string::npos);
  EXPECT_NE(message("db.workItem.updateOne({}, {$set: {a: 1}})").find("read-only"), std::string::npos);
  EXPECT_NE(message("db.workItem.find({a: 1}").find("unbalanced"), std::string::npos);
  EXPECT_NE(message("db.workItem").find("method"), std::string::npos);
  EXPECT_NE(message("db.workItem.").find("method"), std::string::npos);
  EXPECT_NE(message(std::string("db.mem\0s;\0tatus of Mrs.", 23)).find("not a collection name"), std::string::npos);
  EXPECT_NE(message("db.workItem.find().limit('x')").find("number"), std::string::npos);
  EXPECT_NE(message("db.workItem.find().explain()").find("not supported"), std::string::npos);
  EXPECT_NE(message("db.workItem.aggregate({$match: {}})").find("pipeline"), std::string::npos);
  EXPECT_TRUE(looks_like_shell_query(" db.workItem.find()"));
  EXPECT_FALSE(looks_like_shell_query("db. is short for database"));
  EXPECT_FALSE(looks_like_shell_query("how many bugs"));
}
