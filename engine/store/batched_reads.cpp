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

}  // namespace lb::engine
