"""Production settings pass Django's deployment checks with nothing left to warn about, and
refuse to start without a secret key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path, *args, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")},
        "PYTHONPATH": str(ROOT),
        "SIFRA_ENV": "production",
        "SIFRA_VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "sifra.exempelkommun.se",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean(tmp_path):
    done = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    done = _manage(tmp_path, "check", SECRET_KEY="")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr
