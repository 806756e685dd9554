// The HTTP API, one line per route. docs/api.md documents the same routes (ctest docs_routes checks).
#include "api/handlers.hpp"
#include "api/route_list.hpp"

namespace lb::gateway {

namespace {

constexpr std::size_t no_body = 4 << 10;        // a GET, or an action whose body is a reason at most
constexpr std::size_t small_body = 4 << 10;     // a ballot, a vote entry
constexpr std::size_t json_body = 1 << 20;      // an admin or participant JSON body
constexpr std::size_t upload_body = 8 << 20;    // rosters and scores as CSV or JSON
constexpr std::size_t webhook_body = 25 << 20;  // GitHub's own cap on payloads

constexpr auto anyone = access::anyone;
constexpr auto participant = access::participant;
constexpr auto judge = access::judge;  // a judge or an admin
constexpr auto admin = access::admin;
constexpr auto all = served_by::every_role;
constexpr auto hooks = served_by::receivers;
constexpr auto api = served_by::gateways;

}  // namespace

std::vector<route> api_routes() {
    return {
        {"GET", "/healthz", anyone, no_body, all, healthz},
        {"GET", "/readyz", anyone, no_body, all, readyz},
        {"GET", "/metrics", anyone, no_body, all, metrics_text},
        {"POST", "/hooks/{host}", anyone, webhook_body, hooks, host_hook},
        {"GET", "/ws", anyone, no_body, api, live_stream},
        {"GET", "/", anyone, no_body, api, serve_static},
        {"GET", "/admin", anyone, no_body, api, serve_console},
        {"GET", "/ops", anyone, no_body, api, serve_console},
        {"GET", "/branding/{file}", anyone, no_body, api, branding_file},
        {"GET", "/{file}", anyone, no_body, api, serve_static},
        {"GET", "/api/contests", anyone, no_body, api, list_contests},
        {"GET", "/api/hosts", anyone, no_body, api, list_hosts},
        {"GET", "/api/contests/{contest}", anyone, no_body, api, show_contest},
        {"GET", "/api/contests/{contest}/standings", anyone, no_body, api, standings},
        {"GET", "/api/contests/{contest}/qr.svg", anyone, no_body, api, phone_qr},
        {"GET", "/api/contests/{contest}/participants/{pid}", anyone, no_body, api, participant_detail},
        {"GET", "/api/contests/{contest}/events", anyone, no_body, api, events},
        {"GET", "/api/contests/{contest}/history", anyone, no_body, api, history},
        {"GET", "/api/contests/{contest}/cells", anyone, no_body, api, board_cells},
        {"GET", "/api/contests/{contest}/find", anyone, no_body, api, find_participants},
        {"GET", "/api/contests/{contest}/reveal", anyone, no_body, api, reveal_status},
        {"POST", "/api/contests/{contest}/reveal", admin, json_body, api, reveal_control},
        {"POST", "/api/contests/{contest}/submissions", participant, json_body, api, submit_reproduction},
        {"POST", "/api/contests/{contest}/homework", participant, json_body, api, hand_in_homework},
        {"GET", "/api/contests/{contest}/homework/mine", participant, no_body, api, my_homework},
        {"GET", "/api/contests/{contest}/homework", judge, no_body, api, list_homework},
        {"POST", "/api/contests/{contest}/homework/{hand_in}/score", judge, json_body, api, score_homework},
        {"POST", "/api/contests/{contest}/homework/{hand_in}/claim", judge, no_body, api, claim_hand_in},
        {"DELETE", "/api/contests/{contest}/homework/{hand_in}/claim", judge, no_body, api, release_hand_in_claim},
        {"GET", "/api/contests/{contest}/votes/{component}", anyone, no_body, api, show_vote},
        {"POST", "/api/contests/{contest}/votes/{component}/entries", participant, small_body, api, hand_in_vote_entry},
        {"PUT", "/api/contests/{contest}/votes/{component}/ballot", anyone, small_body, api, cast_ballot},
        {"GET", "/api/contests/{contest}/votes/{component}/ballots", admin, no_body, api, list_ballots},
        {"POST", "/api/contests/{contest}/votes/{component}/ballots/{voter}/void", admin, small_body, api, void_ballot},
        {"GET", "/api/contests/{contest}/certificates", admin, no_body, api, list_certificates},
        {"POST", "/api/contests/{contest}/certificates", admin, no_body, api, issue_certificates_route},
        {"GET", "/api/certificates/{certificate}", anyone, no_body, api, show_certificate},
        {"GET", "/api/certificates/{certificate}/qr.svg", anyone, no_body, api, certificate_qr},
        {"GET", "/certificates/{certificate}", anyone, no_body, api, serve_certificate_page},
        {"POST", "/api/contests/{contest}/adjustments", admin, json_body, api, adjustment},
        {"GET", "/api/contests/{contest}/unattributed", admin, no_body, api, unattributed},
        {"GET", "/api/contests/{contest}/audit", admin, no_body, api, audit},
        {"PUT", "/api/contests/{contest}/teams", admin, upload_body, api, import_teams},
        {"GET", "/api/contests/{contest}/participants", admin, no_body, api, list_roster},
        {"PUT", "/api/contests/{contest}/participants", admin, upload_body, api, import_participants},
        {"POST", "/api/contests/{contest}/participants/{pid}/tokens", admin, no_body, api, issue_token},
        {"DELETE", "/api/contests/{contest}/participants/{pid}/tokens", admin, no_body, api, revoke_tokens},
        {"POST", "/api/contests/{contest}/participants/{pid}/disqualify", admin, no_body, api, disqualify},
        {"POST", "/api/contests/{contest}/participants/{pid}/reinstate", admin, no_body, api, reinstate},
        {"PUT", "/api/contests/{contest}/components/{component}", judge, upload_body, api, put_component_scores},
        {"GET", "/api/contests/{contest}/submissions", judge, no_body, api, list_submissions},
        {"POST", "/api/contests/{contest}/submissions/{sid}/verdict", judge, json_body, api, record_verdict},
        {"POST", "/api/contests/{contest}/freeze", admin, no_body, api, freeze},
        {"POST", "/api/contests/{contest}/unfreeze", admin, no_body, api, unfreeze},
        {"POST", "/api/contests/{contest}/recompute", admin, no_body, api, recompute_boards},
        {"POST", "/api/contests/{contest}/finalize", admin, no_body, api, finalize},
        {"POST", "/api/contests/{contest}/submissions/{sid}/claim", judge, no_body, api, claim_submission},
        {"DELETE", "/api/contests/{contest}/submissions/{sid}/claim", judge, no_body, api, release_claim},
        {"GET", "/api/contests/{contest}/overview", judge, no_body, api, overview},
        {"GET", "/api/contests/{contest}/explain", judge, no_body, api, explain},
        {"GET", "/api/contests/{contest}/operations", admin, no_body, api, contest_operations},
        {"GET", "/api/whoami", judge, no_body, api, whoami},
        {"POST", "/api/config/reload", admin, no_body, all, reload_config},
        {"POST", "/api/community/sign-ups", anyone, no_body, api, sign_up_route},
        {"GET", "/auth/{host}/start", anyone, no_body, api, start_sign_in},
        {"GET", "/auth/{host}/callback", anyone, no_body, api, finish_sign_in},
        {"POST", "/auth/sign-out", anyone, no_body, api, sign_out},
        {"GET", "/api/session", anyone, no_body, api, session_status},
        {"GET", "/api/community/sign-ups", admin, no_body, api, list_sign_ups},
        {"GET", "/api/community/sign-ups/{request}", anyone, no_body, api, sign_up_status},
        {"POST", "/api/community/sign-ups/{request}/approve", admin, no_body, api, approve_sign_up},
        {"POST", "/api/community/sign-ups/{request}/reject", admin, no_body, api, reject_sign_up},
        {"GET", "/api/people/{person}", anyone, no_body, api, person_profile},
        {"GET", "/people/{person}", anyone, no_body, api, serve_profile_page},
        {"POST", "/api/people/{person}/memberships", admin, json_body, api, move_person_chapter},
        {"GET", "/api/seasons", anyone, no_body, api, list_seasons},
        {"GET", "/api/seasons/{season}/standings", anyone, no_body, api, season_standings},
        {"GET", "/api/seasons/{season}/operations", admin, no_body, api, season_operations},
        {"GET", "/seasons/{season}", anyone, no_body, api, serve_season_page},
    };
}

}  // namespace lb::gateway
