// Which path answers (issue 16, sections 3 and 4), end to end over /ws/chat and POST /api/chat
// with the scripted LLM: --answer-mode auto|model|planner and a message's own "mode"; and the
// model's plan (--model-plans on): the request under the catalog's JSON schema on both wire
// formats, a valid plan run by the planner's executor, an invalid one falling back to free tool
// calling, a cancel while the plan is asked for. Expected counts come from the test's database.
#include "e2e/e2e_fixture.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <algorithm>
#include <set>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

// The planner understands it (verified with pms-data ask) and counts by priority.
constexpr const char* kUnderstood = "how many urgent work items are there?";
// The planner refuses it ("hw", "mny", ... not understood), yet its plan is easy to write.
constexpr const char* kRefused = "hw mny wrk itms r urgent";
constexpr const char* kUrgentPlan = R"({"entity": "workItem", "operation": "count", "filters": {"priority": "URGENT"}})";

using Seq = std::vector<std::string>;

std::size_t count_of(const Events& ev, std::string_view type) {
  return static_cast<std::size_t>(std::count_if(ev.begin(), ev.end(), [&](auto& e) { return type_of(e) == type; }));
}

std::vector<json::object> of_type(const Events& ev, std::string_view type) {
  std::vector<json::object> out;
  for (auto& e : ev)
    if (type_of(e) == type) out.push_back(e);
  return out;
}

// The events' types with each run of tokens as one "token".
Seq shape(const Events& ev) {
  Seq out;
  for (auto& t : types(ev))
    if (out.empty() || t != "token" || out.back() != "token") out.push_back(t);
  return out;
}

std::set<std::string> strings(const json::array& values) {
  std::set<std::string> out;
  for (auto& v : values)
    if (v.is_string()) out.emplace(v.get_string());
  return out;
}

bool has_tools(const RecordedRequest& r) {
  auto* tools = r.body.as_object().if_contains("tools");
  return tools && tools->is_array() && !tools->as_array().empty();
}

// The plan schema a request carries: Ollama's `format`, or OpenAI's response_format.json_schema.schema.
const json::value* plan_schema(const RecordedRequest& r) {
  auto& body = r.body.as_object();
  if (auto* format = body.if_contains("format")) return format;
  if (auto* rf = body.if_contains("response_format")) {
    if (rf->at("type") != "json_schema") return nullptr;
    return &rf->at("json_schema").at("schema");
  }
  return nullptr;
}

std::string system_prompt(const RecordedRequest& r) {
  auto& first = r.body.at("messages").at(0);
  return first.at("role") == "system" ? std::string(first.at("content").as_string()) : std::string();
}

class AnswerModesE2e : public E2eTest {
 protected:
  void start(std::vector<std::string> extra) {
    start_server(std::move(extra));
    store_ = std::make_unique<store::sqlite::SqliteDocumentStore>(db_path(), "ProjectManagement");
  }
  void restart(std::vector<std::string> extra) {
    store_.reset();
    server_.reset();
    start(std::move(extra));
  }
  static std::vector<std::string> openai(const ScriptedLlmServer& llm) {
    return {"--llm", "openai", "--openai-base-url", llm.url() + "/v1", "--api-key", "test-key"};
  }

  // URGENT as stored (the question's word), and how many work items have it.
  std::int64_t urgent_count() {
    auto priorities = stored_priorities();
    EXPECT_TRUE(priorities.contains("URGENT")) << "the demo data has no URGENT priority";
    auto n = store_->count("workItem", json::object{{"priority", "URGENT"}});
    EXPECT_GT(n, 0);
    return n;
  }
  std::set<std::string> stored_priorities() {
    std::set<std::string> out;
    for (auto& v : store_->distinct("workItem", "priority", nullptr))
      if (v.is_string()) out.emplace(v.get_string());
    return out;
  }

  // One turn: it ends with exactly one `complete` or `error`, and nothing of it comes after.
  Events turn(client::ChatClient& c, json::object msg) {
    c.send(msg);
    auto ev = until_done(c);
    EXPECT_EQ(count_of(ev, "complete") + count_of(ev, "error"), 1u) << dump(msg.at("message"));
    if (auto late = c.next_event(300ms)) ADD_FAILURE() << "an event after the turn ended: " << dump(*late);
    return ev;
  }
  static json::object with_mode(json::object msg, std::string_view mode) {
    msg["mode"] = mode;
    return msg;
  }

