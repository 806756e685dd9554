// A person's sign-up (a public JSON body): whatever is accepted has a name, a login of the
// host's shape, fields within their lengths, and makes a valid login key and stored record.
// The same bytes as an organizer's chapter move: a known kind, a chapter of text, every refusal named.
#include <cstdint>
#include <regex>
#include <string_view>

#include "community.hpp"
#include "untrusted_json.hpp"
#include "utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = lb::engine::parse_untrusted_json(text);
    if (!parsed.ok()) return 0;
    auto move = lb::engine::read_chapter_move(parsed.value);
    if (auto* m = std::get_if<lb::engine::chapter_move>(&move)) {
        if (m->kind != "city" && m->kind != "school" && m->kind != "company") __builtin_trap();
        if (m->chapter.empty() || !lb::engine::valid_utf8(m->chapter) || lb::engine::has_control_characters(m->chapter)) __builtin_trap();
    } else if (std::get<lb::engine::sign_up_error>(move).field.empty()) {
        __builtin_trap();
    }
    auto read = lb::engine::read_sign_up(parsed.value);
    auto* s = std::get_if<lb::engine::sign_up>(&read);
    if (!s) {
        if (std::get<lb::engine::sign_up_error>(read).field.empty()) __builtin_trap();  // every refusal names a field
        return 0;
    }
    if (s->name.empty() || s->logins.empty()) __builtin_trap();
    for (const auto* field : {&s->name, &s->city, &s->school, &s->company})
        if (!lb::engine::valid_utf8(*field) || lb::engine::has_control_characters(*field) || field->size() > 64 * 4) __builtin_trap();
    static const std::regex login("[a-z]+:[a-z0-9_.-]{1,255}");
    for (const auto& [host, name] : s->logins) {
        const auto* known = lb::engine::find_host(host);
        if (!known || !lb::engine::valid_login(*known, name)) __builtin_trap();
        if (!std::regex_match(lb::engine::login_key(host, name), login)) __builtin_trap();
    }
    lb::engine::to_text(lb::engine::sign_up_json(*s));
    return 0;
}
