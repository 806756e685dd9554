#include "rfc3339.hpp"

#include <chrono>
#include <cstdio>

namespace lb::engine {
namespace {

// Howard Hinnant's days_from_civil: proleptic Gregorian date to days since 1970-01-01.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > text.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

bool expect(std::string_view text, std::size_t pos, char c) { return pos < text.size() && text[pos] == c; }

int days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

}  // namespace

std::optional<unix_seconds> parse_rfc3339(std::string_view text) {
    int year, month, day, hour, minute, second;
    if (!read_digits(text, 0, 4, year) || !expect(text, 4, '-') || !read_digits(text, 5, 2, month) ||
        !expect(text, 7, '-') || !read_digits(text, 8, 2, day) ||
        !(expect(text, 10, 'T') || expect(text, 10, 't') || expect(text, 10, ' ')) ||
        !read_digits(text, 11, 2, hour) || !expect(text, 13, ':') || !read_digits(text, 14, 2, minute) ||
        !expect(text, 16, ':') || !read_digits(text, 17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
        second > 60)
        return std::nullopt;
    std::size_t pos = 19;
    if (expect(text, pos, '.')) {
        ++pos;
        std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
    }
    int offset = 0;
    if (expect(text, pos, 'Z') || expect(text, pos, 'z')) {
        ++pos;
    } else if (expect(text, pos, '+') || expect(text, pos, '-')) {
        int sign = text[pos] == '-' ? -1 : 1;
        int oh, om;
        if (!read_digits(text, pos + 1, 2, oh) || !expect(text, pos + 3, ':') || !read_digits(text, pos + 4, 2, om) ||
            oh > 23 || om > 59)
            return std::nullopt;
        offset = sign * (oh * 3600 + om * 60);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    if (second == 60) second = 59;  // leap seconds collapse onto the previous second
    return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
}

std::string format_rfc3339(unix_seconds seconds) {
    std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    std::int64_t rest = seconds - days * 86400;
    // civil_from_days, the inverse of days_from_civil.
    std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
    char buffer[80];  // room for any 64-bit year, so the compiler can see nothing is cut
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                  static_cast<long long>(rest % 60));
    return buffer;
}


}  // namespace lb::engine
