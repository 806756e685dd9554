#pragma once
// Where certificates are kept: every record under its id (lb:{certificates}:records), and per
// contest which participant holds which id (lb:{certificates}:contest:<id>), in one Cluster slot.
// Each record carries "hash": "sha256:" of its content (certificates.hpp), the value the final
// export lists beside the id.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certificates.hpp"
#include "redis_types.hpp"

namespace lb::engine {

// "sha256:<hex>" of the certificate's content, keys sorted, no spaces.
std::string certificate_hash(const certificate& c);
// The record as stored and shown: the certificate and its hash.
nlohmann::json certificate_record(const certificate& c);

using certificates_handler = std::function<void(std::vector<nlohmann::json> records, std::string error)>;

// Issues (or issues again) the certificates a final contest's ranks earn: new ones get a fresh
// id; one already held by the participant keeps its id, and its revision rises if its content
// changed. done gets every record of the contest, best rank first.
void issue_certificates(redis_executor& redis, const contest& c, unix_seconds now, certificates_handler done);

// Every record of the contest, best rank first.
void contest_certificates(redis_executor& redis, const contest& c, certificates_handler done);

// A member's certificate for a level, issued once whoever asks again (a fresh id is drawn here):
// the reply is the id that holds the level. lb:{certificates}:person:<community id> keeps them by level.
std::optional<redis_command> issue_level_certificate_command(certificate cert, const std::string& community_id);

// One record by id (nullopt when there is none).
void read_certificate(redis_executor& redis, const std::string& id, std::function<void(std::optional<nlohmann::json>, std::string error)> done);

}  // namespace lb::engine
