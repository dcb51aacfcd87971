#include "core/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace pms;

TEST(Config, DefaultsFollowTheSeed) {
  ServerConfig c;
  const char* argv[] = {"pms-assistant"};
  ::unsetenv("OLLAMA_HOST");
  ASSERT_EQ(parse_server_args(1, argv, c), -1);
  EXPECT_EQ(c.port, 8000);
  EXPECT_EQ(c.llm.model, "qwen3:0.6b");
  EXPECT_EQ(c.llm.num_ctx, 2048);
  EXPECT_EQ(c.llm.num_predict, 256);
  EXPECT_EQ(c.llm.num_thread, 8);
  EXPECT_DOUBLE_EQ(c.llm.temperature, 0.3);
  EXPECT_FALSE(c.llm.think);
  EXPECT_EQ(c.llm.ollama_host, "http://localhost:11434");
  EXPECT_EQ(c.agent.max_steps, 5);
  EXPECT_FALSE(c.db_path.empty());
}

TEST(Config, EnvironmentAndFlags) {
  ::setenv("OLLAMA_HOST", "0.0.0.0", 1);
  ::setenv("PMS_PORT", "9001", 1);
  ServerConfig c;
  const char* argv[] = {"pms-assistant", "--model", "qwen3:0.6b-fp16", "--think"};
  ASSERT_EQ(parse_server_args(4, argv, c), -1);
  EXPECT_EQ(c.port, 9001);
  EXPECT_EQ(c.llm.ollama_host, "http://0.0.0.0:11434");
  EXPECT_EQ(c.llm.model, "qwen3:0.6b-fp16");
  EXPECT_TRUE(c.llm.think);
  ::unsetenv("OLLAMA_HOST");
  ::unsetenv("PMS_PORT");
}

TEST(Config, BadValuesAreUsageErrors) {
  ServerConfig c;
  const char* argv[] = {"pms-assistant", "--llm", "gpt"};
  EXPECT_GT(parse_server_args(3, argv, c), 0);
}

TEST(Config, NormalizesOllamaHost) {
  EXPECT_EQ(normalize_ollama_host("example:1234"), "http://example:1234");
  EXPECT_EQ(normalize_ollama_host("https://ollama.local/"), "https://ollama.local");
  EXPECT_EQ(normalize_ollama_host("[::1]"), "http://[::1]:11434");
  EXPECT_EQ(normalize_ollama_host("127.0.0.1:5000"), "http://127.0.0.1:5000");
}
