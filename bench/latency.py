#!/usr/bin/env python3
"""Sequential HTTP requests on one keep-alive connection; prints count, p50, p90, p99 and max in milliseconds."""
import http.client, sys, time

port, method, path, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
headers = {"Origin": f"http://127.0.0.1:{port}"} if method == "POST" else {}
conn = http.client.HTTPConnection("127.0.0.1", port)
samples = []
for _ in range(count):
    start = time.perf_counter()
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    response.read()
    samples.append((time.perf_counter() - start) * 1000)
    if response.status >= 500:
        sys.exit(f"{method} {path} answered {response.status}")
samples.sort()
pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
print(f"{method} {path}: n={count} p50={pick(0.5):.2f} ms p90={pick(0.9):.2f} ms p99={pick(0.99):.2f} ms max={samples[-1]:.2f} ms")
