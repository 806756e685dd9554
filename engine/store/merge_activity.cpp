#include "merge_activity.hpp"

#include "community.hpp"
#include "lua_script.hpp"
#include "people_store.hpp"

namespace lb::engine {

namespace keys {
std::string merges() { return community("merges"); }
std::string first_merges() { return community("first_merges"); }
std::string login_merges(const std::string& login_key) { return community("login_merges:" + login_key); }
}  // namespace keys

std::optional<redis_command> record_merge_command(const pull_request_facts& pr) {
    if (!pr.merged || !pr.merged_at || pr.author.empty()) return std::nullopt;
    auto login = login_key(pr.host, pr.author);
    return redis_command{{"3", keys::merges(), keys::first_merges(), keys::login_merges(login), pr.subject(), login,
                          std::to_string(*pr.merged_at)},
                         &record_merge_script()};
}

bool read_merge_member(const std::string& member, std::string& subject, std::string& login) {
    auto space = member.find(' ');  // a subject holds none (a listed repository's name and a number)
    if (space == std::string::npos || space == 0 || space + 1 == member.size()) return false;
    subject = member.substr(0, space);
    login = member.substr(space + 1);
    return true;
}

}  // namespace lb::engine
