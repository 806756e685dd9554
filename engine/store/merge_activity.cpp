#include "merge_activity.hpp"

#include "community.hpp"
#include "people_store.hpp"

namespace lb::engine {

namespace keys {
std::string merges() { return community("merges"); }
std::string first_merges() { return community("first_merges"); }
std::string login_merges(const std::string& login_key) { return community("login_merges:" + login_key); }
}  // namespace keys

std::vector<redis_command> record_merge_commands(const pull_request_facts& pr) {
    if (!pr.merged || !pr.merged_at || pr.author.empty()) return {};
    auto login = login_key(pr.host, pr.author);
    auto subject = pr.subject();
    auto at = std::to_string(*pr.merged_at);
    return {{{"ZADD", keys::merges(), at, subject + " " + login}},
            {{"ZADD", keys::login_merges(login), at, subject}},
            {{"ZADD", keys::first_merges(), "LT", at, login}}};
}

bool read_merge_member(const std::string& member, std::string& subject, std::string& login) {
    auto space = member.find(' ');  // a subject holds none (a listed repository's name and a number)
    if (space == std::string::npos || space == 0 || space + 1 == member.size()) return false;
    subject = member.substr(0, space);
    login = member.substr(space + 1);
    return true;
}

}  // namespace lb::engine
