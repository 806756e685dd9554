#pragma once
// The link a big screen shows as a QR code so people follow the contest on their phones:
// the screen's own origin (as its browser sees it) and the contest. The SVG is drawn here
// from libqrencode's modules; nothing is fetched from anywhere.
#include <optional>
#include <string>
#include <string_view>

namespace lb::gateway {

// "http://hall.example.org:8080" and the like; nullopt for anything with a path, query,
// user info, or characters a host does not have.
std::optional<std::string> checked_origin(std::string_view origin);

// origin + "/?contest=" + contest id (ids are plain names).
std::string phone_link(const std::string& origin, const std::string& contest_id);

// A QR code (error correction M) as a standalone SVG, dark modules on white with the
// four-module quiet zone; nullopt when the text does not fit a QR code.
std::optional<std::string> qr_svg(std::string_view text);

}  // namespace lb::gateway
