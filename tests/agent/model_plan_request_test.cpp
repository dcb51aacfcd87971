// Asking the model for a plan, against the scripted LLM server on 127.0.0.1 in both wire formats:
// the request carries the turn's schema (Ollama `format`, OpenAI `response_format`) with the
// catalog's stored values and no tools, a valid reply becomes a plan, an off-schema one says why
// not, and a cancelled turn stops the request.
#include "agent/model_plan_request.hpp"
#include "core/time_util.hpp"
#include "llm/llm_error.hpp"
#include "support/scripted_llm_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <thread>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

struct Wire {
  const char* name;
  bool openai;
};
void PrintTo(const Wire& w, std::ostream* os) { *os << w.name; }

class ModelPlanRequest : public ::testing::TestWithParam<Wire> {
 protected:
  ModelPlanRequest() {
    catalog_->collections.push_back(understanding::CollectionCatalog{
        "workItem", 40,
        {understanding::CategoryField::of("priority", {"URGENT", "HIGH", "LOW"}), understanding::CategoryField::of("state.name", {"Todo", "In Progress", "Done"}),
         understanding::CategoryField::of("project.name", {"Fleet Tracker", "Portal"})},
        {{"createdTimeStamp", "2026-01-01T00:00:00.000Z", "2026-11-20T00:00:00.000Z"}}, {}, {}, {}});
  }

  LlmConfig config() const {
    LlmConfig c;
    c.read_timeout_s = 2;
    if (GetParam().openai) {
      c.provider = "openai";
      c.openai_base_url = server_.url() + "/v1";
    } else {
      c.ollama_host = server_.url();
    }
    return c;
  }

  // The attempt, or the LlmError it ended with.
  std::variant<agent::ModelPlanAttempt, llm::LlmError> ask(CancelTokenPtr cancel = std::make_shared<CancelToken>()) {
    boost::asio::io_context ioc;
    auto client = llm::make_llm_client(config());
    std::vector<llm::ChatMessage> messages{{"system", "You answer questions about PMS data.", {}, {}, {}},
                                           {"user", "how many urgent bugs in fleet?", {}, {}, {}}};
    auto fut = boost::asio::co_spawn(ioc, agent::ask_model_for_plan(*client, std::move(messages), catalog_, now_, cancel), boost::asio::use_future);
    ioc.run();
    try {
      return fut.get();
    } catch (const llm::LlmError& e) {
      return e;
    }
  }

  // The schema the request carried, as its wire format puts it.
  json::object sent_schema() const {
    auto requests = server_.chat_requests();
    EXPECT_EQ(requests.size(), 1u);
    if (requests.empty()) return {};
    auto& body = requests.back().body.as_object();
    EXPECT_FALSE(body.contains("tools"));  // the plan, not a tool call
    if (GetParam().openai) {
      EXPECT_FALSE(body.contains("format"));
      auto& format = body.at("response_format");
      EXPECT_EQ(format.at("type"), "json_schema");
      EXPECT_EQ(format.at("json_schema").at("strict"), true);
      return format.at("json_schema").at("schema").as_object();
    }
    EXPECT_FALSE(body.contains("response_format"));
    return body.at("format").as_object();
  }

  std::shared_ptr<understanding::ValueCatalog> catalog_ = std::make_shared<understanding::ValueCatalog>();
  std::int64_t now_ = *parse_iso8601_ms("2026-11-20T12:00:00Z");
  ScriptedLlmServer server_;
};

