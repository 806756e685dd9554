#pragma once
// The parts of a contest's configuration that only change how it looks: its colour and
// logo, its teams' colours and logos, and the big screen's race panel.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "contest.hpp"

namespace lb::engine {

class json_reader;

// "branding_dir" at the top of the config (relative to the config's folder), or "branding" there.
std::string load_branding_dir(json_reader& r, const nlohmann::json& document, const std::string& base_dir);
// Reads "branding" and "screen" of one contest; logos must be files in branding_dir.
void load_presentation(json_reader& r, const nlohmann::json& node, const std::string& path, contest& c,
                       const std::string& branding_dir);

// The content type of a logo file name, or nullopt when the name is not a plain file name
// of an image type the page may show (no folders, no dot files, no scripts).
std::optional<std::string_view> logo_content_type(std::string_view name);

}  // namespace lb::engine
