#pragma once
// Organizer routes beyond adjustments: imports, disqualification, judged scores,
// reproductions, freeze and recompute. api_router checks the admin token (or, for
// submissions, the participant's token) before calling these.
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/api_router.hpp"

namespace lb::gateway {

// Who did it and why, from a JSON body or, for uploads whose body is the data,
// from the query (?actor=&reason=). reason_required refuses a missing reason.
struct admin_action {
    std::string actor = "admin";
    std::string reason;
};
std::variant<admin_action, api_response> read_action(const nlohmann::json& source, bool reason_required);
nlohmann::json action_in_query(const request_target& target);  // {"actor", "reason"} from ?actor=&reason=
// The same from an optional JSON object body (empty means {}); a body that is not one is 400.
std::variant<admin_action, api_response> read_body_action(const api_request& request, bool reason_required);
nlohmann::json audit_entry(const admin_action& action, std::string_view what, nlohmann::json details = nlohmann::json::object());

void import_roster(app_context& app, const engine::contest& c, const request_target& target, const api_request& request,
                   bool teams, respond_fn respond);
void set_disqualified(app_context& app, const engine::contest& c, const std::string& pid, const api_request& request,
                      bool disqualified, respond_fn respond);
void put_component_scores(app_context& app, const engine::contest& c, const std::string& component,
                          const request_target& target, const api_request& request, respond_fn respond);
void issue_token(app_context& app, const engine::contest& c, const std::string& pid, const api_request& request, respond_fn respond);
void submit_reproduction(app_context& app, const engine::contest& c, const api_request& request, respond_fn respond);
void record_verdict(app_context& app, const engine::contest& c, const std::string& sid, const api_request& request, respond_fn respond);
void list_submissions(app_context& app, const engine::contest& c, respond_fn respond);
void set_freeze(app_context& app, const engine::contest& c, const api_request& request, bool freeze, respond_fn respond);
void recompute_route(app_context& app, const engine::contest& c, const request_target& target, const api_request& request,
                     respond_fn respond);

// Re-decides every model's awards (after a disqualification moved who may hold a first bonus).
void rescore_models(app_context& app, const engine::contest& c, std::function<void(int, std::string)> done);

}  // namespace lb::gateway
