#pragma once
// The community across contests: people with a community id issued once (prefix and width
// from the config, e.g. MSG-000123) and never reused, their logins on the code hosts, and the
// chapters they belong to. People sign up; an organizer approves each request, which issues
// the id. Pure: reading a sign-up from outside and formatting ids.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "hosts.hpp"
#include "levels.hpp"

namespace lb::engine {

// The OAuth app a community registered on a code host: its id, the secret's environment variable
// (the secret itself is read by the server, never from the file) and the host's endpoints, which
// default to the host's public ones (engine/core/sign_in.hpp).
struct sign_in_app {
    std::string client_id;
    std::string client_secret_env;
    std::string client_secret;  // from client_secret_env, filled by the server
    std::string authorize_url;
    std::string token_url;
    std::string api_url;
};

struct community_settings {
    bool registration_open = false;  // set by a "community" block in the config
    std::string id_prefix = "LB-";
    int id_width = 6;
    int max_pending = 10000;  // sign-ups waiting beyond this are refused (a flood fills nothing)
    int max_pending_per_client = 50;  // waiting sign-ups one client address may have (a classroom behind one NAT fits)
    bool approve_proven = false;     // "approval": "unless_proven": a sign-up whose logins are all proven needs no organizer
    std::map<std::string, sign_in_app, std::less<>> sign_in;  // by host id: who may sign in with which host
    std::vector<level_rule> ladder = default_ladder();  // "levels" in the block replaces it
};

// What a person asks for when signing up. Logins are kept as given; they are compared as their
// host's case rule says (login_key).
struct sign_up {
    std::string name;
    host_logins logins;  // one per host at most, at least one
    std::string city;
    std::string school;
    std::string company;
};

struct sign_up_error {
    std::string field;
    std::string message;
};

// Every field checked, the first problem named: name 1-64 characters, at least one login of
// the host's shape, chapters at most 64 characters, nothing else in the object.
std::variant<sign_up, sign_up_error> read_sign_up(const nlohmann::json& body);

nlohmann::json sign_up_json(const sign_up& s);

// The logins a stored person or request names: a string member per host id.
host_logins logins_in(const nlohmann::json& record);

// An organizer moving a person to another chapter of a kind: from `since` (RFC 3339; the
// request's time when absent) the new chapter holds, and the one before ends there.
struct chapter_move {
    std::string kind;     // "city", "school" or "company"
    std::string chapter;  // 1-64 characters of text
    std::optional<std::int64_t> since;
    std::string reason;
};

// Every field checked, the first problem named: kind, chapter, since, reason and nothing else.
std::variant<chapter_move, sign_up_error> read_chapter_move(const nlohmann::json& body);

// "MSG-" + the number zero-padded to width (wider numbers keep all their digits).
std::string format_community_id(const community_settings& settings, long long number);

// A community id of these settings' shape (for routes that take one): prefix then digits.
bool looks_like_community_id(const community_settings& settings, std::string_view text);


}  // namespace lb::engine
