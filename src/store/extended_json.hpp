#pragma once
// MongoDB Extended JSON v2 (canonical and relaxed, and the legacy `$binary`/`$type` form that old
// mongoexport writes) turned into the plain JSON values the stores hold and the model sees
// (docs/data.md): ObjectIds as 24 lowercase hex digits, dates as ISO-8601 UTC strings with
// milliseconds, UUIDs (binary subtypes 3 and 4, `$uuid`) as canonical lowercase strings, 64-bit
// and decimal numbers as numbers (NaN and the infinities, which JSON cannot hold, as the strings
// "NaN", "Infinity" and "-Infinity"), regular expressions as "/pattern/options", other binary data as
// base64 text. `$minKey`/`$maxKey` stay as they are: the query engine orders them below and above
// everything, as MongoDB does.
#include "core/json_util.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pms::store {

// How the 16 bytes of a binary subtype 3 ("legacy UUID") are ordered; every driver wrote its own.
enum class UuidRepresentation {
  java_legacy,    // each 8-byte half reversed (the Java driver; what Spring applications stored)
  standard,       // as written (same as subtype 4)
  python_legacy,  // as written (PyMongo's legacy order is the standard one)
  csharp_legacy,  // the first three groups little-endian (the .NET driver)
};

// "java-legacy", "standard", "python-legacy", "csharp-legacy"; throws std::invalid_argument.
UuidRepresentation parse_uuid_representation(std::string_view name);

struct ExtendedJsonOptions {
  UuidRepresentation legacy_uuid = UuidRepresentation::java_legacy;  // for subtype 3
};

// A value written as Extended JSON that cannot be read (bad base64, a UUID of the wrong length,
// an unreadable date). The message names the value.
class ExtendedJsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True if `o` is written as an Extended JSON literal ({"$oid": ...}, {"$date": ...}, ...), not as
// a document or a query operator.
bool is_extended_json_literal(const json::object& o);

// Converts every Extended JSON literal in `v` (documents and arrays recursively); other values
// are returned unchanged.
json::value from_extended_json(const json::value& v, const ExtendedJsonOptions& options = {});

// The UUID in 16 bytes as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", reading them in `order`.
std::string uuid_string(std::string_view bytes16, UuidRepresentation order);
// The inverse: the 16 bytes a driver using `order` stores for a canonical UUID string, or nullopt
// when `text` is not one (8-4-4-4-12 hex digits).
std::optional<std::string> uuid_bytes(std::string_view text, UuidRepresentation order);

}  // namespace pms::store