  // Asserts the planner answered the urgent count without the model; `before`: the LLM's requests until then.
  void expect_planner_answer(const Events& ev, std::int64_t urgent, std::size_t before) {
    ASSERT_EQ(type_of(ev.back()), "complete");
    EXPECT_EQ(ev.back().at("answered_by"), "planner");
    EXPECT_EQ(ev.back().at("llm_calls"), 0);
    EXPECT_EQ(count_of(ev, "llm_start"), 0u);
    auto ends = of_type(ev, "tool_end");
    ASSERT_EQ(ends.size(), 1u);
    EXPECT_EQ(json::parse(ends[0].at("output").as_string()).at("count"), urgent);
    EXPECT_NE(joined_tokens(ev).find("**" + std::to_string(urgent) + "**"), std::string::npos) << joined_tokens(ev);
    EXPECT_EQ(llm_->chat_requests().size(), before) << "the model was asked";
  }

  // Asserts a turn answered by the model's plan: one request under the plan schema (every stored
  // priority offered, no tools), the planner's calls shown, its answer streamed with the store's count.
  void expect_model_plan_answer(const Events& ev, const RecordedRequest& plan_request, std::int64_t urgent) {
    ASSERT_EQ(type_of(ev.back()), "complete");
    EXPECT_EQ(ev.back().at("answered_by"), "model-plan");
    EXPECT_EQ(ev.back().at("cancelled"), false);
    EXPECT_EQ(ev.back().at("llm_calls"), 1);
    EXPECT_EQ(shape(ev), (Seq{"user_message", "llm_start", "llm_end", "tool_start", "tool_end", "token", "complete"}));

    EXPECT_FALSE(has_tools(plan_request)) << "the plan request offers tools";
    auto* schema = plan_schema(plan_request);
    ASSERT_NE(schema, nullptr) << "no plan schema in " << dump(plan_request.body);
    auto& priority = schema->at("properties").at("filters").at("properties").at("priority");
    EXPECT_EQ(strings(priority.at("enum").as_array()), stored_priorities()) << dump(priority);
    EXPECT_NE(system_prompt(plan_request).find("query plan"), std::string::npos) << "the plan's keys are not explained";

    auto starts = of_type(ev, "tool_start");
    ASSERT_EQ(starts.size(), 1u);
    EXPECT_EQ(starts[0].at("tool_name"), "count_documents");
    EXPECT_EQ(starts[0].at("arguments").at("collection"), "workItem");
    EXPECT_NE(dump(starts[0].at("arguments")).find("URGENT"), std::string::npos) << dump(starts[0].at("arguments"));
    auto ends = of_type(ev, "tool_end");
    ASSERT_EQ(ends.size(), 1u);
    EXPECT_EQ(json::parse(ends[0].at("output").as_string()).at("count"), urgent);
    auto text = joined_tokens(ev);
    EXPECT_NE(text.find("**" + std::to_string(urgent) + "**"), std::string::npos) << text;
    EXPECT_EQ(text.find("\"entity\""), std::string::npos) << "the plan's JSON reached the user: " << text;
    EXPECT_EQ(ev.back().at("response"), json::value(text));
  }

  // Asserts the plan reply `invalid` is not used: the turn goes on with free tool calling (a
  // request with tools and no schema) and the model answers.
  void expect_fallback(client::ChatClient& c, const std::string& invalid) {
    auto before = llm_->chat_requests().size();
    llm_->push(answer({invalid}));
    llm_->push(answer({"Asked ", "the tools."}));
    auto ev = turn(c, message(kRefused));
    ASSERT_EQ(type_of(ev.back()), "complete") << invalid;
    EXPECT_EQ(ev.back().at("answered_by"), "model") << invalid;
    EXPECT_EQ(ev.back().at("llm_calls"), 2);
    EXPECT_EQ(count_of(ev, "tool_start"), 0u) << "the invalid plan was run";
    EXPECT_EQ(joined_tokens(ev), "Asked the tools.");
    auto reqs = llm_->chat_requests();
    ASSERT_EQ(reqs.size(), before + 2) << invalid;
    EXPECT_NE(plan_schema(reqs[before]), nullptr);
    EXPECT_FALSE(has_tools(reqs[before]));
    EXPECT_EQ(plan_schema(reqs[before + 1]), nullptr) << "free tool calling under the plan schema";
    EXPECT_TRUE(has_tools(reqs[before + 1])) << "free tool calling without tools";
  }

