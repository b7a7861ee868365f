"""Wall time of a whole `gouji check` process per bundled example, and its findings.

Usage: python benchmarks/check_time.py [--repeat N]
Prints one row per example: best-of-N seconds, errors, warnings, infos, claims, tables.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'document':44} {'seconds':>8} {'errors':>6} {'warn':>5} {'info':>5} {'claims':>6} {'tables':>6}")
    for doc in sorted(EXAMPLES.glob("*.txt")):
        best = float("inf")
        out = ""
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "gouji", "check", str(doc), "--format", "json"], capture_output=True, text=True)
            best = min(best, time.perf_counter() - t0)
            out = p.stdout
        d = json.loads(out)
        c = d["document"]["counts"]
        tables = sum(1 for t in d["tables"] if t["rows"])
        print(f"{doc.name:40} {best:8.2f} {c['error']:6} {c['warning']:5} {c['info']:5} {len(d['claims']):6} {tables:6}")


if __name__ == "__main__":
    main()
