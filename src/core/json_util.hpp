#pragma once
// JSON is Boost.JSON throughout; these helpers keep call sites short and their errors readable.
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pms {
namespace json = boost::json;

// Compact serialisation. Boost.JSON escapes control characters, so the output is always valid JSON.
std::string dump(const json::value& v);

// How deeply JSON from outside (a client, the LLM, a file) may nest: Boost.JSON's default. What
// the server stores wraps such values in a few levels more, so it reads its own JSON back with a
// larger limit (store/sqlite/sqlite_conversation_store.hpp).
inline constexpr std::size_t kMaxJsonDepth = 32;

// Parses `text`; returns nullopt (and the parser's message in `error`) instead of throwing.
std::optional<json::value> try_parse(std::string_view text, std::string* error = nullptr, std::size_t max_depth = kMaxJsonDepth);

// How many arrays and objects deep `v` nests (a scalar: 0), counted no further than `limit` + 1.
std::size_t json_depth(const json::value& v, std::size_t limit);
std::size_t json_depth(const json::object& o, std::size_t limit);

// The member `key` if it exists and is a string.
std::optional<std::string_view> string_member(const json::object& obj, std::string_view key);

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

// Replaces invalid UTF-8 with U+FFFD so a stream from the LLM can never produce an invalid event.
std::string sanitize_utf8(std::string_view text);

}  // namespace pms
