"""Real app servers and a flaky network for the fault tests (on PostgreSQL; Redis where asked).

`AppServer` runs gunicorn on a port of its own against a given database, as a
production instance would; `Browser` is a cookie-keeping HTTP client that
does not follow redirects; `DatabaseProxy` sits between an app server and
PostgreSQL (or Redis: it relays any TCP) and can cut every connection, refuse new ones, or drop a
connection the moment a given statement goes through it.
"""

import http.client
import os
import secrets
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from tests import dom

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET_KEY = secrets.token_urlsafe(50)  # one per test run, shared by every instance, as in a deployment


def database_url(settings_dict: dict, *, host: str | None = None, port: int | None = None) -> str:
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = host or settings_dict["HOST"] or "127.0.0.1"
    port = port or settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class AppServer:
    """One app instance: gunicorn with its own worker processes, sharing only the database."""

    def __init__(
        self,
        db_url: str,
        *,
        name: str,
        workers: int = 1,
        threads: int = 4,
        timeout: int = 20,
        extra_env: dict[str, str] | None = None,
    ):
        self.name = name
        # The port is bound here and the listening socket handed to gunicorn (fd://):
        # probing for a free port and letting gunicorn bind it later would race with
        # any other server started meanwhile, such as another xdist worker's.
        listener = socket.create_server(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        ours = {
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }  # the test run's, not a server's
        env = {k: v for k, v in os.environ.items() if k not in ours}
        env |= {
            # Production settings (DEBUG off: error pages say nothing), over plain HTTP
            # on localhost; every instance shares only the database (and the secret key).
            "DJANGO_SETTINGS_MODULE": "tests.faults.production_settings",
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": db_url,
            "LOG_LEVEL": "CRITICAL",
            **(extra_env or {}),  # e.g. CACHE_URL, to share a Redis as well
        }
        self.log = open(os.devnull, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "config.wsgi",
                "--bind",
                f"fd://{listener.fileno()}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                str(timeout),
                "--graceful-timeout",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            pass_fds=[listener.fileno()],
        )
        listener.close()  # gunicorn has its own copy

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited with {self.process.returncode}"
            try:
                if Browser(self.url).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not come up on {self.url}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's master stops its workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@contextmanager
def running(*servers: "AppServer") -> Iterator[list["AppServer"]]:
    """The servers, up; stopped again afterwards, whatever the test did."""
    try:
        for server in servers:
            server.wait_until_up()
        yield list(servers)
    finally:
        for server in servers:
            server.stop()


def fail_logins(servers: list["AppServer"], login: str, times: int) -> None:
    """Sign in with a wrong password `times` times, taking turns on the servers."""
    for attempt in range(times):
        browser = Browser(servers[attempt % len(servers)].url)
        browser.get("/accounts/login/")
        response = browser.post("/accounts/login/", {"login": login, "password": "guess"})
        assert "are not correct" in response.body


def assert_logins_refused(servers: list["AppServer"], login: str, password: str) -> None:
    """The right password is refused on every server: the failures counted there too."""
    for server in servers:
        browser = Browser(server.url)
        browser.get("/accounts/login/")
        response = browser.post("/accounts/login/", {"login": login, "password": password})
        assert response.status == 200 and "Too many failed login attempts" in response.body, server.name


class Response:
    def __init__(self, status: int, headers: dict, body: str):
        self.status, self.headers, self.body = status, headers, body


class Browser:
    """Keeps cookies like a browser; never follows redirects, so tests see each 302.

    Every request carries the same Host header whichever server it goes to, as
    behind a load balancer that forwards the public host name: allauth keys its
    per-account login lockout by host, so instances must agree on it.
    """

    HOST = "localhost"  # in ALLOWED_HOSTS under development settings

    def __init__(self, base_url: str, cookies: dict | None = None):
        self.base_url = base_url
        self.cookies: dict[str, str] = cookies if cookies is not None else {}

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None, timeout=20
    ):
        host, port = self.base_url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        sent = {
            "Host": self.HOST,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                sent.setdefault("X-CSRFToken", self.cookies["csrftoken"])
            sent.setdefault("Origin", f"http://{self.HOST}")
        try:
            connection.request(method, path, body=body, headers=sent)
            reply = connection.getresponse()
            text = reply.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header, value in reply.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in {"", '""'} or "max-age=0" in value.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        return Response(reply.status, dict(reply.getheaders()), text)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        return self.request("POST", path, data, **kwargs)

    def log_in(self, email: str, password: str) -> None:
        self.get("/accounts/login/")  # the CSRF cookie
        response = self.post("/accounts/login/", {"login": email, "password": password})
        assert response.status == 302, response.body[:500]

    def pressed_status(self, page: Response, slug: str) -> str:
        """Which status button of a topic shows as pressed on a rendered page."""
        prefix = f"status-{slug}-"
        pressed = [
            button["id"].removeprefix(prefix)
            for button in dom.select(page.body, f'[id^="{prefix}"][aria-pressed="true"]')
        ]
        assert pressed, f"no status control for {slug}"
        return pressed[0]


class DatabaseProxy:
    """A TCP relay to PostgreSQL that the test can break, like a restart or a network fault."""

    def __init__(self, target=("127.0.0.1", 5432)):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        # "forward"; "refuse": accept, then hang up at once, as a restarting server does;
        # "hold": accept and never answer, as a host that vanished from the network.
        self.mode = "forward"
        self._held: list[socket.socket] = []
        self.drop_on: bytes | None = None  # cut the connection that sends these bytes, before they arrive
        self.dropped_on_pattern = threading.Event()
        self._links: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.mode == "refuse":
                _reset(client)
                continue
            if self.mode == "hold":
                self._held.append(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            link = (client, upstream)
            with self._lock:
                self._links.add(link)
            threading.Thread(target=self._relay, args=(link,), daemon=True).start()

    def _relay(self, link) -> None:
        client, upstream = link
        try:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 0.5)
                if self._closed or link not in self._links:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    if source is client and self.drop_on and self.drop_on in data:
                        self.dropped_on_pattern.set()
                        return
                    (upstream if source is client else client).sendall(data)
        except (OSError, ValueError):  # ValueError: select() on a socket cut_all() just closed
            return
        finally:
            with self._lock:
                self._links.discard(link)
            _reset(client)
            _reset(upstream)

    def cut_all(self) -> None:
        """Reset every open connection, as a crashing database server does."""
        with self._lock:
            links, self._links = list(self._links), set()
        for client, upstream in links:
            _reset(client)
            _reset(upstream)
        held, self._held = self._held, []
        for client in held:
            _reset(client)

    def close(self) -> None:
        self._closed = True
        self.cut_all()
        self.listener.close()
        self._thread.join(timeout=2)


def _reset(sock: socket.socket) -> None:
    try:
        # SO_LINGER 0: close with a reset, so the other side fails at once instead of waiting.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass
