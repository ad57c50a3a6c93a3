#!/usr/bin/env python3
"""bench/gen_data.py DIR FULL — deterministic benchmark data, made once and reused:
small/: 2,000 objects of 1-64 KiB in nested prefixes; medium/: 20 objects of 1-8 MiB;
big/1g.bin; mem256/256m.bin; with FULL=1 also mem4g/4g.bin and huge/6g.bin. Content comes from a seeded
generator (AES-CTR keystream through openssl for the large files: fast and repeatable)."""
import os
import random
import subprocess
import sys

root, full = sys.argv[1], sys.argv[2] == "1"


def big(path, size, seed):
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    key = f"{seed:032x}"
    with open(path + ".tmp", "wb") as out:
        gen = subprocess.Popen(
            ["openssl", "enc", "-aes-128-ctr", "-nosalt", "-K", key, "-iv", "0" * 32],
            stdin=subprocess.PIPE, stdout=out)
        zeros = bytes(1 << 20)
        for _ in range(size >> 20):
            gen.stdin.write(zeros)
        gen.stdin.close()
        gen.wait()
    os.rename(path + ".tmp", path)


rng = random.Random(42)
small = os.path.join(root, "small")
if not os.path.isdir(small) or sum(len(f) for _, _, f in os.walk(small)) != 2000:
    for i in range(2000):
        d = os.path.join(small, f"p{i % 10}", f"q{i % 7}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"obj-{i:05d}.bin"), "wb") as f:
            f.write(rng.randbytes(rng.randint(1024, 64 * 1024)))
        os.utime(os.path.join(d, f"obj-{i:05d}.bin"), (1700000000 + i, 1700000000 + i))
medium = os.path.join(root, "medium")
if not os.path.isdir(medium):
    os.makedirs(medium)
    for i in range(20):
        with open(os.path.join(medium, f"m{i:02d}.bin"), "wb") as f:
            f.write(rng.randbytes(rng.randint(1 << 20, 8 << 20)))
big(os.path.join(root, "big", "1g.bin"), 1 << 30, 1)
big(os.path.join(root, "mem256", "256m.bin"), 256 << 20, 2)
if full:
    big(os.path.join(root, "mem4g", "4g.bin"), 4 << 30, 3)
    big(os.path.join(root, "huge", "6g.bin"), 6 << 30, 4)