TEST_P(ModelPlanRequest, TheSchemaSentHoldsTheCatalogsValuesAndAValidReplyIsAPlan) {
  std::vector<std::string> chunks = {R"({"entity":"workItem",)", R"("operation":"count",)", R"("filters":{"priority":"URGENT",)",
                                     R"("project":"Fleet Tracker"}})"};
  server_.push(answer(chunks));
  auto result = ask();
  ASSERT_TRUE(std::holds_alternative<agent::ModelPlanAttempt>(result)) << std::get<llm::LlmError>(result).what();
  auto& attempt = std::get<agent::ModelPlanAttempt>(result);
  EXPECT_TRUE(attempt.asked);
  std::string whole;
  for (auto& c : chunks) whole += c;
  EXPECT_EQ(attempt.raw, whole);
  ASSERT_TRUE(attempt.plan) << attempt.why_not;
  EXPECT_EQ(attempt.plan->operation, understanding::Operation::count);
  EXPECT_EQ(attempt.plan->collection, "workItem");
  EXPECT_EQ(json::value(attempt.plan->filter()), (json::value(json::object{{"priority", "URGENT"}, {"project.name", "Fleet Tracker"}})));
  EXPECT_EQ(attempt.completion_tokens, static_cast<std::int64_t>(chunks.size()));  // the scripted server counts a chunk a token

  auto schema = sent_schema();
  auto& filters = schema.at("properties").at("filters").at("properties");
  for (auto& [key, path] : {std::pair{"priority", "priority"}, {"state", "state.name"}, {"project", "project.name"}}) {
    auto& offered = filters.at(key).at("enum").as_array();
    for (auto& v : catalog_->collection("workItem")->category(path)->values)
      EXPECT_NE(std::find(offered.begin(), offered.end(), json::value(v.value)), offered.end()) << key << ": " << v.value;
  }
  // The instruction joins the turn's own system prompt; the question is kept as asked.
  auto requests = server_.chat_requests();
  auto& messages = requests.back().body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].at("content").as_string().find(agent::kModelPlanInstruction), std::string::npos);
  EXPECT_EQ(messages[1].at("content"), "how many urgent bugs in fleet?");
}

TEST_P(ModelPlanRequest, AnOffSchemaReplySaysWhyNot) {
  server_.push(answer({R"({"entity":"workItem","operation":"count","filters":{"priority":"urgent"}})"}));
  auto result = ask();
  ASSERT_TRUE(std::holds_alternative<agent::ModelPlanAttempt>(result));
  auto& attempt = std::get<agent::ModelPlanAttempt>(result);
  EXPECT_FALSE(attempt.plan);
  EXPECT_NE(attempt.why_not.find("not a stored priority"), std::string::npos) << attempt.why_not;

  server_.push(answer({"There are ", "3 urgent bugs."}));
  auto prose = std::get<agent::ModelPlanAttempt>(ask());
  EXPECT_FALSE(prose.plan);
  EXPECT_NE(prose.why_not.find("not JSON"), std::string::npos) << prose.why_not;
}

TEST_P(ModelPlanRequest, NothingIsAskedWithoutACatalogToPlanOver) {
  catalog_->collections.clear();
  auto attempt = std::get<agent::ModelPlanAttempt>(ask());
  EXPECT_FALSE(attempt.asked);
  EXPECT_FALSE(attempt.plan);
  EXPECT_FALSE(attempt.why_not.empty());
  EXPECT_TRUE(server_.chat_requests().empty());
}

TEST_P(ModelPlanRequest, CancellingMidStreamRaisesCancelledAndHangsUp) {
  server_.push(answer(std::vector<std::string>(200, " "), 20ms));  // 4 s of whitespace before any plan
  auto cancel = std::make_shared<CancelToken>();
  std::thread canceller([&] {
    server_.wait_until([](auto& q) { return !q.empty(); });
    std::this_thread::sleep_for(100ms);  // some chunks are through
    cancel->cancel();
  });
  auto started = SteadyClock::now();
  auto result = ask(cancel);
  canceller.join();
  ASSERT_TRUE(std::holds_alternative<llm::LlmError>(result));
  EXPECT_EQ(std::get<llm::LlmError>(result).code(), llm::LlmErrc::cancelled);
  EXPECT_LT(elapsed_ms(started), 3000);
  EXPECT_TRUE(server_.wait_until([](auto& q) { return !q.empty() && q.back().client_closed_early; }));
}

INSTANTIATE_TEST_SUITE_P(BothWires, ModelPlanRequest, ::testing::Values(Wire{"ollama", false}, Wire{"openai", true}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
