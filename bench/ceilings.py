#!/usr/bin/env python3
"""bench/ceilings.py FILE S3_ENDPOINT AK SK REGION HASH_BENCH — what this machine and the S3
peer can do at best: one curl PUT and GET of FILE (SigV4, unsigned payload), and the
client-side cost of MD5 and SHA-256 per GiB (openssl dgst, reading FILE) and of MD5,
SHA-256 and CRC64 through cpsync's own code (HASH_BENCH, in memory). Prints JSON lines for
bench/report.py."""
import json
import os
import subprocess
import sys
import time

path, endpoint, ak, sk, region, hash_bench = sys.argv[1:7]
size_gib = os.path.getsize(path) / (1 << 30)


def timed(cmd):
    t0 = time.time()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.time() - t0


env_cmd = ["env", "-u", "AWS_CA_BUNDLE"]
sig = ["--aws-sigv4", f"aws:amz:{region}:s3", "--user", f"{ak}:{sk}",
       "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"]
url = f"{endpoint}/bench-src/ceiling.bin"
put = timed(env_cmd + ["curl", "-sf", "-X", "PUT", "-T", path] + sig + [url])
get = timed(env_cmd + ["curl", "-sf", "-o", "/dev/null"] + sig + [url])
print(json.dumps({"case": "ceiling: curl PUT 1 GiB to S3", "tool": "curl", "wall": put}))
print(json.dumps({"case": "ceiling: curl GET 1 GiB from S3", "tool": "curl", "wall": get}))
for algo in ("md5", "sha256"):
    t = timed(["openssl", "dgst", f"-{algo}", path])
    print(json.dumps({"case": f"ceiling: {algo} per GiB (openssl)", "tool": "openssl",
                      "wall": t / size_gib}))
out = subprocess.run([hash_bench, "1"], check=True, capture_output=True, text=True).stdout
for line in out.splitlines():
    print(line)
