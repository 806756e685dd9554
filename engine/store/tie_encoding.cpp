#include "tie_encoding.hpp"

#include <stdexcept>

#include "recompute.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"

namespace lb::engine {

encoding_check bring_boards_to_current_encoding(sync_redis& redis, const contest& c) {
    auto label = redis.run({"GET", keys::tie_encoding(c.id)});
    if (label.is_error()) throw std::runtime_error(label.text);
    if (label.kind == redis_value::type::string && label.text == tie_encoding_label) return {};
    auto awards = redis.run({"HLEN", keys::ledger(c.id)});
    if (awards.is_error()) throw std::runtime_error(awards.text);
    encoding_check check;
    if (awards.integer > 0) {
        check.awards = recompute(redis, c, false).awards;
        check.rebuilt = true;
    }
    auto written = redis.run({"SET", keys::tie_encoding(c.id), std::string(tie_encoding_label)});
    if (written.is_error()) throw std::runtime_error(written.text);
    return check;
}

}  // namespace lb::engine