  std::unique_ptr<store::sqlite::SqliteDocumentStore> store_;
};

TEST_F(AnswerModesE2e, AutoThePlannerAnswersWhatItUnderstandsAndTheModelTheRest) {
  start({"--answer-mode", "auto", "--model-plans", "off"});
  auto urgent = urgent_count();
  auto c = connect();
  expect_planner_answer(turn(*c, message(kUnderstood)), urgent, 0);

  llm_->push(answer({"Why did the sprint ", "end early? It ran out of scope."}));
  auto ev = turn(*c, message("tell me a joke"));
  ASSERT_EQ(type_of(ev.back()), "complete");
  EXPECT_EQ(ev.back().at("answered_by"), "model");
  EXPECT_EQ(joined_tokens(ev), "Why did the sprint end early? It ran out of scope.");
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_TRUE(has_tools(reqs[0]));
}

TEST_F(AnswerModesE2e, ModelModeSendsAnUnderstoodQuestionToTheModelWithThePlannersHints) {
  start({"--answer-mode", "model", "--model-plans", "off"});
  auto urgent = urgent_count();
  llm_->push(call_tool("count_documents", json::object{{"collection", "workItem"}, {"filter", json::object{{"priority", "URGENT"}}}}));
  llm_->push(answer({"Counted."}));
  auto c = connect();
  auto ev = turn(*c, message(kUnderstood));
  ASSERT_EQ(type_of(ev.back()), "complete");
  EXPECT_EQ(ev.back().at("answered_by"), "model");
  EXPECT_EQ(ev.back().at("llm_calls"), 2);
  auto ends = of_type(ev, "tool_end");
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(json::parse(ends[0].at("output").as_string()).at("count"), urgent);
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 2u);
  auto prompt = system_prompt(reqs[0]);
  auto hints = prompt.find("Stored values for words of this question");
  ASSERT_NE(hints, std::string::npos) << prompt;
  EXPECT_NE(prompt.find("URGENT", hints), std::string::npos) << prompt.substr(hints);
  EXPECT_EQ(plan_schema(reqs[0]), nullptr) << "an understood question needs no model plan";
}

TEST_F(AnswerModesE2e, PlannerModeAndAMessagesPlannerModeNeverAskTheModel) {
  start({"--answer-mode", "planner"});
  auto urgent = urgent_count();
  {
    auto c = connect();
    expect_planner_answer(turn(*c, message(kUnderstood)), urgent, 0);
    // A question it does not understand is refused, not sent to the model.
    auto ev = turn(*c, message("tell me a joke"));
    ASSERT_EQ(type_of(ev.back()), "complete");
    EXPECT_EQ(ev.back().at("answered_by"), "planner");
    EXPECT_TRUE(llm_->chat_requests().empty());
  }

  restart({"--answer-mode", "model", "--model-plans", "off"});
  auto c = connect();
  expect_planner_answer(turn(*c, with_mode(message(kUnderstood), "planner")), urgent, 0);
  // The server's own mode still holds for the next message.
  llm_->push(answer({"From the model."}));
  auto ev = turn(*c, message(kUnderstood));
  ASSERT_EQ(type_of(ev.back()), "complete");
  EXPECT_EQ(ev.back().at("answered_by"), "model");
  EXPECT_EQ(llm_->chat_requests().size(), 1u);
}

