"""One line of figures from locust's CSV: requests per second, errors and p50/p95/p99."""

import csv
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
print(
    "loadtest: {rps:.1f} requests/s, {n} requests, {fail} errors, "
    "p50 {p50} ms, p95 {p95} ms, p99 {p99} ms".format(
        rps=float(total["Requests/s"]),
        n=total["Request Count"],
        fail=total["Failure Count"],
        p50=total["50%"],
        p95=total["95%"],
        p99=total["99%"],
    )
)
sys.exit(1 if int(total["Failure Count"]) else 0)
