#!/usr/bin/env python3
"""docs/api.md and the route table cannot drift: every route gateway/api/route_list.cpp declares
is named in docs/api.md (as `METHOD /pattern`, placeholders by any name, a query left aside), and
every `METHOD /path` named there is a route of the table. Prints what is missing; exits 1."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def shape(path):
    """A path with its placeholders and query folded: /api/contests/{id}?x=1 -> /api/contests/{}"""
    return re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])


def main():
    table = re.findall(r'\{"(GET|POST|PUT|DELETE|PATCH)", "([^"]+)"', (ROOT / "gateway/api/route_list.cpp").read_text())
    doc = (ROOT / "docs/api.md").read_text()
    named = set()
    for span in re.findall(r"`([^`]+)`", doc):
        match = re.fullmatch(r"(GET|POST|PUT|DELETE|PATCH)? ?(/[^\s]*)", span)
        if match:
            named.add((match.group(1), shape(match.group(2))))
    problems = []
    for method, pattern in table:
        if (method, shape(pattern)) not in named and (None, shape(pattern)) not in named:
            problems.append(f"docs/api.md does not name {method} {pattern}")
    routes = {(m, shape(p)) for m, p in table}
    for method, path in sorted(named, key=str):
        if method and (method, path) not in routes:
            problems.append(f"docs/api.md names {method} {path}, which is not in gateway/api/route_list.cpp")
    for line in problems:
        print(line)
    print(f"{len(table)} routes, {len(problems)} problems")
    return 1 if problems or len(table) < 50 else 0


if __name__ == "__main__":
    sys.exit(main())
