#pragma once
// What an acknowledged delivery survives, from how Redis keeps its writes (its AOF settings) and
// what the operator accepts (redis.durability). Pure: the settings are read at the edge.
#include <optional>
#include <string>
#include <string_view>

namespace lb::engine {

enum class fsync_policy { unknown, always, everysec, no };

// Redis's persistence as read at connection setup. known: CONFIG GET or INFO answered at all.
struct redis_persistence {
    bool known = false;
    bool aof = false;                         // appendonly yes
    fsync_policy fsync = fsync_policy::unknown;  // unknown when CONFIG GET was refused (a managed Redis)
    std::string refused;                      // why the settings could not be read, for the log
    bool operator==(const redis_persistence&) const = default;
};

enum class durability_mode { exact, relaxed };

// How the receiver acknowledges a delivery that reached Redis.
enum class acknowledgement {
    applied,       // as soon as the award script answered
    once_written,  // once Redis reports the AOF written past it; spooled when that does not come in time
    spooled,       // always through the spool, whose lines stay until Redis can keep them
};

struct survival {
    acknowledgement how = acknowledgement::applied;
    bool server_crash = true;
    bool redis_crash = false;
    bool power_loss = false;
    std::string summary;  // one sentence for the log and /readyz
};

survival what_survives(const redis_persistence& redis, durability_mode mode);
// Whether Redis fsyncs its AOF before it answers (appendonly yes, appendfsync always).
bool fsyncs_before_answering(const redis_persistence& redis);
// The decision alone, for every delivery (what_survives adds the words).
acknowledgement acknowledgement_for(const redis_persistence& redis, durability_mode mode);

// Reads Redis's answers: the values of CONFIG GET appendonly / appendfsync (nullopt: refused) and
// the text of INFO persistence (empty: refused).
redis_persistence read_persistence(const std::optional<std::string>& appendonly, const std::optional<std::string>& appendfsync,
                                   std::string_view info, std::string refused = {});

// A whole-number field of an INFO answer ("name:value" lines), or nullopt.
std::optional<long long> info_number(std::string_view info, std::string_view name);

// Whether Redis has written to its AOF file (where a Redis crash cannot take it) every write it
// executed before a first INFO persistence. That INFO sets the mark: what is in the file plus what
// is still buffered. Later answers tell when the file reached it. An empty buffer in any answer
// means everything before it was written; a rewrite finished in between makes the sizes
// incomparable, so the mark is set again from that answer (which also came after the writes).
struct aof_mark {
    long long end = 0;
    long long rewrites = 0;
};
struct write_check {
    enum class state { written, waiting, unavailable } is = state::unavailable;
    aof_mark mark;
};
write_check check_written(const std::optional<aof_mark>& mark, std::string_view info);

const char* fsync_name(fsync_policy policy);
const char* acknowledgement_name(acknowledgement how);

}  // namespace lb::engine