TEST_F(AnswerModesE2e, AMessagesModelModeOnAnAutoServerAndInvalidModes) {
  start({"--answer-mode", "auto", "--model-plans", "off"});
  auto urgent = urgent_count();
  auto c = connect();
  llm_->push(answer({"From the model."}));
  auto ev = turn(*c, with_mode(message(kUnderstood), "model"));
  ASSERT_EQ(type_of(ev.back()), "complete");
  EXPECT_EQ(ev.back().at("answered_by"), "model");
  EXPECT_EQ(joined_tokens(ev), "From the model.");
  ASSERT_EQ(llm_->chat_requests().size(), 1u);

  for (auto bad : {json::value("fast"), json::value(""), json::value("MODEL"), json::value(5)}) {
    auto msg = message(kUnderstood);
    msg["mode"] = bad;
    c->send(msg);
    auto err = next_of_type(*c, "error");
    EXPECT_EQ(err["code"], "invalid_message") << dump(bad);
    EXPECT_NE(string_member(err, "message").value_or("").find("mode"), std::string::npos) << dump(err);
    if (auto late = c->next_event(300ms)) ADD_FAILURE() << "a refused message started a turn: " << dump(*late);
  }
  EXPECT_EQ(llm_->chat_requests().size(), 1u);
  // The connection is still usable, and the server's auto mode answers.
  expect_planner_answer(turn(*c, with_mode(message(kUnderstood), "auto")), urgent, 1);
  expect_planner_answer(turn(*c, message(kUnderstood)), urgent, 1);
}

