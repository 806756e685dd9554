"""The gateway's rooms, lowest first: a file includes headers of its own room and of rooms
before it in this order, never after (the linker's layer checks in gateway/CMakeLists.txt catch
what a header-only reach upward would not). Also the engine includes nothing of the gateway or
the receivers, and no engine or api file includes Boost.Beast."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORDER = ["common", "redis", "api", "live", "reconcile", "net", "app"]
# Rooms that sit side by side: neither may include the other.
BESIDE = {frozenset({"redis", "api"}), frozenset({"redis", "live"}), frozenset({"redis", "reconcile"}),
          frozenset({"api", "live"}), frozenset({"api", "reconcile"}), frozenset({"live", "reconcile"}),
          frozenset({"redis", "net"})}
INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^">]+)[">]', re.M)


def problems():
    out = []
    for path in sorted((ROOT / "gateway").rglob("*.[ch]pp")):
        room = path.relative_to(ROOT / "gateway").parts[0]
        if room not in ORDER:
            continue
        for header in INCLUDE.findall(path.read_text(encoding="utf-8")):
            target = header.split("/")[0]
            if target not in ORDER or target == room:
                continue
            if ORDER.index(target) > ORDER.index(room) or frozenset({room, target}) in BESIDE:
                out.append(f"{path.relative_to(ROOT)}: {room}/ includes {header}")
    for path in sorted((ROOT / "engine").rglob("*.[ch]pp")):
        for header in INCLUDE.findall(path.read_text(encoding="utf-8")):
            if header.split("/")[0] in ORDER or header.startswith("boost/beast"):
                out.append(f"{path.relative_to(ROOT)}: the engine includes {header}")
    for path in sorted((ROOT / "gateway" / "api").rglob("*.[ch]pp")):
        for header in INCLUDE.findall(path.read_text(encoding="utf-8")):
            if header.startswith("boost/beast"):
                out.append(f"{path.relative_to(ROOT)}: the api room includes {header}")
    return out


if __name__ == "__main__":
    found = problems()
    for line in found:
        print(line)
    print(f"{len(found)} problems")
    sys.exit(1 if found else 0)
