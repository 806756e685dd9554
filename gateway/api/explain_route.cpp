// "Why didn't this count": a pull request (by its URL) or a login, with every check the
// scoring made, from the stored facts and the same pure rules (engine/core/explain.hpp).
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "explain.hpp"
#include "ledger_entry.hpp"
#include "store_keys.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

json explain_record(const engine::contest& c, const std::string& subject, const engine::redis_value& stored) {
    if (stored.is_nil()) return {{"subject", subject}, {"found", false}};
    auto entry = engine::read_ledger_entry(stored.text);
    if (!entry) return {{"subject", subject}, {"found", true}, {"readable", false}};
    json out = entry->facts ? engine::explain_pull_request(c, *entry->facts) : json{{"subject", subject}};
    out["found"] = true;
    out["kind"] = entry->kind;
    out["stored_points"] = engine::points_json(entry->points);
    out["counts_for"] = entry->participant.empty() ? json(nullptr) : json(entry->participant);
    if (!entry->pending_login.empty()) out["unattributed_login"] = entry->pending_login;
    return out;
}

void explain_subjects(app_context& app, const engine::contest& c, json answer, std::vector<std::string> subjects, respond_fn respond) {
    if (subjects.empty()) return respond(json_ok(answer));
    if (subjects.size() > 500) subjects.resize(500);
    engine::redis_command lookup{{"HMGET", engine::keys::ledger(c.id)}};
    lookup.argv.insert(lookup.argv.end(), subjects.begin(), subjects.end());
    app.redis.execute({std::move(lookup)}, [&c, answer = std::move(answer), subjects, respond = std::move(respond)](auto replies) mutable {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        for (std::size_t i = 0; i < subjects.size() && i < replies[0].elements.size(); ++i)
            answer["awards"].push_back(explain_record(c, subjects[i], replies[0].elements[i]));
        respond(json_ok(answer));
    });
}

}  // namespace

void explain(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    auto& app = call.app;
    auto url = call.query("pr");
    auto login = call.query("login");
    if (url.empty() == login.empty()) return respond(json_error(400, "bad_query", "pr or login: give one, a pull request URL or a login"));
    if (!url.empty()) {
        auto subject = engine::subject_from_pr_url(url);
        if (!subject)
            return respond(json_error(400, "bad_query", "pr: expected a pull or merge request's page on " + engine::host_list() +
                                                            ", such as https://github.com/<owner>/<repo>/pull/<n>"));
        return app.redis.execute({{{"HGET", engine::keys::ledger(c.id), *subject}}, {{"HEXISTS", engine::keys::after_final(c.id), *subject}}},
                                 [&c, subject = *subject, respond = std::move(respond)](auto replies) {
                                     for (const auto& reply : replies)
                                         if (reply.is_error()) return respond(redis_failure(reply.text));
                                     auto out = explain_record(c, subject, replies[0]);
                                     if (out["found"] == false)
                                         out["detail"] = "no delivery of this pull request was kept: it was never merged while the "
                                                         "webhook was set up, or its repository is not one of the contest's";
                                     out["arrived_after_final"] = replies[1].integer == 1;
                                     respond(json_ok(out));
                                 });
    }
    auto host = call.query("host", "github");
    if (!engine::find_host(host)) return respond(json_error(400, "bad_query", "host: expected " + engine::host_list()));
    if (login.size() > 100) return respond(json_error(400, "bad_query", "login: at most 100 bytes"));
    const engine::participant* p = c.find_by_login(host, login);
    json answer{{"login", login}, {"host", host}, {"registered_as", p ? json(p->id) : json(nullptr)},
                {"disqualified", p ? json(p->disqualified) : json(nullptr)}, {"awards", json::array()}};
    auto key = p ? engine::keys::subjects(c.id, p->id) : engine::keys::pending(c.id, engine::login_key(host, login));
    app.redis.execute({{{"SMEMBERS", key}}}, [&app, &c, answer = std::move(answer), respond = std::move(respond)](auto replies) mutable {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        std::vector<std::string> subjects;
        for (const auto& s : replies[0].elements) subjects.push_back(s.text);
        std::sort(subjects.begin(), subjects.end());
        explain_subjects(app, c, std::move(answer), std::move(subjects), std::move(respond));
    });
}

}  // namespace lb::gateway