TEST_F(AnswerModesE2e, ApiChatTakesAModeAndSaysWhichPathAnswered) {
  start({"--answer-mode", "auto", "--model-plans", "off"});
  auto urgent = urgent_count();
  auto post = [&](json::object body) { return http_call(server_->port(), "POST", "/api/chat", dump(body)); };

  auto r = post({{"message", kUnderstood}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = json::parse(r.body);
  EXPECT_EQ(v.at("answered_by"), "planner");
  EXPECT_NE(std::string(v.at("response").as_string()).find("**" + std::to_string(urgent) + "**"), std::string::npos) << r.body;
  EXPECT_TRUE(llm_->chat_requests().empty());

  llm_->push(answer({"From ", "the model."}));
  r = post({{"message", kUnderstood}, {"mode", "model"}});
  ASSERT_EQ(r.status, 200) << r.body;
  v = json::parse(r.body);
  EXPECT_EQ(v.at("answered_by"), "model");
  EXPECT_EQ(v.at("response"), "From the model.");
  EXPECT_EQ(llm_->chat_requests().size(), 1u);

  restart({"--answer-mode", "model", "--model-plans", "off"});
  r = post({{"message", kUnderstood}, {"mode", "planner"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("answered_by"), "planner");
  EXPECT_EQ(llm_->chat_requests().size(), 1u);

  for (auto bad : {json::value("fast"), json::value(json::array{"model"})}) {
    r = post({{"message", kUnderstood}, {"mode", bad}});
    EXPECT_EQ(r.status, 400) << dump(bad) << ": " << r.body;
    EXPECT_EQ(json::parse(r.body).at("error").at("code"), "invalid_message") << r.body;
  }
  EXPECT_EQ(llm_->chat_requests().size(), 1u);
  EXPECT_EQ(http_call(server_->port(), "GET", "/health").status, 200);
}

TEST_F(AnswerModesE2e, ModelPlanOverOllamaRunsThroughThePlannerAndAnInvalidOneFallsBack) {
  start({"--answer-mode", "auto", "--model-plans", "on"});
  auto urgent = urgent_count();
  auto c = connect();
  llm_->push(answer({kUrgentPlan}));
  auto ev = turn(*c, message(kRefused));
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, "/api/chat");
  expect_model_plan_answer(ev, reqs[0], urgent);

  // A value not stored ("urgent" is not "URGENT"), a key off the schema, and no JSON at all.
  expect_fallback(*c, R"({"entity": "workItem", "operation": "count", "filters": {"priority": "urgent"}})");
  expect_fallback(*c, R"({"entity": "workItem", "operation": "count", "filters": {"status": "open"}})");
  expect_fallback(*c, "There are many urgent items.");
}

TEST_F(AnswerModesE2e, ModelPlanOverOpenAiRunsThroughThePlannerAndAnInvalidOneFallsBack) {
  auto extra = openai(*llm_);
  extra.insert(extra.end(), {"--answer-mode", "auto", "--model-plans", "on"});
  start(extra);
  auto urgent = urgent_count();
  auto c = connect();
  llm_->push(answer({R"({"entity": "workItem", )", R"("operation": "count", "filters": {"priority": "URGENT"}})"}));
  auto ev = turn(*c, message(kRefused));
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, "/v1/chat/completions");
  auto& body = reqs[0].body.as_object();
  ASSERT_TRUE(body.contains("response_format")) << dump(body);
  EXPECT_EQ(body.at("response_format").at("type"), "json_schema");
  EXPECT_FALSE(body.contains("format"));
  expect_model_plan_answer(ev, reqs[0], urgent);

  expect_fallback(*c, R"({"entity": "workItem", "operation": "count", "filters": {"priority": "urgent"}})");
}

// A list the model's plan asks for is paged as the planner's own: the complete event says where.
TEST_F(AnswerModesE2e, AModelPlansListIsPaged) {
  start({"--answer-mode", "auto", "--model-plans", "on"});
  auto urgent = urgent_count();
  auto c = connect();
  llm_->push(answer({R"({"entity": "workItem", "operation": "list", "filters": {"priority": "URGENT"}})"}));
  auto ev = turn(*c, message("lst wrk itms r urgent"));
  ASSERT_EQ(type_of(ev.back()), "complete");
  EXPECT_EQ(ev.back().at("answered_by"), "model-plan");
  ASSERT_EQ(llm_->chat_requests().size(), 1u);
  ASSERT_TRUE(ev.back().contains("page")) << dump(ev.back());
  auto& page = ev.back().at("page");
  EXPECT_EQ(page.at("offset"), 0);
  EXPECT_EQ(page.at("total"), urgent);
  auto shown = page.at("shown").to_number<std::int64_t>();
  EXPECT_EQ(shown, std::min<std::int64_t>(urgent, 10));
  EXPECT_EQ(page.as_object().contains("next"), shown < urgent) << dump(page);
}

TEST_F(AnswerModesE2e, CancelWhileThePlanIsAskedForAndTheNextTurnWorks) {
  start({"--answer-mode", "auto", "--model-plans", "on"});
  auto urgent = urgent_count();
  auto c = connect();
  llm_->push(answer(std::vector<std::string>(200, " "), 50ms));  // a plan that takes 10 s to come
  c->send(message(kRefused, "conv-cancel"));
  ASSERT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty(); }));
  c->send(json::object{{"type", "cancel"}});
  auto ev = until_done(*c);
  ASSERT_EQ(type_of(ev.back()), "complete");
  EXPECT_EQ(ev.back().at("cancelled"), true);
  EXPECT_EQ(count_of(ev, "complete") + count_of(ev, "error"), 1u);
  EXPECT_EQ(count_of(ev, "tool_start"), 0u);
  EXPECT_EQ(count_of(ev, "token"), 0u) << "the plan's text reached the user";
  EXPECT_NE(plan_schema(llm_->chat_requests().front()), nullptr);
  EXPECT_TRUE(llm_->wait_until([](auto& reqs) { return reqs.front().client_closed_early; }, 5s))
      << "the plan request was not stopped";
  if (auto late = c->next_event(300ms)) ADD_FAILURE() << "an event after the cancelled turn: " << dump(*late);

  llm_->push(answer({kUrgentPlan}));
  ev = turn(*c, message(kRefused, "conv-cancel"));
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 2u);
  expect_model_plan_answer(ev, reqs[1], urgent);
}

TEST_F(AnswerModesE2e, ModelPlansOffGoesStraightToFreeToolCalling) {
  start({"--answer-mode", "auto", "--model-plans", "off"});
  auto urgent = urgent_count();
  llm_->push(call_tool("count_documents", json::object{{"collection", "workItem"}, {"filter", json::object{{"priority", "URGENT"}}}}));
  llm_->push(answer({"Counted."}));
  auto c = connect();
  auto ev = turn(*c, message(kRefused));
  ASSERT_EQ(type_of(ev.back()), "complete");
  EXPECT_EQ(ev.back().at("answered_by"), "model");
  auto ends = of_type(ev, "tool_end");
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(json::parse(ends[0].at("output").as_string()).at("count"), urgent);
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 2u);
  for (auto& r : reqs) EXPECT_EQ(plan_schema(r), nullptr) << "a plan schema was sent: " << dump(r.body);
  EXPECT_TRUE(has_tools(reqs[0]));
}

}  // namespace

