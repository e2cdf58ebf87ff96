#!/usr/bin/env bash
# `make loadtest`: 50 users for 60 s against gunicorn on PostgreSQL with the demo municipality.
# Prints locust's table and a summary line; the figures in the README come from this.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${LOADTEST_PORT:-8765}"
USERS="${LOADTEST_USERS:-50}"
DURATION="${LOADTEST_DURATION:-60s}"
WORKERS="${LOADTEST_WORKERS:-4}"
DB="${LOADTEST_DB:-sifra_loadtest}"
OUT="var/loadtest"
mkdir -p "$OUT"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" DEBUG=0
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
$BIN/sifra migrate --noinput -v0
$BIN/sifra demo_data >/dev/null
$BIN/sifra collectstatic --noinput -v0

$BIN/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/login/" && break
  sleep 0.2  # waiting for the server to listen, not for time to pass in a test
done

$BIN/locust -f loadtest/locustfile.py --headless --users "$USERS" --spawn-rate 10 \
  --run-time "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$OUT/stats" --only-summary \
  --stop-timeout 5 || true
$BIN/python loadtest/summary.py "$OUT/stats_stats.csv"
