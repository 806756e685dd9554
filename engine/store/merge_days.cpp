#include "merge_days.hpp"

#include <charconv>
#include <memory>

#include "lua_script.hpp"
#include "merge_activity.hpp"
#include "people_store.hpp"

namespace lb::engine {

namespace {

constexpr long long seconds_per_day = 86400;
constexpr long long days_per_batch = 31;  // a month's strings a round trip: a few MB at most

struct merge_days_job : std::enable_shared_from_this<merge_days_job> {
    redis_executor* redis;
    unix_seconds from = 0, to = 0;
    long long next_day = 0, last_day = 0;
    std::shared_ptr<std::deque<std::string>> kept;
    merge_visitor visit;
    std::function<void(std::string)> done;

    void step() {
        if (next_day > last_day) return done("");
        std::vector<redis_command> batch;
        for (; next_day <= last_day && static_cast<long long>(batch.size()) < days_per_batch; ++next_day)
            batch.push_back({{"2", keys::merges(), keys::merge_day(next_day), std::to_string(next_day * seconds_per_day),
                              std::to_string((next_day + 1) * seconds_per_day)},
                             &read_merge_day_script()});
        redis->execute(std::move(batch), [self = shared_from_this()](std::vector<redis_value> replies) {
            for (auto& reply : replies) {
                if (reply.is_error()) return self->done(reply.text);
                if (reply.text.size() <= 2) continue;  // "0\n": a day without merges
                const auto& text = self->kept->emplace_back(std::move(reply.text));
                if (!visit_merge_day(text, self->from, self->to, self->visit)) return self->done("a day of merges has an unknown shape");
            }
            self->step();
        });
    }
};

bool read_time(std::string_view text, unix_seconds& at) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), at);
    return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

namespace keys {
std::string merge_day(long long day) { return community("merge_day:" + std::to_string(day)); }
}  // namespace keys

long long day_of(unix_seconds at) { return at >= 0 ? at / seconds_per_day : -((-at + seconds_per_day - 1) / seconds_per_day); }

bool visit_merge_day(std::string_view text, unix_seconds from, unix_seconds to, const merge_visitor& visit) {
    auto header = text.find('\n');
    if (header == std::string_view::npos) return false;
    unix_seconds count = 0;
    if (!read_time(text.substr(0, header), count)) return false;
    for (auto line_start = header + 1; line_start < text.size();) {
        auto line_end = text.find('\n', line_start);
        if (line_end == std::string_view::npos) return false;
        auto line = text.substr(line_start, line_end - line_start);
        line_start = line_end + 1;
        auto first_space = line.find(' ');
        auto second_space = first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
        unix_seconds at = 0;
        if (second_space == std::string_view::npos || !read_time(line.substr(0, first_space), at)) return false;
        if (at < from || at >= to) continue;
        visit(at, line.substr(first_space + 1, second_space - first_space - 1), line.substr(second_space + 1));
    }
    return true;
}

void read_merges_between(redis_executor& redis, unix_seconds from, unix_seconds to, std::shared_ptr<std::deque<std::string>> kept,
                         merge_visitor visit, std::function<void(std::string)> done) {
    if (to <= from) return done("");
    auto job = std::make_shared<merge_days_job>();
    job->redis = &redis;
    job->from = from;
    job->to = to;
    job->next_day = day_of(from);
    job->last_day = day_of(to - 1);
    job->kept = std::move(kept);
    job->visit = std::move(visit);
    job->done = std::move(done);
    job->step();
}

}  // namespace lb::engine
