#include "batched_reads.hpp"

#include <memory>

namespace lb::engine {

namespace {

struct batches : std::enable_shared_from_this<batches> {
    redis_executor* redis;
    std::vector<redis_command> commands;
    std::size_t per_batch = 1;
    std::size_t next = 0;
    std::vector<redis_value> replies;
    redis_batch_handler done;

    void step() {
        if (next >= commands.size()) return done(std::move(replies));
        auto end = std::min(commands.size(), next + per_batch);
        std::vector<redis_command> batch(std::make_move_iterator(commands.begin() + static_cast<std::ptrdiff_t>(next)),
                                         std::make_move_iterator(commands.begin() + static_cast<std::ptrdiff_t>(end)));
        next = end;
        redis->execute(std::move(batch), [self = shared_from_this()](std::vector<redis_value> got) {
            for (auto& r : got) self->replies.push_back(std::move(r));
            self->step();
        });
    }
};

struct pages : std::enable_shared_from_this<pages> {
    redis_executor* redis;
    std::string key, min, max;
    std::size_t page_size = 1;
    std::size_t offset = 0;
    std::function<void(const std::vector<redis_value>&)> on_page;
    std::function<void(std::string)> done;

    void step() {
        redis->execute({{{"ZRANGEBYSCORE", key, min, max, "WITHSCORES", "LIMIT", std::to_string(offset), std::to_string(page_size)}}},
                       [self = shared_from_this()](std::vector<redis_value> replies) {
                           const auto& page = replies.at(0);
                           if (page.is_error()) return self->done(page.text);
                           auto members = page.elements.size() / 2;
                           self->on_page(page.elements);
                           if (members < self->page_size) return self->done("");
                           self->offset += members;
                           self->step();
                       });
    }
};

}  // namespace

const redis_value* first_error(const std::vector<redis_value>& replies) {
    for (const auto& r : replies)
        if (r.is_error()) return &r;
    return nullptr;
}

std::vector<redis_command> field_chunks(const char* command_name, const std::string& key, const std::vector<std::string>& fields) {
    std::vector<redis_command> out;
    for (std::size_t from = 0; from < fields.size(); from += fields_per_command) {
        redis_command command{{command_name, key}};
        for (std::size_t i = from; i < fields.size() && i < from + fields_per_command; ++i) command.argv.push_back(fields[i]);
        out.push_back(std::move(command));
    }
    return out;
}

std::size_t chunks_for(std::size_t fields) { return (fields + fields_per_command - 1) / fields_per_command; }

std::vector<const redis_value*> chunk_values(const std::vector<redis_value>& replies, std::size_t first, std::size_t count) {
    std::vector<const redis_value*> out;
    for (std::size_t r = first; r < replies.size() && out.size() < count; ++r)
        for (const auto& v : replies[r].elements) out.push_back(&v);
    return out;
}

void execute_in_batches(redis_executor& redis, std::vector<redis_command> commands, std::size_t per_batch, redis_batch_handler done) {
    auto job = std::make_shared<batches>();
    job->redis = &redis;
    job->commands = std::move(commands);
    job->per_batch = std::max<std::size_t>(1, per_batch);
    job->done = std::move(done);
    job->replies.reserve(job->commands.size());
    job->step();
}

void range_by_score_in_pages(redis_executor& redis, std::string key, std::string min, std::string max, std::size_t page_size,
                             std::function<void(const std::vector<redis_value>&)> on_page, std::function<void(std::string)> done) {
    auto job = std::make_shared<pages>();
    job->redis = &redis;
    job->key = std::move(key);
    job->min = std::move(min);
    job->max = std::move(max);
    job->page_size = std::max<std::size_t>(1, page_size);
    job->on_page = std::move(on_page);
    job->done = std::move(done);
    job->step();
}

}  // namespace lb::engine
