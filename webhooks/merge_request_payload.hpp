#pragma once
// The merge-request hook that GitCode, AtomGit and GitLab share (GitLab's shape): one normalizer
// for all three, read with simdjson's DOM parser (the whole body is validated before any field is
// read). Pure.
#include <string>
#include <string_view>

#include "pull_request_event.hpp"

namespace lb::webhooks {

// host: the table's id ("gitcode", "atomgit", "gitlab"); event: the X-<Host>-Event header.
// GitLab names the author only by id: the result then has an empty pr.author and author_id set.
normalized_delivery normalize_merge_request(std::string_view host, std::string_view event, std::string_view json);

// A merge request's time as the three hosts write it: RFC 3339 ("2024-10-26T10:32:41+08:00",
// "2013-12-03T17:23:34Z") or GitLab's older "2013-12-03 17:23:34 UTC"; nullopt otherwise.
std::optional<long long> merge_request_time(std::string_view text);

}  // namespace lb::webhooks
