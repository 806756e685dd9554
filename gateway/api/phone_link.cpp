#include "api/phone_link.hpp"

#include <memory>
#include <regex>

#include <qrencode.h>

namespace lb::gateway {

std::optional<std::string> checked_origin(std::string_view origin) {
    static const std::regex pattern(R"(https?://([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?)");
    if (origin.empty() || origin.size() > 200) return std::nullopt;
    std::string text(origin);
    if (!std::regex_match(text, pattern)) return std::nullopt;
    return text;
}

std::string phone_link(const std::string& origin, const std::string& contest_id) { return origin + "/?contest=" + contest_id; }

std::optional<std::string> qr_svg(std::string_view text) {
    if (text.empty() || text.size() > 1000) return std::nullopt;
    std::string input(text);
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
    if (!code) return std::nullopt;
    int width = code->width, size = width + 8;
    std::string path;
    path.reserve(static_cast<std::size_t>(width) * width * 4);
    for (int y = 0; y < width; ++y)
        for (int x = 0; x < width;) {
            if (!(code->data[y * width + x] & 1)) {
                ++x;
                continue;
            }
            int run = 1;  // dark modules side by side become one rectangle
            while (x + run < width && (code->data[y * width + x + run] & 1)) ++run;
            path += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h" + std::to_string(run) + "v1h-" + std::to_string(run) + "z";
            x += run;
        }
    auto s = std::to_string(size);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s + "\" shape-rendering=\"crispEdges\">" +
           "<rect width=\"" + s + "\" height=\"" + s + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace lb::gateway
