"""A local stand-in for the code hosts' OAuth 2.0 sign-in, serving their documented shapes under
/<host>/: the authorize redirect (it signs in whoever `users[host]` names, or answers
error=access_denied when `deny` is set), the token endpoint (GitHub, Gitee and GitLab: a form;
GitCode: grant_type, code and client_id in the query and the secret in a form; AtomGit: JSON),
which checks the client secret, the redirect_uri, the PKCE verifier and that a code is used once,
and GET /<host>/api/user with the token (Gitee: ?access_token=, the others a Bearer header; GitLab names the login "username"; GitCode's and
AtomGit's ids are strings). `token_mode` "html" or "500" makes the token endpoint misbehave."""
import base64
import hashlib
import json
import secrets
import threading
from urllib.parse import parse_qs, urlencode, urlparse

from standin_server import StandInServer

SECRETS = {"github": "gh-secret", "gitee": "ge-secret", "gitcode": "gc-secret", "atomgit": "ag-secret", "gitlab": "gl-secret"}
CLIENT_IDS = {host: f"{host}-app" for host in SECRETS}


def user_json(host, user):
    if host == "gitlab":
        return {"id": int(user["id"]), "username": user["login"], "name": user.get("name", user["login"])}
    if host in ("gitcode", "atomgit"):
        return {"id": str(user["id"]), "login": user["login"], "name": user.get("name", user["login"])}
    return {"id": int(user["id"]), "login": user["login"], "name": user.get("name", user["login"])}


class OAuthStandIn:
    def __init__(self):
        self.users = {}        # host -> {"id", "login"}: who signs in next
        self.deny = False
        self.token_mode = "ok"
        self.codes = {}        # code -> {"host", "client_id", "redirect_uri", "challenge", "user", "used"}
        self.tokens = {}       # token -> (host, user)
        self.token_requests = []  # (host, query, content type, body) as received
        self.lock = threading.Lock()
        self.http = StandInServer(self.handle)
        self.base = self.http.base

    def stop(self):
        self.http.stop()

    def app_config(self, host):
        return {"client_id": CLIENT_IDS[host], "client_secret_env": f"LB_{host.upper()}_OAUTH_SECRET",
                "authorize_url": f"{self.base}/{host}/authorize", "token_url": f"{self.base}/{host}/token",
                "api_url": f"{self.base}/{host}/api"}

    @staticmethod
    def secrets_env():
        return {f"LB_{host.upper()}_OAUTH_SECRET": secret for host, secret in SECRETS.items()}

    def send(self, handler, status, body, content_type="application/json", headers=()):
        data = body if isinstance(body, bytes) else (json.dumps(body) if content_type == "application/json" else body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def handle(self, handler, method):
        url = urlparse(handler.path)
        parts = url.path.strip("/").split("/")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        host = parts[0] if parts else ""
        if host not in SECRETS:
            return self.send(handler, 404, {"message": "Not Found"})
        if parts[1:] == ["authorize"] and method == "GET":
            return self.authorize(handler, host, query)
        if parts[1:] == ["token"] and method == "POST":
            length = int(handler.headers.get("Content-Length", "0"))
            return self.token(handler, host, query, handler.headers.get("Content-Type", ""), handler.rfile.read(length).decode())
        if parts[1:] == ["api", "user"] and method == "GET":
            # Gitee documents the token as ?access_token=; the others as a Bearer header.
            auth = handler.headers.get("Authorization", "")
            token = query.get("access_token") if host == "gitee" else (auth[len("Bearer "):] if auth.startswith("Bearer ") else None)
            with self.lock:
                found = self.tokens.get(token) if token else None
            if not found or found[0] != host:
                return self.send(handler, 401, {"message": "Bad credentials"})
            return self.send(handler, 200, user_json(host, found[1]))
        return self.send(handler, 404, {"message": "Not Found"})

    def authorize(self, handler, host, query):
        if query.get("client_id") != CLIENT_IDS[host] or query.get("response_type") != "code":
            return self.send(handler, 400, "bad client_id or response_type", "text/html")
        target = query["redirect_uri"]
        if self.deny:
            return self.send(handler, 302, b"", "text/plain", [("Location", target + "?" + urlencode({"error": "access_denied", "state": query["state"]}))])
        code = secrets.token_hex(10)
        with self.lock:
            self.codes[code] = {"host": host, "redirect_uri": target, "challenge": query.get("code_challenge", ""),
                                "method": query.get("code_challenge_method", ""), "user": self.users[host], "used": False,
                                "scope": query.get("scope", "")}
        self.send(handler, 302, b"", "text/plain", [("Location", target + "?" + urlencode({"code": code, "state": query["state"]}))])

    def token(self, handler, host, query, content_type, body):
        with self.lock:
            self.token_requests.append((host, query, content_type, body))
        if self.token_mode == "html":
            return self.send(handler, 200, "<html><body>Sign in</body></html>", "text/html")
        if self.token_mode == "500":
            return self.send(handler, 500, {"message": "Internal error"})
        if host == "atomgit":
            if not content_type.startswith("application/json"):
                return self.send(handler, 415, {"error": "unsupported_media_type"})
            fields = json.loads(body)
        else:
            fields = {k: v[0] for k, v in parse_qs(body).items()}
            if host == "gitcode":  # documented: grant_type, code and client_id in the query; the secret in a form
                fields = {**fields, **query}
            elif query:
                return self.send(handler, 400, {"error": "invalid_request"})
        if fields.get("client_id") != CLIENT_IDS[host] or fields.get("client_secret") != SECRETS[host]:
            return self.send(handler, 401, {"error": "invalid_client"})
        with self.lock:
            grant = self.codes.get(fields.get("code", ""))
            if not grant or grant["used"] or grant["host"] != host:
                return self.send(handler, 400, {"error": "invalid_grant" if host != "github" else "bad_verification_code"})
            grant["used"] = True
        if fields.get("redirect_uri") != grant["redirect_uri"]:
            return self.send(handler, 400, {"error": "redirect_uri_mismatch"})
        verifier = fields.get("code_verifier", "")
        expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if grant["method"] != "S256" or expected != grant["challenge"]:
            return self.send(handler, 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        token = secrets.token_hex(16)
        with self.lock:
            self.tokens[token] = (host, grant["user"])
        self.send(handler, 200, {"access_token": token, "token_type": "bearer", "scope": grant["scope"]})


if __name__ == "__main__":
    # For the browser tests: `python3 oauth_standin.py <host> <id> <login>` serves until stdin closes;
    # its first line out is the base URL. Each line in, "<login> <id>", makes that account the one
    # that signs in next, answered "ok".
    import sys
    standin = OAuthStandIn()
    standin.users[sys.argv[1]] = {"id": sys.argv[2], "login": sys.argv[3]}
    print(standin.base, flush=True)
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 2:
            standin.users[sys.argv[1]] = {"id": parts[1], "login": parts[0]}
            print("ok", flush=True)
    standin.stop()
