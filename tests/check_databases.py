#!/usr/bin/env python3
"""The ctest entries run two at a time against one shared redis-server, each in databases of its
own. Two entries that pick the same database wipe each other's keys at random moments, a failure
seen only when their timing overlaps. This finds every database number each entry's files name
and fails when two entries share one, or when one is beyond the fixture's `--databases`."""
import pathlib
import re
import sys

TESTS = pathlib.Path(__file__).resolve().parent

# file(s) -> the ctest entry that runs them
ENTRIES = {
    "redis_store": ["redis/*.cpp"],
    "blackbox_http": ["blackbox/test_http.py", "blackbox/test_freeze.py", "blackbox/test_homework.py", "blackbox/test_certificates.py"],
    "blackbox_webhooks": ["blackbox/test_webhooks.py", "blackbox/test_hosts.py"],
    "blackbox_history": ["blackbox/test_history.py"],
    "blackbox_organizers": ["blackbox/test_organizers.py"],
    "blackbox_hostile": ["blackbox/test_hostile.py"],
    "blackbox_sign_in": ["blackbox/test_sign_in.py", "blackbox/test_votes.py"],
    "blackbox_integrity": ["blackbox/test_integrity.py"],
    "blackbox_console": ["blackbox/test_console.py"],
    "blackbox_live": ["node/live.test.mjs"],
    "blackbox_nginx": ["node/nginx.test.mjs"],
    "browser_page": ["node/page.test.mjs"],
    "browser_console": ["node/console.test.mjs"],
    "browser_screen": ["node/screen.test.mjs"],
    "browser_sign_in": ["node/sign-in.test.mjs"],
    "bench_smoke": ["bench_smoke.sh"],
}

PATTERNS = [
    r"\bDB\s*=\s*(\d+)",                      # Python test classes and modules
    r"fresh_database\((\d+)\)",               # C++ store tests
    r"(?:flushDb|redisUrl|serverWithViewers|seeded)\((\d+)",  # Node tests
    r"redis-cli -p \S+ -n (\d+)",             # shell
    r"--redis-db (\d+)",
    r"redis_port/(\d+)\"",
]


def databases_of(entry):
    found = {}
    for glob in ENTRIES[entry]:
        for path in sorted(TESTS.glob(glob)):
            text = path.read_text(encoding="utf-8")
            for pattern in PATTERNS:
                for match in re.finditer(pattern, text):
                    line = text.count("\n", 0, match.start()) + 1
                    found.setdefault(int(match.group(1)), f"{path.relative_to(TESTS)}:{line}")
    return found


def main():
    limit = int(re.search(r"--databases (\d+)", (TESTS / "redis_fixture.sh").read_text()).group(1))
    owner, problems = {}, []
    sharing = re.findall(r"set_tests_properties\((\w+) PROPERTIES FIXTURES_REQUIRED redis", (TESTS / "CMakeLists.txt").read_text())
    problems += [f"{entry}: uses the shared Redis but is not listed in ENTRIES here" for entry in sharing if entry not in ENTRIES]
    for entry in ENTRIES:
        used = databases_of(entry)
        if not used and entry != "blackbox_integrity":  # the integrity tests start Redis servers of their own
            problems.append(f"{entry}: no database found in {ENTRIES[entry]} (a pattern is missing here)")
        for db, where in sorted(used.items()):
            if db >= limit:
                problems.append(f"{entry}: database {db} at {where} is beyond the fixture's --databases {limit}")
            if db in owner and owner[db][0] != entry:
                problems.append(f"database {db}: {owner[db][0]} ({owner[db][1]}) and {entry} ({where})")
            owner.setdefault(db, (entry, where))
    for problem in problems:
        print(problem)
    print(f"{len(owner)} databases, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
