#include "llm/endpoint.hpp"

#include <boost/url/parse.hpp>

#include <stdexcept>

namespace pms::llm {

std::string Endpoint::url() const {
  bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + port + base_path;
}

Endpoint parse_endpoint(std::string_view text) {
  auto r = boost::urls::parse_absolute_uri(text);
  if (!r) throw std::invalid_argument("'" + std::string(text) + "' is not a URL like http://localhost:11434");
  auto& u = *r;
  Endpoint ep;
  if (u.scheme() == "https") ep.tls = true;
  else if (u.scheme() != "http") throw std::invalid_argument("'" + std::string(text) + "': only http:// and https:// are supported");
  ep.host = u.encoded_host_address().decode();
  if (ep.host.size() > 2 && ep.host.front() == '[') ep.host = ep.host.substr(1, ep.host.size() - 2);
  if (ep.host.empty()) throw std::invalid_argument("'" + std::string(text) + "' has no host");
  ep.port = u.has_port() ? std::string(u.port()) : (ep.tls ? "443" : "80");
  ep.base_path = std::string(u.encoded_path());
  while (!ep.base_path.empty() && ep.base_path.back() == '/') ep.base_path.pop_back();
  return ep;
}

}  // namespace pms::llm
