"""Gunicorn settings for every way Hearline is served (`make run`, the browser tests, the
benchmarks): `gunicorn -c config/gunicorn.py config.wsgi:application`.

The access log keeps the path without its query string, and no referrer: a query string
can carry a phone number typed into a search or a look-up, and logs must never hold
complainant data."""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
