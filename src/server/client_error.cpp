#include "server/client_error.hpp"

#include "core/log.hpp"
#include "llm/llm_error.hpp"
#include "store/document_store.hpp"
#include "store/query/query_error.hpp"
#include "understanding/project_scope.hpp"

#include <new>

namespace pms::server {

ClientError client_error_from(std::exception_ptr failure, std::string_view context) {
  try {
    std::rethrow_exception(failure);
  } catch (const llm::LlmError& e) {
    int status = e.code() == llm::LlmErrc::timeout ? 504 : e.code() == llm::LlmErrc::cancelled ? 499 : 502;
    return {status, llm::error_code_name(e.code()), e.what()};
  } catch (const understanding::UnknownProject& e) {
    return {400, "unknown_project", e.what()};
  } catch (const store::QueryCancelled&) {
    return cancelled_error();
  } catch (const store::QueryTimeout& e) {
    return {504, "query_timeout", e.what()};
  } catch (const store::QueryError& e) {
    return {400, "query_error", e.what()};
  } catch (const store::StoreError& e) {
    return {503, "database_error", e.what()};
  } catch (const std::bad_alloc&) {
    spdlog::error("{}: out of memory", context);
    return {503, "out_of_memory", "the server ran out of memory for this request: ask for less at once"};
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", context, e.what());
  } catch (...) {
    spdlog::error("{} failed with an unknown exception", context);
  }
  return {500, "internal", "an internal error stopped this request (the details are in the server log)"};
}

ClientError shutting_down_error() {
  return {503, "shutting_down", "the server is restarting: send the message again in a moment"};
}

ClientError cancelled_error() { return {499, "cancelled", "the answer was cancelled"}; }

}  // namespace pms::server
