// Certificates from outside: the id in /certificates/<id> and /api/certificates/<id>, and a
// stored record read back. An id is taken only as 32 lower-case hex digits; a record that reads
// stores back as itself; issuing the same content again keeps its id, revision and date, and a
// changed name raises the revision.
#include <cstdint>
#include <string_view>

#include "certificates.hpp"
#include "untrusted_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (lb::engine::is_certificate_id(text)) {
        if (text.size() != 32) __builtin_trap();
        for (char ch : text)
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) __builtin_trap();
    }
    auto kept = lb::engine::certificate::from_text(text);
    if (!kept) return 0;
    auto again = lb::engine::certificate::from_text(lb::engine::to_text(kept->to_json()));
    if (!again || again->content() != kept->content()) __builtin_trap();
    auto same = lb::engine::reissue(*kept, *kept);
    if (same.revision != kept->revision || same.issued_at != kept->issued_at || same.id != kept->id) __builtin_trap();
    auto renamed = *kept;
    renamed.name += "!";
    renamed.issued_at += 1;
    auto next = lb::engine::reissue(*kept, renamed);
    if (next.revision != kept->revision + 1 || next.id != kept->id || next.issued_at != renamed.issued_at) __builtin_trap();
    return 0;
}
