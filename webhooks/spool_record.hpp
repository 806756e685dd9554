#pragma once
// One line of the delivery spool: a verified delivery's normalized facts and its
// dedupe key. Written by the receiver, read back (and checked whole) on replay. Pure.
#include <string>
#include <string_view>
#include <variant>

#include "scoring.hpp"

namespace lb::webhooks {

struct spool_record {
    std::string delivery;  // "<host>:<delivery id>" ("gitee:<body sha256>")
    engine::pull_request_facts pr;
    long long author_id = 0;  // set when pr.author is not known yet (GitLab): looked up before it is applied
};

std::string spool_record_line(const spool_record& record);

// The record a line holds, or why it is not one (the line is then quarantined).
std::variant<spool_record, std::string> read_spool_record(std::string_view line);

}  // namespace lb::webhooks
