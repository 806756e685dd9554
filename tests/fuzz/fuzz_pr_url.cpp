// Pull request URLs as an organizer pastes them into "why didn't this count": anything that
// reads as a subject must read back as a plain one.
#include <cstdint>
#include <string>

#include "explain.hpp"
#include "utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto subject = lb::engine::subject_from_pr_url(text);
    if (!subject) return 0;
    if (!subject->starts_with("github:") && !subject->starts_with("gitee:")) __builtin_trap();
    if (subject->find('#') == std::string::npos || lb::engine::has_control_characters(*subject)) __builtin_trap();
    if (!lb::engine::valid_utf8(*subject)) __builtin_trap();
    return 0;
}
