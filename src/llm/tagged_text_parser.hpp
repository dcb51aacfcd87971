#pragma once
// Separates what small models write inside `content`: reasoning in <think>...</think> and tool
// calls in <tool_call>{...}</tool_call>, from the answer text. Tags may be split across chunks:
// text that could be the start of a tag is held back until the next chunk decides.
#include <functional>
#include <string>
#include <string_view>

namespace pms::llm {

class TaggedTextParser {
 public:
  struct Handler {
    std::function<void(std::string_view)> text;
    std::function<void(std::string_view)> thinking;
    std::function<void(std::string_view)> tool_call;  // the whole body of one <tool_call>
  };

  explicit TaggedTextParser(Handler h) : h_(std::move(h)) {}

  void feed(std::string_view chunk);
  // Flushes held-back text; an unclosed <tool_call> is delivered as a tool call, an unclosed
  // <think> as thinking.
  void finish();

 private:
  enum class Mode { text, think, tool_call };
  void emit(std::string_view s);
  Mode mode_ = Mode::text;
  std::string buf_;
  std::string tool_body_;
  bool trim_leading_ = false;  // drop the blank lines a model writes after </think>
  Handler h_;
};

}  // namespace pms::llm
