"""Clients that put exact bytes on the wire, for the hostile-input tier: HTTP requests
with whatever path, headers and body a test wants (urllib would clean them), a RESP
client for fingerprinting the store, and a minimal WebSocket client."""
import base64
import hashlib
import json
import os
import socket
import struct


def http(host, port, method, target, headers=None, body=b"", timeout=10):
    """One request on a fresh connection: (status, headers dict lower-cased, body bytes)."""
    if isinstance(target, str):
        target = target.encode()
    if isinstance(body, str):
        body = body.encode()
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: test", b"Connection: close"]
    items = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    if body or method in ("POST", "PUT", "DELETE"):
        items.append(("Content-Length", str(len(body))))
    for name, value in items:
        lines.append((name.encode() if isinstance(name, str) else name) + b": " +
                     (value.encode("latin-1") if isinstance(value, str) else value))
    data = b"\r\n".join(lines) + b"\r\n\r\n" + body
    with socket.create_connection((host, port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before the whole body was sent; read its answer
        return read_response(s)


def read_response(s):
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed before an answer: %r" % buffer[:200])
        buffer += chunk
    head, rest = buffer.split(b"\r\n\r\n", 1)
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split()[1])
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length]


class Resp:
    """Redis over one socket, pipelined."""

    def __init__(self, port, db):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buffer = b""
        self.call("SELECT", str(db))

    def close(self):
        self.sock.close()

    @staticmethod
    def encode(args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        return out

    def _line(self):
        while b"\r\n" not in self.buffer:
            self.buffer += self.sock.recv(1 << 16)
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buffer) < n + 2:
            self.buffer += self.sock.recv(1 << 16)
        data, self.buffer = self.buffer[:n], self.buffer[n + 2:]
        return data

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b"-"):
            return rest
        if kind == b":":
            return int(rest)
        if kind == b"$":
            return None if int(rest) < 0 else self._exact(int(rest))
        if kind == b"*":
            return None if int(rest) < 0 else [self._reply() for _ in range(int(rest))]
        raise ValueError(line)

    def pipeline(self, commands):
        self.sock.sendall(b"".join(self.encode(c) for c in commands))
        return [self._reply() for _ in commands]

    def call(self, *args):
        return self.pipeline([args])[0]


def fingerprint(resp, skip=(b"lb:{webhooks}:gitee-token:",)):
    """Every key of the database and its serialized value: equal fingerprints, equal store."""
    keys = sorted(k for k in resp.call("KEYS", "*") if not any(k.startswith(p) for p in skip))
    dumps = resp.pipeline([("DUMP", k) for k in keys]) if keys else []
    return hashlib.sha256(b"".join(k + b"\0" + (d or b"") for k, d in zip(keys, dumps))).hexdigest(), len(keys)


class WebSocket:
    """A client WebSocket: masked text frames out, frames in."""

    def __init__(self, host, port, target):
        self.sock = socket.create_connection((host, port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {target} HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ")[1])

    def send(self, payload, opcode=1):
        payload = payload.encode() if isinstance(payload, str) else payload
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        n = len(payload)
        header += bytes([0x80 | n]) if n < 126 else (bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536
                                                      else bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _exact(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _frame(self):
        b0, b1 = self._exact(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._exact(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._exact(8))[0]
        return bool(b0 & 0x80), b0 & 0x0F, self._exact(n)

    def frame(self):
        """(opcode, payload bytes) of the next message, its fragments joined."""
        final, opcode, payload = self._frame()
        while not final:
            final, _, more = self._frame()
            payload += more
        return opcode, payload

    def next_json(self, predicate=lambda f: True, limit=50):
        for _ in range(limit):
            opcode, payload = self.frame()
            if opcode == 8:
                raise ConnectionError("closed: %r" % payload)
            if opcode == 1:
                message = json.loads(payload)
                if predicate(message):
                    return message
        raise AssertionError("no matching frame")

    def close(self):
        self.sock.close()
