"""Certificates of a final contest over HTTP against the real binary: finalize issues one per
placed participant (unguessable ids), each readable by id with the hash of its content, which
the final export lists; issuing again keeps ids and hashes unless the content changed (a
corrected name: the next revision, a new hash); the page and its QR code are served."""
import hashlib
import json
import unittest

from harness import Server, iso, redis_cli, redis_url, write_config

DB = 103
ADMIN = {"Authorization": "Bearer certificates-admin", "Content-Type": "application/json"}


def config(ends_at, ann_name="Ann"):
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "contests": [{
            "id": "camp", "title": {"en": "Spring camp", "zh": "春季训练营"}, "starts_at": iso(-10), "ends_at": ends_at, "repos": [],
            "placings": [{"from": 1, "to": 1, "title": {"en": "Champion", "zh": "冠军"}},
                         {"from": 2, "to": 3, "title": {"en": "Excellence award", "zh": "优秀奖"}}],
            "participants": [{"id": "ann", "name": ann_name, "github": "ann-gh"}, {"id": "bo", "name": "薄一", "github": "bo-gh"},
                             {"id": "cy", "name": "Cy", "github": "cy-gh"}, {"id": "di", "name": "Di", "github": "di-gh"}],
            "rules": {"components": [{"id": "project", "max": 100}]}}]}


def content_hash(record):
    content = {k: v for k, v in record.items() if k not in ("hash", "issued_at", "branding")}
    return "sha256:" + hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


class Certificates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        redis_cli(DB, "FLUSHDB")
        redis_cli(DB, "DEL", "lb:{certificates}:records", "lb:{certificates}:contest:camp")
        cls.server = Server(write_config(config(iso(1))), redis_url(DB), {"LB_ADMIN_TOKEN": "certificates-admin"})
        cls.server.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def reload(self, document):
        with open(self.server.config_path, "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        status, answer = self.server.json("POST", "/api/config/reload", b"", ADMIN)
        self.assertEqual(status, 200, answer)

    def test_finalize_issues_verifiable_certificates_and_the_export_lists_them(self):
        scores = json.dumps({"ann": 90, "bo": 95, "cy": 70, "di": 40}).encode()
        self.assertEqual(self.server.json("PUT", "/api/contests/camp/components/project", scores, ADMIN)[0], 200)
        status, refused = self.server.json("POST", "/api/contests/camp/certificates", b"{}", ADMIN)
        self.assertEqual((status, refused["error"]), (409, "not_final"), refused)
        self.reload(config(iso(-0.001)))
        status, final = self.server.json("POST", "/api/contests/camp/finalize", b"{}", ADMIN)
        self.assertEqual((status, final["certificates"]), (200, 3), final)

        status, listing = self.server.json("GET", "/api/contests/camp/certificates", None, ADMIN)
        self.assertEqual(status, 200, listing)
        records = listing["certificates"]
        self.assertEqual([(r["participant"], r["rank"], r["title"]["en"]) for r in records],
                         [("bo", 1, "Champion"), ("ann", 2, "Excellence award"), ("cy", 3, "Excellence award")])
        for r in records:
            self.assertRegex(r["id"], r"^[0-9a-f]{32}$")
            self.assertEqual(r["hash"], content_hash(r))
            self.assertEqual((r["contest_title"]["zh"], r["revision"]), ("春季训练营", 1))
        self.assertEqual(len({r["id"] for r in records}), 3)

        # Anyone with the id reads it; an id nobody was given is unknown.
        status, shown = self.server.json("GET", f"/api/certificates/{records[0]['id']}")
        self.assertEqual((status, shown["name"], shown["hash"]), (200, "薄一", records[0]["hash"]), shown)
        self.assertEqual(self.server.json("GET", "/api/certificates/" + "0" * 32)[0], 404)
        self.assertEqual(self.server.json("GET", "/api/certificates/not-an-id")[0], 404)
        status, headers, svg = self.server.request("GET", f"/api/certificates/{records[0]['id']}/qr.svg?origin=https://camp.example.org")
        self.assertEqual((status, headers.get("content-type")), (200, "image/svg+xml"))
        self.assertIn("<svg", svg[:200])
        status, headers, page = self.server.request("GET", f"/certificates/{records[0]['id']}")
        self.assertEqual(status, 200)
        self.assertIn("certificate.js", page)

        # The final export lists every certificate with its hash, inside the checksum.
        status, export = self.server.json("GET", "/api/contests/camp/standings?board=participants")
        self.assertEqual(status, 200, export)
        self.assertEqual([(c["id"], c["hash"]) for c in export["certificates"]], [(r["id"], r["hash"]) for r in records])
        body = {k: v for k, v in export.items() if k != "checksum"}
        self.assertEqual(export["checksum"], "sha256:" + hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest())

        # Issued again unchanged: the same ids and hashes. After a corrected name: the next revision.
        status, again = self.server.json("POST", "/api/contests/camp/certificates", b"{}", ADMIN)
        self.assertEqual([(r["id"], r["hash"], r["revision"]) for r in again["certificates"]], [(r["id"], r["hash"], r["revision"]) for r in records])
        self.reload(config(iso(-0.001), ann_name="Ann Lee"))
        status, corrected = self.server.json("POST", "/api/contests/camp/certificates", b"{}", {**ADMIN, "Idempotency-Key": "reissue-1"})
        ann_before = next(r for r in records if r["participant"] == "ann")
        ann_after = next(r for r in corrected["certificates"] if r["participant"] == "ann")
        self.assertEqual((ann_after["id"], ann_after["revision"], ann_after["name"]), (ann_before["id"], 2, "Ann Lee"))
        self.assertNotEqual(ann_after["hash"], ann_before["hash"])
        self.assertEqual(ann_after["hash"], content_hash(ann_after))
        self.assertIn("issue_certificates", redis_cli(DB, "XRANGE", "lb:{camp}:audit", "-", "+"))
        status, export = self.server.json("GET", "/api/contests/camp/standings?board=participants")
        self.assertIn((ann_after["id"], ann_after["hash"]), [(c["id"], c["hash"]) for c in export["certificates"]])


if __name__ == "__main__":
    unittest.main()
