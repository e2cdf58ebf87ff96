import pytest
from tests.browser import test_accessibility_followup as t
from tests.browser.test_accessibility import AXE, AXE_OPTIONS
from tests.browser.test_accessibility_followup import *  # noqa
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def _dump(page):
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    r = AXE.run(page, options=AXE_OPTIONS).response
    print("\nURL", page.url, "violations", [(v["id"], v["impact"], len(v["nodes"])) for v in r["violations"]], "passes", len(r["passes"]) if "passes" in r else "?")

def test_probe(page, live_server, repaid, users, unit_a):
    login(page, live_server, users["coordinator"])
    for url in ["/followup/", f"/followup/projects/{repaid.project_id}/", f"/repayment/projects/{repaid.project_id}/", f"/repayment/units/{unit_a.pk}/", "/repayment/", f"/followup/reports/{repaid.saving.report_id}/", f"/evaluation/projects/{repaid.project_id}/", f"/evaluation/projects/{repaid.project_id}/close/"]:
        page.goto(url)
        for c in page.locator("[data-vega-spec]").all():
            expect(c).to_have_attribute("data-rendered", "true")
        _dump(page)
