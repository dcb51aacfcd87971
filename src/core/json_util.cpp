#include "core/json_util.hpp"

namespace pms {

std::string dump(const json::value& v) { return json::serialize(v); }

std::optional<json::value> try_parse(std::string_view text, std::string* error, std::size_t max_depth) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = max_depth;
  json::value v = json::parse(text, ec, {}, options);
  if (ec) {
    if (error) *error = ec.message();
    return std::nullopt;
  }
  return v;
}

std::size_t json_depth(const json::object& o, std::size_t limit) {
  if (limit == 0) return 1;  // deeper than the caller's limit: no need to look further
  std::size_t deepest = 0;
  for (auto& [k, member] : o) deepest = std::max(deepest, json_depth(member, limit - 1));
  return deepest + 1;
}

std::size_t json_depth(const json::value& v, std::size_t limit) {
  if (v.is_object()) return json_depth(v.get_object(), limit);
  if (!v.is_array()) return 0;
  if (limit == 0) return 1;
  std::size_t deepest = 0;
  for (auto& e : v.get_array()) deepest = std::max(deepest, json_depth(e, limit - 1));
  return deepest + 1;
}

std::optional<std::string_view> string_member(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string()) return std::nullopt;
  return std::string_view(it->value().get_string());
}

namespace {
// Length of the UTF-8 sequence that starts with `lead`, or 0 for a byte that cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return lead >= 0xC2 ? 2 : 0;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return lead <= 0xF4 ? 4 : 0;
  return 0;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of a valid sequence at `i`, 0 if invalid, or SIZE_MAX if it runs past the end.
std::size_t valid_sequence_at(std::string_view s, std::size_t i) {
  auto lead = static_cast<unsigned char>(s[i]);
  std::size_t n = sequence_length(lead);
  if (n == 0) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) return SIZE_MAX;
    auto c = static_cast<unsigned char>(s[i + k]);
    if (!is_continuation(c)) return 0;
    // Reject overlong encodings and surrogates, as a strict decoder does.
    if (k == 1) {
      if (lead == 0xE0 && c < 0xA0) return 0;
      if (lead == 0xED && c > 0x9F) return 0;
      if (lead == 0xF0 && c < 0x90) return 0;
      if (lead == 0xF4 && c > 0x8F) return 0;
    }
  }
  return n;
}
}  // namespace

std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) --end;
  return text.substr(0, end);
}

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = valid_sequence_at(text, i);
    if (n == 0 || n == SIZE_MAX) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace pms
