// The receivers of GitCode, AtomGit and GitLab: one body shape (GitLab's merge request hook),
// each host's own headers and ways of proving a delivery.
#include "basic_credentials.hpp"
#include "hook_headers.hpp"
#include "merge_request_payload.hpp"
#include "receiver.hpp"
#include "signatures.hpp"

namespace lb::webhooks {

using nlohmann::json;

namespace {

// A header as the host spells it (for answers) and as it is looked up (hook_input keys are lower case).
struct header_name {
    std::string shown, key;
    header_name(const char* name) : shown(name), key(engine::to_lower_ascii(name)) {}
};

struct hook_headers {
    std::string_view host;
    header_name event;
    header_name token;
    header_name signature;                   // "" when the host does not sign
    std::vector<header_name> delivery_ids;   // the first one present names the delivery
    int refused = 400;                       // the answer to a verified delivery it cannot read
};

const hook_headers* headers_of(std::string_view host) {
    static const hook_headers known[] = {
        {"gitcode", "X-GitCode-Event", "X-GitCode-Token", "X-GitCode-Signature-256", {"X-GitCode-Delivery"}},
        {"atomgit", "X-AtomGit-Event", "X-AtomGit-Token", "", {"X-AtomGit-Delivery"}},
        // GitLab 17.4+ sends Idempotency-Key, the same for every retry of one event. It turns a hook
        // off after four failed deliveries: past the token, nothing it sends is answered 4xx.
        {"gitlab", "X-Gitlab-Event", "X-Gitlab-Token", "", {"Idempotency-Key", "X-Gitlab-Event-UUID"}, 202},
    };
    for (const auto& h : known)
        if (h.host == host) return &h;
    return nullptr;
}

}  // namespace

std::string receiver::authenticate_merge_request(std::string_view host, const hook_input& input) const {
    const auto* h = headers_of(host);
    const auto& secret = secret_of(host);
    const auto& mode = config_.current().webhooks.of(host).mode;
    if (secret.empty()) return "no secret is set for " + std::string(host) + " hooks on this server";
    if (mode == "signature") {
        if (!github_signature_valid(secret, input.body, header(input, h->signature.key)))
            return h->signature.shown + " does not match the body";
        return "";
    }
    if (mode == "basic") {
        auto credentials = read_basic_credentials(header(input, "authorization"));
        if (!credentials) return "Authorization: expected Basic credentials";
        if (!constant_time_equals(credentials->user + ":" + credentials->password, secret)) return "Authorization: the credentials do not match";
        return "";
    }
    auto token = header(input, h->token.key);
    if (token.empty()) return h->token.shown + ": missing";
    if (!constant_time_equals(token, secret)) return h->token.shown + ": does not match";
    return "";
}

void receiver::receive_merge_request(std::string_view host_id, hook_input input, hook_respond respond) {
    const auto* h = headers_of(host_id);
    std::string host(host_id);
    std::string event = header(input, h->event.key);
    auto refuse = [&](const std::string& error) { return respond(finish(host, event, h->refused, "malformed", {{"error", error}})); };
    if (!content_type_is(input.content_type, "application/json"))
        return respond(finish(host, event, 415, "unsupported_media_type", {{"error", "send application/json"}}));
    if (auto error = authenticate_merge_request(host, input); !error.empty())
        return respond(finish(host, event, 401, "bad_signature", {{"error", error}}));
    if (event.empty()) return refuse(h->event.shown + ": missing");
    std::string delivery;
    for (const auto& name : h->delivery_ids) {
        auto value = header(input, name.key);
        if (value.empty()) continue;
        if (!is_delivery_id(value)) return refuse(name.shown + ": not a delivery id (letters, digits and '-', at most 100)");
        delivery = value;
        break;
    }
    auto normalized = normalize_merge_request(host, event, input.body);
    if (normalized.kind == delivery_kind::malformed) return refuse(normalized.reason);
    // Only a delivery that scores needs its id; without one, the body names it (a redelivery of the same bytes is a duplicate).
    if (normalized.kind == delivery_kind::pull_request && delivery.empty())
        delivery = is_delivery_id(normalized.body_delivery_id) ? normalized.body_delivery_id : sha256_hex(input.body);
    handle(host, std::move(normalized), host + ":" + delivery, std::move(respond));
}

}  // namespace lb::webhooks
