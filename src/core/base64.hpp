#pragma once
// Base64 (RFC 4648 §4, with padding) and base64url (§5, without), on OpenSSL's codec.
#include <optional>
#include <string>
#include <string_view>

namespace pms {

std::string base64_encode(std::string_view bytes);
// nullopt for text that is not padded base64.
std::optional<std::string> base64_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace pms
