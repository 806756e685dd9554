#pragma once
// Every route handler (route_table.hpp lists them with their routes) and the
// helpers they share for reading bodies and auditing.
#include <chrono>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/route_call.hpp"
#include "reproductions.hpp"
#include "write_refusal.hpp"

namespace lb::gateway {

// Health, metrics, contests, static files, the live stream's HTTP face.
void healthz(route_call& call, respond_fn respond);
void readyz(route_call& call, respond_fn respond);
void metrics_text(route_call& call, respond_fn respond);
void list_contests(route_call& call, respond_fn respond);
void list_hosts(route_call& call, respond_fn respond);
void show_contest(route_call& call, respond_fn respond);
void serve_static(route_call& call, respond_fn respond);
void serve_console(route_call& call, respond_fn respond);  // /admin, and /ops (its operations tab)
void live_stream(route_call& call, respond_fn respond);  // /ws without an upgrade: 426
// Webhooks.
void host_hook(route_call& call, respond_fn respond);
// Boards and the award log.
void standings(route_call& call, respond_fn respond);
void phone_qr(route_call& call, respond_fn respond);  // ?origin=: the contest's phone link as a QR code (SVG)
void participant_detail(route_call& call, respond_fn respond);
void events(route_call& call, respond_fn respond);
void history(route_call& call, respond_fn respond);
// The big screen and the phone view.
void board_cells(route_call& call, respond_fn respond);        // ?ids=: PR counts, the reproduction grid, component scores
void find_participants(route_call& call, respond_fn respond);  // ?q=: a name or login, at most 10 found
void reveal_status(route_call& call, respond_fn respond);
void reveal_control(route_call& call, respond_fn respond);     // the presenter's start, next, back, auto, pause, stop
void branding_file(route_call& call, respond_fn respond);      // /branding/<logo> named in the config
// Organizers.
void adjustment(route_call& call, respond_fn respond);
void unattributed(route_call& call, respond_fn respond);
void audit(route_call& call, respond_fn respond);
void import_teams(route_call& call, respond_fn respond);
void import_participants(route_call& call, respond_fn respond);
void list_roster(route_call& call, respond_fn respond);  // every team and participant with logins (admin)
void disqualify(route_call& call, respond_fn respond);
void reinstate(route_call& call, respond_fn respond);
void put_component_scores(route_call& call, respond_fn respond);
void issue_token(route_call& call, respond_fn respond);
void revoke_tokens(route_call& call, respond_fn respond);
void submit_reproduction(route_call& call, respond_fn respond);
// A judge's claim on a piece of work (gateway/api/judge_queue.cpp): 15 minutes, one judge at a time;
// `what` names the work in a refusal, `answer` is what a success answers with its claim added.
void take_claim(engine::redis_executor& redis, const std::string& key, const std::string& judge, const std::string& what, nlohmann::json answer,
                respond_fn respond);
void drop_claim(engine::redis_executor& redis, const std::string& key, const caller& who, const std::string& what, nlohmann::json answer,
                respond_fn respond);
// Homework (gateway/api/homework_routes.cpp).
void hand_in_homework(route_call& call, respond_fn respond);
void claim_hand_in(route_call& call, respond_fn respond);
void release_hand_in_claim(route_call& call, respond_fn respond);
void my_homework(route_call& call, respond_fn respond);
void list_homework(route_call& call, respond_fn respond);
void score_homework(route_call& call, respond_fn respond);
// Public votes (gateway/api/vote_routes.cpp).
void show_vote(route_call& call, respond_fn respond);           // the entries (an order per visitor), the count, tallies once shown
void hand_in_vote_entry(route_call& call, respond_fn respond);  // a participant's {"url", "title"}, until the vote opens
void cast_ballot(route_call& call, respond_fn respond);         // a signed-in member's {"entries": [...]}
void list_ballots(route_call& call, respond_fn respond);        // admin: every ballot with its fraud signals
void void_ballot(route_call& call, respond_fn respond);         // admin: {"reason"}
// Certificates (gateway/api/certificate_routes.cpp).
void list_certificates(route_call& call, respond_fn respond);         // admin: a contest's certificates
void issue_certificates_route(route_call& call, respond_fn respond);  // admin: issue, or issue again, for a final contest
void show_certificate(route_call& call, respond_fn respond);          // anyone with the id: the record and its hash
void certificate_qr(route_call& call, respond_fn respond);            // ?origin=: the certificate's own address as a QR code
void serve_certificate_page(route_call& call, respond_fn respond);    // /certificates/<id>: the printable page
void list_submissions(route_call& call, respond_fn respond);
void record_verdict(route_call& call, respond_fn respond);
void freeze(route_call& call, respond_fn respond);
void unfreeze(route_call& call, respond_fn respond);
void recompute_boards(route_call& call, respond_fn respond);
void finalize(route_call& call, respond_fn respond);
// The console: who the token is, the contest at a glance, the judges' queue, why a PR did not count.
void whoami(route_call& call, respond_fn respond);
void overview(route_call& call, respond_fn respond);
void claim_submission(route_call& call, respond_fn respond);
void release_claim(route_call& call, respond_fn respond);
void explain(route_call& call, respond_fn respond);
void reload_config(route_call& call, respond_fn respond);  // the config file again, checked whole
// The community: sign-ups, the organizers' decisions, people's profiles.
void sign_up_route(route_call& call, respond_fn respond);
void list_sign_ups(route_call& call, respond_fn respond);  // ?state=pending|approved|rejected|all
void approve_sign_up(route_call& call, respond_fn respond);
void sign_up_status(route_call& call, respond_fn respond);  // what became of it: state, reason, community id
// Signing in with a code host (OAuth), the visitor's session, signing out.
void start_sign_in(route_call& call, respond_fn respond);   // ?return=<local path>: to the host
void finish_sign_in(route_call& call, respond_fn respond);  // the host's redirect back: ?code&state
void session_status(route_call& call, respond_fn respond);  // who is signed in (never the session id)
void sign_out(route_call& call, respond_fn respond);
void reject_sign_up(route_call& call, respond_fn respond);
void person_profile(route_call& call, respond_fn respond);
void serve_profile_page(route_call& call, respond_fn respond);  // /people/<id>: the page, which asks the API
void contest_operations(route_call& call, respond_fn respond);  // admin: new contributors, retention, funnel, merges per day
void list_seasons(route_call& call, respond_fn respond);
void season_standings(route_call& call, respond_fn respond);     // ?board=people|chapters:<kind>&format=json|csv
void season_operations(route_call& call, respond_fn respond);    // admin: the contest figures over a season's contests
void move_person_chapter(route_call& call, respond_fn respond);  // admin: {"kind", "chapter", "since"?, "reason"?}
void serve_season_page(route_call& call, respond_fn respond);    // /seasons/<id>: the page, which asks the API

// What a verdict would do (tolerance check, first bonus before and after); nothing is written.
void preview_verdict(app_context& app, const engine::contest& c, engine::submission changed, respond_fn respond);
// The participant a participant route acts for (the router named them by token or session), or the
// refusal: 401 when they are off the roster now, 403 when disqualified.
std::variant<const engine::participant*, api_response> acting_participant(const route_call& call);
// A participant's or voter's write the engine refused, as its answer.
api_response refused_write(const engine::write_refusal& r);
// 409 for writes once the contest is final.
api_response final_refusal(const engine::contest& c);

// The body as a JSON object (an empty body reads as {} when empty_is_object), or the
// answer refusing it: 415 for another content type, 400 naming what is wrong.
std::variant<nlohmann::json, api_response> json_object_body(const api_request& request, bool empty_is_object = false);

// Who did it (the token's identity) and why, from a JSON body or, for uploads whose body
// is the data, from the query (?reason=). reason_required refuses a missing reason; an
// "actor" field is refused (the token names the actor).
struct admin_action {
    std::string actor = "admin";  // the token's identity
    std::string reason;
};
std::variant<admin_action, api_response> read_action(const caller& who, const nlohmann::json& source, bool reason_required);
nlohmann::json action_in_query(const request_target& target);  // {"actor", "reason"} from ?actor=&reason=
// The same from an optional JSON object body (empty means {}).
std::variant<admin_action, api_response> read_body_action(const route_call& call, bool reason_required);
nlohmann::json audit_entry(const admin_action& action, std::string_view what, nlohmann::json details = nlohmann::json::object());

// Re-decides every model's awards (after a disqualification moved who may hold a first bonus).
void rescore_models(app_context& app, const engine::contest& c, std::function<void(int, std::string)> done);

}  // namespace lb::gateway
