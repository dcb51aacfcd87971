#pragma once
// A blocking WebSocket client for the chat protocol: connect, send frames, take events one by
// one with a timeout. Used by pms-chat and by the end-to-end tests.
#include "core/json_util.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pms::client {

class ChatClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Connects to a ws:// URL such as ws://127.0.0.1:8000/ws/chat, sending `headers` with the
  // upgrade. Throws std::runtime_error (with the HTTP status when the server refuses the upgrade).
  explicit ChatClient(std::string_view url, std::chrono::milliseconds connect_timeout = std::chrono::seconds(5),
                      Headers headers = {});
  ~ChatClient();
  ChatClient(const ChatClient&) = delete;
  ChatClient& operator=(const ChatClient&) = delete;

  // Sends one text frame. Throws std::runtime_error if the connection is gone.
  void send(std::string_view frame);
  void send(const json::value& message) { send(dump(message)); }

  // The next event, or nullopt if none arrives within `timeout`. Throws std::runtime_error once
  // the connection is closed and every received event has been taken.
  std::optional<json::object> next_event(std::chrono::milliseconds timeout);

  // Frames that were not JSON objects are returned as {"type": "<unparsed>", "raw": ...}.
  bool is_open() const;
  // The close code the server sent, if it closed the connection.
  std::optional<int> close_code() const;
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pms::client
