"""Twenty clients that send their request headers a byte at a time (slowloris) while other
people use the site: gunicorn as configured in config/gunicorn.py (what `make run` and
these tests serve with) keeps answering the others while the twenty hang."""

import socket
import threading

import pytest

pytestmark = pytest.mark.sqlite_only

SLOW_CLIENTS = 20
ANSWER_WITHIN = 20  # seconds: generous, the point is being answered at all
TRICKLE_FOR = 120  # ticks of half a second at most: the slow clients stop by themselves


def _trickle(sockets: list[socket.socket], stop: threading.Event) -> None:
    """One more header byte on every slow connection each half second, until `stop`."""
    for _tick in range(TRICKLE_FOR):
        if stop.wait(0.5):
            return
        for conn in sockets:
            try:
                conn.sendall(b"a")
            except OSError:
                pass


def _still_hanging(conn: socket.socket) -> bool:
    """True while the server has neither answered nor closed this connection."""
    conn.setblocking(False)
    try:
        conn.recv(1)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def test_requests_are_answered_while_slow_clients_trickle_headers(served):
    sockets = []
    stop = threading.Event()
    trickler = threading.Thread(target=_trickle, args=(sockets, stop))
    try:
        for _ in range(SLOW_CLIENTS):
            conn = socket.create_connection(("127.0.0.1", served.port), timeout=5)
            conn.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(conn)
        trickler.start()
        for _ in range(5):
            assert served.get("/accounts/login/", timeout=ANSWER_WITHIN)[0] == 200
        assert all(_still_hanging(conn) for conn in sockets)
    finally:
        stop.set()
        if trickler.is_alive():
            trickler.join()
        for conn in sockets:
            conn.close()
