#pragma once
// A read-only tool the model can call: its JSON-schema'd definition and how it runs against a
// DocumentStore. Tools are plain blocking code; the agent runs them on a database thread.
#include "core/cancel_token.hpp"
#include "core/json_util.hpp"
#include "store/document_store.hpp"

#include <stdexcept>
#include <string>

namespace pms::tools {

struct ToolDefinition {
  std::string name;
  std::string description;
  json::object parameters;  // JSON Schema of the arguments object
};

// The model passed arguments the tool cannot use; the message says what to pass instead.
class ToolArgumentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Tool {
 public:
  virtual ~Tool() = default;
  virtual const ToolDefinition& definition() const = 0;
  // Throws ToolArgumentError, store::QueryError, store::QueryCancelled or store::StoreError.
  virtual json::value run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const = 0;
};

// Argument readers shared by the tools. Small models often send JSON as a string
// ("filter": "{\"priority\": \"HIGH\"}"), so object arguments also accept a string holding one.
std::string required_string(const json::object& args, std::string_view key);
json::value optional_object(const json::object& args, std::string_view key);
json::value optional_array(const json::object& args, std::string_view key);
// A whole number in [min, max] (a number or a string holding one); store::QueryError otherwise
// (fractions, numbers past 64 bits, values out of range), saying what is allowed.
std::int64_t optional_integer(const json::object& args, std::string_view key, std::int64_t fallback,
                              std::int64_t min, std::int64_t max);

// Checks that `collection` exists (an index lookup); the error lists the ones that do, so the
// model can retry.
void require_collection(store::DocumentStore& store, const std::string& collection);

// JSON Schema helpers for definitions.
json::object schema_object(json::object properties, std::initializer_list<std::string_view> required);

}  // namespace pms::tools