namespace {

// The model's plan is the conversation's last plan: a follow-up the planner reads builds on it.
TEST_F(AnswerModesE2e, AFollowUpBuildsOnTheModelsPlan) {
  start({"--answer-mode", "auto", "--model-plans", "on"});
  auto urgent = urgent_count();
  auto c = connect();
  llm_->push(answer({kUrgentPlan}));
  auto first = turn(*c, message(kRefused));
  ASSERT_EQ(first.back().at("answered_by"), "model-plan");
  std::string conversation(first.back().at("conversation_id").as_string());
  auto before = llm_->chat_requests().size();
  auto by = turn(*c, message("now by assignee", conversation));
  ASSERT_EQ(type_of(by.back()), "complete");
  EXPECT_EQ(by.back().at("answered_by"), "planner");
  EXPECT_EQ(llm_->chat_requests().size(), before) << "the model was asked";
  auto starts = of_type(by, "tool_start");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_NE(dump(starts[0].at("arguments")).find("\"priority\":\"URGENT\""), std::string::npos) << dump(starts[0].at("arguments"));
  std::int64_t sum = 0;  // every urgent item is in one group or "(none)", once per assignee
  auto rows = store_->aggregate("workItem", json::parse(R"([{"$match": {"priority": "URGENT"}}, {"$unwind": {"path": "$assignee", "preserveNullAndEmptyArrays": true}}, {"$count": "n"}])"));
  ASSERT_EQ(rows.size(), 1u);
  sum = rows[0].at("n").to_number<std::int64_t>();
  auto output = json::parse(of_type(by, "tool_end")[0].at("output").as_string());
  std::int64_t counted = 0;
  for (auto& g : output.at("results").as_array()) counted += g.at("count").to_number<std::int64_t>();
  EXPECT_EQ(counted, sum);
  EXPECT_GE(counted, urgent);
  EXPECT_NE(joined_tokens(by).find("Following up on \"" + std::string(kRefused) + "\""), std::string::npos) << joined_tokens(by);
}

// A follow-up after the model's free answer has no plan to build on: the model answers it, with
// the conversation, and the planner does not answer it out of context.
TEST_F(AnswerModesE2e, AFollowUpAfterTheModelsFreeAnswerGoesToTheModel) {
  start({"--answer-mode", "auto", "--model-plans", "off"});
  auto c = connect();
  llm_->push(answer({"Fourteen, I think."}));
  auto first = turn(*c, message(kRefused));
  std::string conversation(first.back().at("conversation_id").as_string());
  llm_->push(answer({"Two of them."}));
  auto next = turn(*c, message("only the ones in Mobile App", conversation));
  ASSERT_EQ(type_of(next.back()), "complete");
  EXPECT_EQ(next.back().at("answered_by"), "model");
  EXPECT_EQ(count_of(next, "tool_start"), 0u);
  // With the planner only, it is refused saying why.
  auto planner = turn(*c, with_mode(message("only the ones in Mobile App", conversation), "planner"));
  EXPECT_EQ(count_of(planner, "tool_start"), 0u);
  EXPECT_NE(joined_tokens(planner).find("follow-up"), std::string::npos) << joined_tokens(planner);
}

// A server that refuses the schema (HTTP 400) does not fail the turn: free tool calling answers.
TEST_F(AnswerModesE2e, APlanRequestTheServerRefusesFallsBackToFreeToolCalling) {
  start({"--answer-mode", "auto", "--model-plans", "on"});
  auto c = connect();
  ScriptedReply refused;
  refused.status = 400;
  refused.error_body = R"({"error": "format is not supported"})";
  llm_->push(refused);
  llm_->push(answer({"Asked ", "the tools."}));
  auto ev = turn(*c, message(kRefused));
  ASSERT_EQ(type_of(ev.back()), "complete") << dump(ev.back());
  EXPECT_EQ(ev.back().at("answered_by"), "model");
  EXPECT_EQ(ev.back().at("llm_calls"), 2);
  EXPECT_EQ(joined_tokens(ev), "Asked the tools.");
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_NE(plan_schema(reqs[0]), nullptr);
  EXPECT_TRUE(has_tools(reqs[1]));
}

}  // namespace
