#!/usr/bin/env python3
"""A stand-in token endpoint for the benchmark: rotates the refresh token on every grant. Loopback only."""
import http.server, itertools, json, sys

counter = itertools.count(1)

class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        n = next(counter)
        body = json.dumps({"access_token": f"bench-at-{n}", "refresh_token": f"bench-rt-{n}",
                           "token_type": "Bearer", "expires_in": 86400}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
