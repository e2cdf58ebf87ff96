"""Page timings at the scale of a large municipality (`make bench`): the fund built by
`sifra demo_data --projects 2000`, then the median and the 95th percentile of each page that
lists or sums, over N requests with Django's test client (signed in as the coordinator, who
sees everything), on SQLite and, when DATABASE_URL names one, on PostgreSQL. Also the build
time of the 2 000-project fund, and the number of queries each page makes.

Each database is built once, in a throwaway database: SQLite in a file under the temporary
directory, PostgreSQL as test_<name> of DATABASE_URL, dropped at the end. Every database runs
in its own process, since Django reads its database settings once.

    python bench/pages_bench.py                  # SQLite, and PostgreSQL if DATABASE_URL is one
    python bench/pages_bench.py --projects 200 --requests 20
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0


def _pages(fund_id: int, project_id: int) -> list[tuple[str, str]]:
    return [
        ("fund", f"/funds/{fund_id}/"),
        ("ledger, page 300", f"/funds/{fund_id}/?page=300"),
        ("ledger, one project", f"/funds/{fund_id}/?project={project_id}"),
        ("projects", "/projects/"),
        ("projects, page 20", "/projects/?page=20"),
        ("portfolio", f"/portfolio/{fund_id}/"),
        ("portfolio, filtered", f"/portfolio/{fund_id}/?status=closed&page=5"),
        ("who paid and who saved", f"/portfolio/{fund_id}/payer-saver/"),
        ("claims", "/repayment/"),
        ("claims, one fund", f"/repayment/?fund={fund_id}"),
        ("follow-up overview", "/followup/"),
        ("audit trail", "/audit/"),
        ("funds", "/funds/"),
        ("start page (Att göra)", "/"),
    ]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SIFRA_TASKS_BACKEND"] = "immediate"
    import django

    django.setup()
    from django.conf import settings

    # Not Django's test environment: its template instrumentation keeps every rendered page's
    # context alive until the next request, which made the garbage collector's full
    # collections (about 130 ms each here) three times as frequent as a server's. Only the
    # test client's host name is needed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # A server keeps its connection between requests (CONN_MAX_AGE); the test client would
    # close it after each one, and the count of queries with it.
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False


def child(projects: int, requests: int) -> dict:
    """Build the database, then time the pages in a process of their own; one JSON document
    on stdout."""
    _django()
    from django.db import connection

    if connection.vendor == "sqlite":  # a file, as a server's database is; not in memory
        connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}.test"
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from sifra.demo.management.commands.demo_data import build_demo
        from sifra.demo.scale import build_scale

        started = time.perf_counter()
        cpu = time.process_time()
        build_demo()
        demo_s = time.perf_counter() - started
        report = build_scale(projects)
        build = {
            "demo_s": demo_s,
            "scale_s": report.seconds,
            "total_s": time.perf_counter() - started,
            "cpu_s": time.process_time() - cpu,
            "entries": report.entries,
            "indicator_values": report.indicator_values,
        }
        # After a bulk load an operator vacuums and analyses (README, "At the scale of a large
        # municipality"); without it PostgreSQL's autovacuum would start on the new tables in
        # the middle of the timings, and its first reads would write the rows' hint bits.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        project = report.fund.projects.order_by("pk").first()
        # The pages are timed by a new process, as a server started after the build would
        # serve them: in this one, the build's millions of objects made every full collection
        # of the garbage collector take 150-350 ms, which no server pays.
        database = dict(connection.settings_dict)
        connection.close()
        rows = _time_elsewhere(database, report.fund.pk, project.pk, requests)
        return {"vendor": connection.vendor, "build": build, "pages": rows}
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


def _time_elsewhere(database: dict, fund_id: int, project_id: int, requests: int) -> list[dict]:
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        user, host, port = database["USER"], database["HOST"], database["PORT"] or 5432
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        url = f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, __file__, "--time", f"--fund={fund_id}", f"--project={project_id}",
            f"--requests={requests}"]  # fmt: skip
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit("timing the pages failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def timer(fund_id: int, project_id: int, requests: int) -> list[dict]:
    """Time each page on the built database (DATABASE_URL names it) as the coordinator."""
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sifra.accounts.models import Role, User

    client = Client()
    client.force_login(User.objects.filter(role=Role.COORDINATOR).order_by("pk").first())
    rows = []
    for name, url in _pages(fund_id, project_id):
        for _ in range(3):  # warm the caches, as a running server has them
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)  # now: the next request empties the log
        times, cpu = [], []
        for _ in range(requests):
            t, c = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert response.status_code == 200
        rows.append(
            {
                "page": name,
                "url": url,
                "median_ms": statistics.median(times),
                "p95_ms": _percentile(times, 0.95),
                "cpu_median_ms": statistics.median(cpu),
                "cpu_p95_ms": _percentile(cpu, 0.95),
                "queries": count,
                "bytes": len(response.content),
            }
        )
    connection.close()
    return rows


def _run(database_url: str, projects: int, requests: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, __file__, "--child", f"--projects={projects}", f"--requests={requests}"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the benchmark on {database_url.split('@')[-1]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print(result: dict, projects: int, requests: int) -> bool:
    b = result["build"]
    print(
        f"\n{result['vendor']}: demo_data --projects {projects}: {b['total_s']:.1f} s "
        f"(the demo {b['demo_s']:.1f} s, the {projects} projects {b['scale_s']:.1f} s; "
        f"CPU {b['cpu_s']:.1f} s), {b['entries']:,} ledger entries, "
        f"{b['indicator_values']:,} indicator values"
    )
    print(
        f"{'page':<26}{'median ms':>11}{'p95 ms':>9}{'CPU med':>9}{'CPU p95':>9}{'queries':>9}"
        f"{'kB':>6}   target p95 ≤ 100"
    )
    ok = True
    for r in result["pages"]:
        verdict = "PASS" if r["p95_ms"] <= TARGET_MS else "FAIL"
        ok = ok and verdict == "PASS"
        print(
            f"{r['page']:<26}{r['median_ms']:>11.1f}{r['p95_ms']:>9.1f}{r['cpu_median_ms']:>9.1f}"
            f"{r['cpu_p95_ms']:>9.1f}{r['queries']:>9}{r['bytes'] / 1024:>6.0f}   {verdict}"
        )
    print(
        f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; the CPU "
        "columns are this process's own time (on SQLite the database's work included)"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--time", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fund", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.projects, args.requests)))
        return 0
    if args.time:
        print(json.dumps(timer(args.fund, args.project, args.requests)))
        return 0
    databases = []
    with tempfile.TemporaryDirectory() as tmp:
        databases.append(f"sqlite:///{tmp}/pages-bench.sqlite3")
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            databases.append(url)
        print(f"Pages at {args.projects} projects, {args.requests} requests each")
        ok = True
        for database in databases:
            ok = _print(_run(database, args.projects, args.requests), args.projects,
                        args.requests) and ok  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
