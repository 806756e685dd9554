#include "merge_activity.hpp"

#include <algorithm>

#include "community.hpp"
#include "merge_days.hpp"
#include "people_store.hpp"

namespace lb::engine {

namespace keys {
std::string merges() { return community("merges"); }
std::string first_merges() { return community("first_merges"); }
std::string login_merges(const std::string& login_key) { return community("login_merges:" + login_key); }
}  // namespace keys

std::vector<redis_command> record_merge_commands(const pull_request_facts& pr) {
    if (!pr.merged || !pr.merged_at || pr.author.empty()) return {};
    // No host issues a login with a control character; one would break a day's string into lines.
    if (std::any_of(pr.author.begin(), pr.author.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; })) return {};
    auto login = login_key(pr.host, pr.author);
    auto subject = pr.subject();
    auto at = std::to_string(*pr.merged_at);
    return {{{"ZADD", keys::merges(), at, subject + " " + login}},
            {{"ZADD", keys::login_merges(login), at, subject}},
            {{"ZADD", keys::first_merges(), "LT", at, login}},
            {{"DEL", keys::merge_day(day_of(*pr.merged_at))}}};
}

}  // namespace lb::engine
