#include "durability.hpp"

#include <charconv>

namespace lb::engine {

namespace {

fsync_policy policy_named(const std::string& text) {
    if (text == "always") return fsync_policy::always;
    if (text == "everysec") return fsync_policy::everysec;
    if (text == "no") return fsync_policy::no;
    return fsync_policy::unknown;
}

std::string settings_text(const redis_persistence& redis) {
    if (!redis.known) return "Redis's persistence settings are unknown (" + redis.refused + ")";
    if (!redis.aof) return "Redis runs without AOF (appendonly no)";
    if (redis.fsync == fsync_policy::unknown) return "Redis has AOF on, appendfsync unknown (" + redis.refused + ")";
    return std::string("Redis has AOF on, appendfsync ") + fsync_name(redis.fsync);
}

}  // namespace

bool fsyncs_before_answering(const redis_persistence& redis) {
    return redis.known && redis.aof && redis.fsync == fsync_policy::always;
}

acknowledgement acknowledgement_for(const redis_persistence& redis, durability_mode mode) {
    if (fsyncs_before_answering(redis) || mode == durability_mode::relaxed) return acknowledgement::applied;
    return redis.known && !redis.aof ? acknowledgement::spooled : acknowledgement::once_written;
}

survival what_survives(const redis_persistence& redis, durability_mode mode) {
    survival out;
    out.how = acknowledgement_for(redis, mode);
    bool fsync_always = fsyncs_before_answering(redis);
    // Redis fsyncs before it answers, or the spool keeps the line: every fault is survived. A
    // confirmed AOF write survives Redis's crash, not a power loss; a plain answer only the server's.
    out.server_crash = true;
    out.redis_crash = fsync_always || out.how != acknowledgement::applied;
    out.power_loss = fsync_always || out.how == acknowledgement::spooled;
    std::string settings = settings_text(redis);
    if (fsync_always) {
        out.summary = settings + ": an acknowledged delivery survives a server crash, a Redis crash and a power loss";
        return out;
    }
    std::string mode_text = mode == durability_mode::relaxed ? " and redis.durability is relaxed: " : " and redis.durability is exact: ";
    switch (out.how) {
        case acknowledgement::applied:
            out.summary = settings + mode_text + "an acknowledged delivery survives a server crash; a Redis crash or a power loss may lose the last seconds";
            break;
        case acknowledgement::spooled:
            out.summary = settings + mode_text + "every delivery is answered from the spool (202) and its line stays there; set appendonly yes with appendfsync always";
            break;
        case acknowledgement::once_written:
            out.summary = settings + mode_text + "a delivery is acknowledged once Redis wrote it to its AOF (else spooled), so it "
                                                 "survives a server or Redis crash; a power loss may lose the last second "
                                                 "(appendfsync always keeps that too)";
            break;
    }
    return out;
}

std::optional<long long> info_number(std::string_view info, std::string_view name) {
    std::size_t at = 0;
    while (at < info.size()) {
        auto end = info.find('\n', at);
        if (end == std::string_view::npos) end = info.size();
        auto line = info.substr(at, end - at);
        at = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() <= name.size() || !line.starts_with(name) || line[name.size()] != ':') continue;
        auto value = line.substr(name.size() + 1);
        long long number = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
        return number;
    }
    return std::nullopt;
}

write_check check_written(const std::optional<aof_mark>& mark, std::string_view info) {
    using state = write_check::state;
    auto written = info_number(info, "aof_current_size");
    auto buffered = info_number(info, "aof_buffer_length");
    if (info_number(info, "aof_enabled").value_or(0) != 1 || !written || !buffered || *written < 0 || *buffered < 0)
        return {state::unavailable, {}};
    aof_mark now{*written + *buffered, info_number(info, "aof_rewrites").value_or(0)};
    if (*buffered == 0) return {state::written, now};
    if (!mark || mark->rewrites != now.rewrites) return {state::waiting, now};
    if (*written >= mark->end) return {state::written, *mark};
    return {state::waiting, *mark};
}

redis_persistence read_persistence(const std::optional<std::string>& appendonly, const std::optional<std::string>& appendfsync,
                                   std::string_view info, std::string refused) {
    redis_persistence out;
    out.refused = std::move(refused);
    if (appendonly) {
        out.known = true;
        out.aof = *appendonly == "yes";
    } else if (auto enabled = info_number(info, "aof_enabled")) {
        out.known = true;
        out.aof = *enabled == 1;
    }
    if (appendfsync) out.fsync = policy_named(*appendfsync);
    return out;
}

const char* fsync_name(fsync_policy policy) {
    switch (policy) {
        case fsync_policy::always: return "always";
        case fsync_policy::everysec: return "everysec";
        case fsync_policy::no: return "no";
        case fsync_policy::unknown: break;
    }
    return "unknown";
}

const char* acknowledgement_name(acknowledgement how) {
    switch (how) {
        case acknowledgement::applied: return "applied";
        case acknowledgement::once_written: return "once_written";
        case acknowledgement::spooled: return "spooled";
    }
    return "applied";
}

}  // namespace lb::engine
