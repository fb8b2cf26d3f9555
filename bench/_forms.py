"""HTTP clients for the side-by-side benchmark: forms with Django's CSRF token, signed-in
page timings. Plain http.client on keep-alive connections, no browser."""

from __future__ import annotations

import http.client
import random
import re
import statistics
import threading
import time
import uuid
from urllib.parse import urlencode

from _common import percentile

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def hearline_portal_fields() -> dict:
    """One citizen's complaint on Hearline's public form (/submit/), each from another phone
    number and with its own duplicate-submission token."""
    return {
        "token": uuid.uuid4().hex,
        "description": "小区停水，从早上七点到现在没有水，也没有任何通知。",
        "address": "海曙区中山西路1号",
        "district": "海曙区",
        "request": "尽快恢复供水",
        "name": "陈先生",
        "phone": f"136{random.randrange(10**8):08d}",
        "preferred_channel": "sms",
    }


def _request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body, headers or {})
    response = conn.getresponse()
    return response.status, response.read(), response


def _cookies(response) -> dict:
    jar = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def _form_session(port: int, path: str, jar: dict | None = None):
    """A connection with the form's CSRF cookie and token (and any session in `jar`)."""
    jar = dict(jar or {})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, body, response = _request(conn, "GET", path, headers={"Cookie": cookie})
    assert status == 200, (path, status)
    jar |= _cookies(response)
    return conn, jar, TOKEN.search(body.decode()).group(1)


def submit_round(product, total: int, clients: int) -> dict:
    """`total` submissions of the public form from `clients` threads; `product` names the
    server's `port`, the `form_path` and the `fields` of each submission."""
    latencies, failures, lock = [], [], threading.Lock()

    def client(count: int) -> None:
        conn, jar, token = _form_session(product.port, product.form_path)
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        mine = []
        for _ in range(count):
            body = urlencode(product.fields() | {"csrfmiddlewaretoken": token})
            t0 = time.perf_counter()
            status, _body, _response = _request(conn, "POST", product.form_path, body, headers)
            mine.append(time.perf_counter() - t0)
            if status != 302:
                failures.append(status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(total // clients,)) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "failed": len(failures),
    }


def sign_in(product) -> dict:
    """The session cookies of `product.user` signed in through its own sign-in form."""
    conn, jar, token = _form_session(product.port, product.login_path)
    body = urlencode(
        {"username": product.user, "password": product.password, "csrfmiddlewaretoken": token}
    )
    headers = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    status, _body, response = _request(conn, "POST", product.login_path, body, headers)
    assert status == 302, (product.name, "sign-in", status)
    return jar | _cookies(response)


def time_page(port: int, path: str, jar: dict) -> float:
    """Seconds for one signed-in GET of `path` (must answer 200)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    t0 = time.perf_counter()
    status, _body, _response = _request(conn, "GET", path, headers={"Cookie": cookie})
    took = time.perf_counter() - t0
    conn.close()
    assert status == 200, (path, status)
    return took


def summarise_times(values: list[float]) -> dict:
    """Median and maximum of page timings, in milliseconds."""
    return {
        "median_ms": round(statistics.median(values) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }
