"""The load test behind `make loadtest`: the demo municipality's people at work at once.

Most users read (the start page, the fund and its ledger, applications, claims, projects; the
API's balances and ledger); some run a small investment case through the API; a few coordinators
post small deposits, which take the fund's row lock, so the ledger's serialisation is under load
too. Run by loadtest/run.sh against gunicorn on PostgreSQL; each user logs in once.
"""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "demo"
CASE = {
    "case": {"title": "Tidigt stöd", "start_year": 2026, "horizon": 10, "discount_rate": 0.035},
    "actors": [{"id": "soc", "name": "Socialnämnden", "sector": "kommun"}],
    "costs": [{"name": "Familjebehandlare", "actor": "soc", "amounts": [3_000_000, 3_000_000]}],
    "participants": {"entering": [120]},
    "outcomes": [
        {
            "name": "Placering undviks",
            "effect": 0.2,
            "duration": 5,
            "unit_costs": {"soc": 350_000},
        }
    ],
}


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/login/", name="/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/login/"},
            name="/login/ (POST)",
        )
        self.csrf = self.client.cookies.get("csrftoken", "")

    def read(self, path: str, name: str | None = None) -> None:
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if response.status_code != 200 or "/login/" in response.url:
                response.failure(f"{response.status_code} at {response.url}")


class Coordinator(Person):
    weight = 3
    username = "samordnare"

    @task(5)
    def start_page(self) -> None:
        self.read("/")

    @task(5)
    def fund(self) -> None:
        self.read("/funds/1/", "/funds/[id]/")

    @task(3)
    def applications(self) -> None:
        self.read("/applications/")

    @task(3)
    def claims(self) -> None:
        self.read("/repayment/")

    @task(3)
    def ledger_api(self) -> None:
        self.read("/api/funds/1/ledger", "/api/funds/[id]/ledger")

    @task(1)
    def deposit(self) -> None:
        self.client.post(
            "/api/funds/1/ledger",
            json={"kind": "deposit", "amount": f"{random.randint(1, 999)},00", "text": "Last"},
            headers={"X-CSRFToken": self.csrf, "Referer": f"{self.host}/"},
            name="/api/funds/[id]/ledger (POST)",
        )


class Applicant(Person):
    weight = 4
    username = "sokande"

    @task(4)
    def applications(self) -> None:
        self.read("/applications/")

    @task(3)
    def projects(self) -> None:
        self.read("/projects/")

    @task(2)
    def calc(self) -> None:
        self.client.post(
            "/api/calc",
            json=CASE,
            headers={"X-CSRFToken": self.csrf, "Referer": f"{self.host}/"},
            name="/api/calc (POST)",
        )


class Reader(Person):
    """The economist and the auditor: lists, balances and the audit trail."""

    weight = 3
    username = "ekonom"

    def on_start(self) -> None:
        self.username = random.choice(["ekonom", "revisor", "beslut"])
        super().on_start()

    @task(3)
    def balances(self) -> None:
        self.read("/api/funds/1/balances", "/api/funds/[id]/balances")

    @task(3)
    def claims(self) -> None:
        self.read("/repayment/")

    @task(2)
    def fund(self) -> None:
        self.read("/funds/1/", "/funds/[id]/")

    @task(1)
    def audit(self) -> None:
        with self.client.get("/audit/", name="/audit/", catch_response=True) as response:
            if response.status_code not in (200, 403):  # the auditor's page; others get 403
                response.failure(str(response.status_code))
            else:
                response.success()
