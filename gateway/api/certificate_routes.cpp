// Certificates: issued at finalize (and again by an organizer), read by anyone who has the id,
// printed from /certificates/<id> with a QR code of that address (engine/core/certificates.hpp).
#include "api/handlers.hpp"
#include "api/phone_link.hpp"
#include "certificate_store.hpp"
#include "clock.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using json = nlohmann::json;

namespace {

api_response unknown_certificate() { return json_error(404, "unknown_certificate", "certificate: no certificate has this id"); }

}  // namespace

void show_certificate(route_call& call, respond_fn respond) {
    const auto& id = call.param("certificate");
    if (!engine::is_certificate_id(id)) return respond(unknown_certificate());
    auto& app = call.app;
    engine::read_certificate(app.redis, id, [&app, respond = std::move(respond)](std::optional<json> record, std::string error) {
        if (!error.empty()) return respond(redis_failure(error));
        if (!record) return respond(unknown_certificate());
        // The page draws the contest's branding: its colour and logo, as the board shows them.
        if (const auto* c = app.config().find_contest(record->value("contest", "")))
            (*record)["branding"] = {{"color", c->branding.color}, {"logo", c->branding.logo.empty() ? json(nullptr) : json("/branding/" + c->branding.logo)}};
        respond(json_ok(std::move(*record)));
    });
}

void certificate_qr(route_call& call, respond_fn respond) {
    const auto& id = call.param("certificate");
    if (!engine::is_certificate_id(id)) return respond(unknown_certificate());
    auto origin = checked_origin(call.query("origin"));
    if (!origin) return respond(json_error(400, "bad_query", "origin: expected the page's origin, such as https://contest.example.org"));
    auto svg = qr_svg(*origin + "/certificates/" + id);
    if (!svg) return respond(json_error(400, "bad_query", "origin: too long for a QR code"));
    respond({200, "image/svg+xml", std::move(*svg), {{"Cache-Control", "max-age=300"}, {"X-Content-Type-Options", "nosniff"}}});
}

void list_certificates(route_call& call, respond_fn respond) {
    engine::contest_certificates(call.app.redis, call.c(), [respond = std::move(respond)](std::vector<json> records, std::string error) {
        if (!error.empty()) return respond(redis_failure(error));
        respond(json_ok({{"certificates", records}}));
    });
}

void issue_certificates_route(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    if (!c.is_final()) return respond(json_error(409, "not_final", "certificates are issued for final standings: finalize the contest first"));
    if (c.placings.empty()) return respond(json_error(409, "no_placings", "the contest's config names no placings to certify"));
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto audit = audit_entry(std::get<admin_action>(action), "issue_certificates");
    auto& app = call.app;
    engine::issue_certificates(app.redis, c, engine::now_seconds(), [&app, &c, audit, respond = std::move(respond)](std::vector<json> records, std::string error) {
        if (!error.empty()) return respond(redis_failure(error));
        app.redis.execute({{{"XADD", engine::keys::audit(c.id), "*", "entry", engine::to_text(audit)}}}, [records, respond](auto) {
            respond(json_ok({{"certificates", records}}));
        });
    });
}

}  // namespace lb::gateway
