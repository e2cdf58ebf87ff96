"""Performance figure for the longest page Sifra renders in a request (`make bench`): the
decision memo as PDF, with every narrative section of the application at its limit (LONG_TEXT
characters), its reviews, budget and case chart, on the demo municipality.

Two texts: ordinary prose (sentences in paragraphs, as people write) and the worst case, one
unbroken paragraph per section. Printed: the median of 3 renderings of each, through the page
(permission, context, template, chart as SVG through vl-convert, WeasyPrint).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from sifra.accounts.models import User  # noqa: E402
from sifra.applications.models import TEXT_SECTIONS, Application  # noqa: E402
from sifra.core.text import LONG_TEXT  # noqa: E402

RUNS = 3
TARGET_S = 10.0  # within gunicorn's 30 s timeout with room to spare
SENTENCE = (
    "Familjebehandlarna träffar familjerna varje vecka och följer upp barnens skolgång "
    "tillsammans med elevhälsan och socialtjänstens handläggare. "
)


def _prose(limit: int) -> str:
    paragraph = SENTENCE * 6
    text = "\n\n".join([paragraph.strip()] * (limit // (len(paragraph) + 2) + 1))
    return text[:limit]


def _unbroken(limit: int) -> str:
    return (SENTENCE * (limit // len(SENTENCE) + 1))[:limit]


def _median_s(client: Client, url: str) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return statistics.median(times)


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        application = Application.objects.filter(status="recommended").first()
        application = application or Application.objects.exclude(case=None).first()
        client = Client()
        client.force_login(User.objects.get(username="beslut"))
        url = f"/applications/{application.pk}/memo.pdf"
        figures = {}
        for name, make in (("prose", _prose), ("one paragraph", _unbroken)):
            texts = {f: make(LONG_TEXT) for f in TEXT_SECTIONS}
            Application.objects.filter(pk=application.pk).update(**texts)
            figures[name] = _median_s(client, url)
        chars = len(TEXT_SECTIONS) * LONG_TEXT
        print(f"memo PDF, {len(TEXT_SECTIONS)} sections × {LONG_TEXT} characters ({chars}):")
        for name, seconds in figures.items():
            verdict = "PASS" if seconds <= TARGET_S else "MISS"
            print(
                f"  {name:14s} median of {RUNS}: {seconds:6.2f} s  target ≤ {TARGET_S} s {verdict}"
            )
        return 0 if max(figures.values()) <= TARGET_S else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
