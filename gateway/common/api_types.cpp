#include "common/api_types.hpp"

#include "untrusted_json.hpp"

namespace lb::gateway {

api_response json_error(int status, std::string_view code, std::string_view message) {
    return {status, "application/json", engine::to_text({{"error", code}, {"message", message}}), {}};
}

api_response json_ok(const nlohmann::json& body, int status) { return {status, "application/json", engine::to_text(body), {}}; }

api_response redis_failure(const std::string& detail) {
    return json_error(503, "redis_unavailable", "the store cannot be reached right now (" + detail + ")");
}

}  // namespace lb::gateway
