#!/usr/bin/env python3
"""Loopback HTTP server for tests/windows/winhttp_transport_test.cpp (run under Wine by
tests/windows/winhttp_transport.sh). Prints its port on the first line of stdout."""
import gzip
import http.server
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/echo":
            seen = "\n".join(f"{k.lower()}={v}" for k, v in self.headers.items())
            self.reply(200, seen.encode(), [("X-Reply", "yes"), ("Content-Type", "text/plain")])
        elif self.path == "/missing":
            self.reply(404, b'{"error":"not here"}', [("Content-Type", "application/json")])
        elif self.path == "/gzip":
            body = b"hello " * 2000
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                self.reply(200, gzip.compress(body), [("Content-Encoding", "gzip")])
            else:
                self.reply(200, body)
        elif self.path == "/big":
            self.reply(200, b"x" * 100000)
        elif self.path == "/slow":
            time.sleep(3)
            self.reply(200, b"late")
        elif self.path == "/redirect":
            self.reply(302, b"", [("Location", "/echo")])
        else:
            self.reply(400, b"unknown path")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.reply(201, b"got:" + body, [("Content-Type", "text/plain")])

    do_PUT = do_POST
    do_PATCH = do_POST


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
