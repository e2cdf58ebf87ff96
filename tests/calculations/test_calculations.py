"""Heavy calculations go through the task worker: POST /api/calc answers 202 with a calculation
to poll, the worker computes it in steps that save their progress, and the result kept is the
engine's own document for the same case, iterations and seed."""

import copy
import json
import signal

import pytest
from django.core.management import call_command
from django.test import Client

from sifra.accounts.services import api_token_create
from sifra.applications.case_text import case_toml
from sifra.calculations import services
from sifra.calculations.models import Calculation
from sifra.engine import calculate, load_case
from sifra.engine.limits import work
from tests.engine.test_limits import VALID

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HEAVY_ITERATIONS = 150_000  # just above INLINE_WORK for the case below (a tenth of a second)


def uncertain_case() -> dict:
    case = copy.deepcopy(VALID)
    case["outcomes"][0]["effect"] = {"dist": "pert", "low": 0.02, "mode": 0.04, "high": 0.06}
    return case


def bearer(user) -> Client:
    _token, key = api_token_create(user=user, name="skript", acting_user=user)
    return Client(headers={"authorization": f"Bearer {key}", "accept-language": "en"})


def post(client, case, iterations, seed=7):
    url = f"/api/calc?iterations={iterations}&seed={seed}"
    return client.post(url, data=json.dumps(case), content_type="application/json")


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def test_the_heavy_case_is_above_the_inline_threshold_and_a_small_one_below():
    parsed = load_case(uncertain_case())
    assert work(parsed, HEAVY_ITERATIONS) > services.INLINE_WORK
    assert work(parsed, 10_000) <= services.INLINE_WORK


def test_a_small_run_still_answers_200_with_the_document(users):
    response = post(bearer(users["economist"]), uncertain_case(), 10_000)
    assert response.status_code == 200
    assert response.json() == calculate(uncertain_case(), iterations=10_000, seed=7)
    assert not Calculation.objects.exists()


def test_a_heavy_run_is_a_202_with_a_calculation_to_poll(users, immediate):
    economist = bearer(users["economist"])
    response = post(economist, uncertain_case(), HEAVY_ITERATIONS)
    assert response.status_code == 202
    body = response.json()
    assert body["url"] == f"/api/calc/{body['id']}"
    polled = economist.get(body["url"]).json()
    assert (polled["status"], polled["progress"], polled["errors"]) == ("done", 100, {})
    assert polled["result"] == calculate(uncertain_case(), iterations=HEAVY_ITERATIONS, seed=7)
    kept = Calculation.objects.get()
    assert (kept.created_by, kept.seed, kept.iterations) == (users["economist"], 7, 150_000)
    assert kept.case == uncertain_case() and kept.finished_at is not None


def test_the_same_run_again_is_the_same_calculation(users, immediate):
    economist = bearer(users["economist"])
    first = post(economist, uncertain_case(), HEAVY_ITERATIONS).json()
    again = post(economist, uncertain_case(), HEAVY_ITERATIONS).json()
    other_seed = post(economist, uncertain_case(), HEAVY_ITERATIONS, seed=8).json()
    assert first["id"] == again["id"] != other_seed["id"]
    assert Calculation.objects.count() == 2


def test_someone_elses_calculation_is_not_found(users, immediate):
    url = post(bearer(users["economist"]), uncertain_case(), HEAVY_ITERATIONS).json()["url"]
    assert bearer(users["coordinator"]).get(url).status_code == 404
    assert bearer(users["economist"]).get("/api/calc/not-a-uuid").status_code == 400


def test_one_person_cannot_fill_the_queue(users):
    economist = bearer(users["economist"])
    for seed in range(services.MAX_UNFINISHED):
        assert post(economist, uncertain_case(), HEAVY_ITERATIONS, seed=seed).status_code == 202
    refused = post(economist, uncertain_case(), HEAVY_ITERATIONS, seed=99)
    assert refused.status_code == 429
    assert "wait for one to finish" in refused.json()["errors"]["__all__"][0]
    assert post(bearer(users["coordinator"]), uncertain_case(), HEAVY_ITERATIONS).status_code == 202


def test_progress_is_saved_after_each_chunk(users, monkeypatch):
    saved = []
    real = services._update
    monkeypatch.setattr(
        services, "_update", lambda c, **f: (saved.append(f.get("progress")), real(c, **f))
    )
    calculation = Calculation.objects.create(
        created_by=users["economist"], case=uncertain_case(), iterations=45_000, digest="x"
    )
    services.calculation_run(calculation_id=str(calculation.pk))
    # 2 % after the base case, then after each of the three chunks of 20 000, 20 000 and 5 000
    assert [p for p in saved if p is not None] == [2, 44, 87, 98, 99, 100]
    calculation.refresh_from_db()
    assert calculation.result == calculate(uncertain_case(), iterations=45_000, seed=0)


def test_a_case_the_engine_refuses_in_the_worker_fails_with_its_messages(users):
    case = uncertain_case()
    case["case"]["horizon"] = 500
    calculation = Calculation.objects.create(
        created_by=users["economist"], case=case, iterations=10, digest="x"
    )
    services.calculation_run(calculation_id=str(calculation.pk))
    calculation.refresh_from_db()
    assert calculation.status == "failed"
    assert calculation.errors == {"case.horizon": ["must be at most 100, got 500"]}


@pytest.fixture
def restore_signals():
    """The worker installs its own SIGINT/SIGTERM handlers and leaves them."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_calculation(users, restore_signals):
    economist = bearer(users["economist"])
    body = post(economist, uncertain_case(), HEAVY_ITERATIONS).json()
    assert (body["status"], body["progress"], body["result"]) == ("queued", 0, None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    polled = economist.get(body["url"]).json()
    assert (polled["status"], polled["progress"]) == ("done", 100)
    assert polled["result"] == calculate(uncertain_case(), iterations=HEAVY_ITERATIONS, seed=7)


def calc_page_post(user, case: dict, iterations: int):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    data = {"case": case_toml(case), "iterations": iterations, "seed": 7}
    return client.post("/calc/", data)


def test_the_calculator_page_hands_a_heavy_run_to_the_worker(users):
    html = calc_page_post(users["economist"], uncertain_case(), HEAVY_ITERATIONS).content.decode()
    calculation = Calculation.objects.get()
    assert f'hx-get="/calculations/{calculation.pk}/" hx-trigger="every 1s"' in html
    assert 'data-result="npv"' not in html


def test_the_calculator_page_shows_a_finished_run_in_full(users, immediate):
    html = calc_page_post(users["economist"], uncertain_case(), HEAVY_ITERATIONS).content.decode()
    assert Calculation.objects.get().status == "done"
    assert 'data-result="npv"' in html and "Chance that NPV is positive" in html


def test_a_personal_identity_number_in_a_kept_case_is_refused(users):
    case = uncertain_case()
    case["actors"][0]["name"] = "Omsorg för 19121212-1212"
    response = post(bearer(users["economist"]), case, HEAVY_ITERATIONS)
    assert response.status_code == 400 and "19121212-1212" in response.json()["errors"]["case"][0]
    assert not Calculation.objects.exists()
