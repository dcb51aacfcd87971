// The client frame parser: any bytes get either a message or a protocol error with a known code,
// never an exception or a crash.
#include "fuzz_support.hpp"
#include "server/client_message.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  for (std::size_t limit : {std::size_t{64}, std::size_t{65536}}) {
    auto parsed = pms::server::parse_client_message(frame, limit);
    if (auto* err = std::get_if<pms::server::ProtocolError>(&parsed)) {
      PMS_FUZZ_CHECK(err->code == "invalid_json" || err->code == "invalid_message" || err->code == "unknown_type" ||
                     err->code == "message_too_large");
      PMS_FUZZ_CHECK(!err->message.empty());
    } else {
      auto& m = std::get<pms::server::ClientMessage>(parsed);
      PMS_FUZZ_CHECK(frame.size() <= limit);
      if (m.type == pms::server::ClientMessage::Type::message) {
        PMS_FUZZ_CHECK(!m.text.empty());
        PMS_FUZZ_CHECK(m.conversation_id.empty() || pms::server::valid_conversation_id(m.conversation_id));
      }
    }
  }
  return 0;
}
