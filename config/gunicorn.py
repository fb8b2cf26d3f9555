"""Gunicorn settings for every way Hearline is served (`make run`, the browser tests, the
benchmarks): `gunicorn -c config/gunicorn.py config.wsgi:application`.

Workers answer with threads: a client that sends its request slowly (headers a byte at a
time) holds one thread, not a whole worker, so a few slow or hostile clients cannot keep
everyone else waiting. Each worker has more threads than a slowloris of twenty connections
can take up even if all of them land on one worker. Past that, production puts a buffering
front end before gunicorn (docs/operations.md).

The access log keeps the path without its query string, and no referrer: a query string
can carry a phone number typed into a search or a look-up, and logs must never hold
complainant data."""

worker_class = "gthread"
threads = 32

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
