#include "csv.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace lb::engine {

csv_table parse_csv(std::string_view text) {
    csv_table table;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (auto bad = invalid_utf8_at(text)) {
        auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(*bad), '\n');
        table.error = "line " + std::to_string(line) + ": not UTF-8 text (save the file as \"CSV UTF-8\")";
        return table;
    }
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false, field_started = false;
    std::size_t line = 1, record_line = 1;
    auto end_field = [&] {
        fields.push_back(std::move(field));
        field.clear();
        field_started = false;
    };
    auto end_record = [&] {
        end_field();
        bool blank = fields.size() == 1 && fields[0].empty();
        if (!blank) {
            rows.push_back(std::move(fields));
            lines.push_back(record_line);
        }
        fields.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (quoted) {
            if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                if (ch == '\n') ++line;
                field += ch;
            }
            continue;
        }
        if (ch == '"' && !field_started) {
            quoted = field_started = true;
        } else if (ch == ',') {
            end_field();
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            end_record();
            record_line = ++line;
        } else if (ch == '"') {
            table.error = "line " + std::to_string(line) + ": a quote inside an unquoted field (quote the whole field)";
            return table;
        } else {
            field += ch;
            field_started = true;
        }
    }
    if (quoted) {
        table.error = "line " + std::to_string(record_line) + ": a quoted field is not closed";
        return table;
    }
    if (field_started || !fields.empty()) end_record();
    if (rows.empty()) {
        table.error = "the file is empty: expected a header row";
        return table;
    }
    table.header = std::move(rows[0]);
    for (auto& name : table.header) {
        auto first = name.find_first_not_of(" \t");
        auto last = name.find_last_not_of(" \t");
        name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
    }
    for (std::size_t r = 1; r < rows.size(); ++r) table.records.push_back({lines[r], std::move(rows[r])});
    return table;
}

csv_rows csv_to_rows(const csv_table& table, const std::vector<std::string>& columns,
                     const std::vector<std::string>& list_columns) {
    csv_rows out;
    for (std::size_t i = 0; i < table.header.size(); ++i) {
        const auto& name = table.header[i];
        if (std::find(columns.begin(), columns.end(), name) == columns.end()) {
            std::string known;
            for (const auto& c : columns) known += (known.empty() ? "" : ", ") + c;
            out.errors.push_back("line 1: unknown column \"" + name + "\" (expected " + known + ")");
        } else if (std::find(table.header.begin(), table.header.begin() + static_cast<long>(i), name) != table.header.begin() + static_cast<long>(i)) {
            out.errors.push_back("line 1: column \"" + name + "\" appears twice");
        }
    }
    if (!out.errors.empty()) return out;
    for (const auto& record : table.records) {
        if (record.fields.size() != table.header.size()) {
            out.errors.push_back("line " + std::to_string(record.line) + ": expected " + std::to_string(table.header.size()) +
                                 " fields, found " + std::to_string(record.fields.size()));
            continue;
        }
        nlohmann::json row = nlohmann::json::object();
        for (std::size_t i = 0; i < record.fields.size(); ++i) {
            const auto& value = record.fields[i];
            if (value.empty()) continue;
            const auto& name = table.header[i];
            if (std::find(list_columns.begin(), list_columns.end(), name) != list_columns.end()) {
                nlohmann::json items = nlohmann::json::array();
                std::size_t start = 0;
                while (start <= value.size()) {
                    auto stop = value.find(';', start);
                    auto item = value.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
                    if (!item.empty()) items.push_back(item);
                    if (stop == std::string::npos) break;
                    start = stop + 1;
                }
                row[name] = items;
            } else {
                row[name] = value;
            }
        }
        row["_line"] = record.line;
        out.rows.push_back(std::move(row));
    }
    return out;
}

std::string csv_field(const std::string& text) {
    bool quote = text.find_first_of(",\"\r\n") != std::string::npos;
    // A leading =, +, - or @ (or a TAB or CR before one) would make a spreadsheet run the cell as a formula.
    bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' ||
                                     text[0] == '\r');
    std::string out = formula ? "'" + text : text;
    if (!quote && !formula) return out;
    std::string quoted = "\"";
    for (char c : out) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace lb::engine
