#pragma once
// RFC 4180 CSV as organizers' spreadsheets write it: quoted fields, "" inside
// quotes, CRLF or LF, an optional UTF-8 byte order mark. Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lb::engine {

struct csv_record {
    std::size_t line = 0;  // where the record starts in the file, 1-based
    std::vector<std::string> fields;
};

struct csv_table {
    std::vector<std::string> header;
    std::vector<csv_record> records;
    std::string error;  // empty when the text parsed
};

csv_table parse_csv(std::string_view text);

// Turns a CSV table into JSON objects keyed by the header, so CSV and JSON uploads
// go through one validator. Empty cells are left out; list_columns are split on ';'.
// Each object gets "_line" for error messages. A header naming a column outside
// `columns` is an error.
struct csv_rows {
    nlohmann::json rows = nlohmann::json::array();
    std::vector<std::string> errors;
};
csv_rows csv_to_rows(const csv_table& table, const std::vector<std::string>& columns,
                     const std::vector<std::string>& list_columns = {});

// One field as written out: quoted when it must be, and a leading =, +, - or @ defused so a
// spreadsheet never runs a cell as a formula.
std::string csv_field(const std::string& text);

}  // namespace lb::engine
