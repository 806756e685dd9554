#pragma once
// What one webhook delivery means, once verified and normalized: every host
// ends up here, so scoring never sees a host's payload shape.
#include <string>

#include "scoring.hpp"

namespace lb::webhooks {

enum class delivery_kind {
    pull_request,  // a merged PR's current state: score or re-score it
    ping,          // the host checking the hook: answer 200
    ignored,       // authentic but nothing to score (reason says why): answer 2xx
    malformed,     // a field is missing or of the wrong type (reason names it): 400
};

struct normalized_delivery {
    delivery_kind kind = delivery_kind::malformed;
    std::string event;   // the host's event name, for metrics
    std::string reason;  // for ignored and malformed
    engine::pull_request_facts pr;
    long long author_id = 0;  // GitLab: the author's user id, when the body names no login (pr.author empty)
    std::string body_delivery_id;  // GitCode: the body's "uuid", the delivery id when no header gives one
};

// An authentic delivery with nothing to score, and why.
inline normalized_delivery ignored_delivery(std::string event, std::string reason) {
    return {delivery_kind::ignored, std::move(event), std::move(reason), {}, 0, {}};
}

// A delivery whose field is missing or of the wrong type: "field: missing or not expected".
inline normalized_delivery malformed_delivery(std::string event, const std::string& field, const std::string& expected) {
    return {delivery_kind::malformed, std::move(event), field + ": missing or not " + expected, {}, 0, {}};
}

}  // namespace lb::webhooks
