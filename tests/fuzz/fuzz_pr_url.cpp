// Pull request URLs as an organizer pastes them into "why didn't this count": anything that
// reads as a subject must read back as a plain one.
#include <cstdint>
#include <string>

#include "explain.hpp"
#include "hosts.hpp"
#include "utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto subject = lb::engine::subject_from_pr_url(text);
    if (!subject) return 0;
    // A subject names a host of the table and a repository of that host's shape.
    auto hash = subject->rfind('#');
    if (hash == std::string::npos || !lb::engine::parse_repo_ref(subject->substr(0, hash))) __builtin_trap();
    if (subject->find('#') == std::string::npos || lb::engine::has_control_characters(*subject)) __builtin_trap();
    if (!lb::engine::valid_utf8(*subject)) __builtin_trap();
    return 0;
}
