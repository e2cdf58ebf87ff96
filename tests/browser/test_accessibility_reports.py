"""axe-core on the annual report's pages, as the auditor reads them: the report of a closed year
(with its chart drawn) and the list of years."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible
from tests.reports.conftest import small_fund  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["annual/2024/", "annual/"], ids=["report", "years"])
def test_report_pages(page: Page, live_server, users, small_fund, path):  # noqa: F811
    login(page, live_server, users["auditor"])
    response = page.goto(f"{live_server.url}/reports/funds/{small_fund.pk}/{path}")
    assert response is not None and response.status == 200
    assert_accessible(page)
