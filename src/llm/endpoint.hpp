#pragma once
// An HTTP(S) server address split from a URL such as "http://localhost:11434" or
// "https://api.example.com/v1".
#include <string>
#include <string_view>

namespace pms::llm {

struct Endpoint {
  bool tls = false;
  std::string host;  // without brackets for IPv6
  std::string port;
  std::string base_path;  // without a trailing slash, "" for the root

  std::string url() const;  // back to text, for messages
};

// Throws std::invalid_argument with a message naming the URL.
Endpoint parse_endpoint(std::string_view url);

}  // namespace pms::llm
