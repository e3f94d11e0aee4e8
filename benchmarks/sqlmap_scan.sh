#!/usr/bin/env bash
# sqlmap against sign-in, search and filters of consult, served by gunicorn on loopback (not run in CI).
#
#   benchmarks/sqlmap_scan.sh                       # the default targets below, level 3 / risk 2, 300 s each
#   SQLMAP_LEVEL=5 SQLMAP_RISK=3 benchmarks/sqlmap_scan.sh 'GET|/proposals/?q=x&action_line=C4|chair'
#
# A target is METHOD|PATH?QUERY|ROLE or METHOD|PATH|BODY|ROLE; ROLE is anonymous or chair (the session cookie of
# a signed-in chair is passed). Add the later areas' search and filter pages as arguments. Needs: apt-get install sqlmap.
# Exit status 1 when sqlmap reports an injectable parameter on any target.
set -euo pipefail
cd "$(dirname "$0")/.."

LEVEL=${SQLMAP_LEVEL:-3}
RISK=${SQLMAP_RISK:-2}
TIME_LIMIT=${SQLMAP_TIME_LIMIT:-300}
PORT=${SQLMAP_PORT:-8799}
OUT=${CONSULT_BENCH_DIR:-/tmp/consult-bench}/sqlmap
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=(
    "POST|/account/login|email=someone%40example.org&password=not-the-password|anonymous"
    "GET|/account/users?q=test&role=|chair"
    "GET|/audit/?action=user&object_type=User&object_id=1|chair"
  )
fi
command -v sqlmap >/dev/null || { echo "sqlmap is missing: apt-get install -y sqlmap"; exit 2; }
mkdir -p "$OUT"

DATABASE_URL=$(python -c 'from benchmarks.harness import database_url, seed; u = database_url("sqlite", "sqlmap"); seed(u, proposals=20, stakeholders=10); print(u)')
SECRET_KEY=$(python -c "import secrets; print(secrets.token_hex(32))")
export DATABASE_URL SECRET_KEY CONSULT_ENV=development
python -m gunicorn -w 2 -b "127.0.0.1:$PORT" benchmarks.wsgi_bench:app >"$OUT/gunicorn.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.3; done

CHAIR_COOKIE=$(python - "$PORT" <<'PY'
import sys, requests
from benchmarks.harness import page_form, PASSWORD
base = f"http://127.0.0.1:{sys.argv[1]}"
session = requests.Session()
form = page_form(session, base + "/account/login")
session.post(base + "/account/login", data={**form.fields, "email": "chair@example.org", "password": PASSWORD})
assert session.get(base + "/account/users", allow_redirects=False).status_code == 200, "the chair did not sign in"
print(f"session={session.cookies['session']}")
PY
)

found=0
for target in "${targets[@]}"; do
  IFS='|' read -r method path fourth fifth <<<"$target"
  if [ "$method" = POST ]; then body=$fourth; role=${fifth:-anonymous}; else body=""; role=${fourth:-anonymous}; fi
  args=(-u "http://127.0.0.1:$PORT$path" --batch --level "$LEVEL" --risk "$RISK" --time-sec 2
        --output-dir "$OUT" --flush-session --disable-coloring)
  [ -n "$body" ] && args+=(--data "$body" --csrf-token csrf_token --csrf-url "http://127.0.0.1:$PORT$path")
  [ "$role" = chair ] && args+=(--cookie "$CHAIR_COOKIE" --drop-set-cookie)
  log="$OUT/$(echo "$method$path" | tr -c 'A-Za-z0-9' '_').log"
  started=$(date +%s)
  timeout "$TIME_LIMIT" sqlmap "${args[@]}" >"$log" 2>&1 || true
  took=$(( $(date +%s) - started ))
  if grep -q "identified the following injection point" "$log"; then
    verdict="INJECTABLE"; found=1
  elif grep -qE "do not appear to be injectable|does not seem to be injectable" "$log"; then
    verdict="nothing found"
  else
    verdict="inconclusive (see $log)"
  fi
  [ "$took" -ge "$TIME_LIMIT" ] && verdict="$verdict (stopped at the ${TIME_LIMIT} s limit)"
  printf '%-6s %-55s %-9s level %s risk %s  %4ss  %s\n' "$method" "$path" "$role" "$LEVEL" "$RISK" "$took" "$verdict"
done
exit $found
