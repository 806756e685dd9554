#include <doctest/doctest.h>

#include "csv.hpp"

using namespace lb::engine;

TEST_CASE("CSV: quotes, doubled quotes, CRLF, a BOM and blank lines") {
    auto table = parse_csv("\xEF\xBB\xBFid, name ,teams\r\nann,\"Ann, \"\"the\"\" first\",a;b\r\n\r\nben,Ben,\n");
    REQUIRE(table.error.empty());
    CHECK(table.header == std::vector<std::string>{"id", "name", "teams"});
    REQUIRE(table.records.size() == 2);
    CHECK(table.records[0].fields == std::vector<std::string>{"ann", "Ann, \"the\" first", "a;b"});
    CHECK(table.records[0].line == 2);
    CHECK(table.records[1].line == 4);
    CHECK(table.records[1].fields == std::vector<std::string>{"ben", "Ben", ""});
}

TEST_CASE("CSV: a quoted newline keeps line numbers of later records true") {
    auto table = parse_csv("id,name\na,\"two\nlines\"\nb,B");
    REQUIRE(table.error.empty());
    REQUIRE(table.records.size() == 2);
    CHECK(table.records[0].fields[1] == "two\nlines");
    CHECK(table.records[1].line == 4);
}

TEST_CASE("CSV: broken quoting and empty files are errors with a line") {
    CHECK(parse_csv("id,name\na,\"open").error == "line 2: a quoted field is not closed");
    CHECK(parse_csv("id,name\na,b\"c\n").error == "line 2: a quote inside an unquoted field (quote the whole field)");
    CHECK(parse_csv("").error == "the file is empty: expected a header row");
}

TEST_CASE("CSV rows: unknown columns, wrong field counts, lists") {
    auto rows = csv_to_rows(parse_csv("id,teams\na,x;y;\nb\n"), {"id", "teams"}, {"teams"});
    REQUIRE(rows.errors.size() == 1);
    CHECK(rows.errors[0] == "line 3: expected 2 fields, found 1");
    CHECK(rows.rows.at(0)["teams"] == nlohmann::json::array({"x", "y"}));
    CHECK(rows.rows.at(0)["_line"] == 2);
    auto unknown = csv_to_rows(parse_csv("id,colour\na,red\n"), {"id", "teams"});
    REQUIRE(unknown.errors.size() == 1);
    CHECK(unknown.errors[0] == "line 1: unknown column \"colour\" (expected id, teams)");
}
