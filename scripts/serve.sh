#!/bin/sh
# Serve Hearline: the Huey consumer in the background, gunicorn in the foreground.
# The consumer is supervised: when it dies it is started again (scripts/supervise.py), and
# it releases the task locks a killed consumer left behind (--flush-locks; it is the only
# consumer). Stopping gunicorn (Ctrl-C) stops the consumer too.
set -e
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$BIN/python" scripts/supervise.py -- "$BIN/hearline" run_huey --workers 2 --flush-locks --quiet &
HUEY_PID=$!
trap 'kill $HUEY_PID 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  Hearline is serving on http://$HOST:$PORT/
  Staff sign-in:  http://$HOST:$PORT/accounts/login/  (supervision board: /staff/supervision/)
  Administration: http://$HOST:$PORT/admin/
  Demo logins (password for all: hearline-demo):
$("$BIN/hearline" demo --logins)

MSG
"$BIN/gunicorn" -c config/gunicorn.py config.wsgi:application --bind "$HOST:$PORT" --workers 2 \
  --access-logfile -
