"""Real processes for the fault tests (tests/test_faults.py, tests/test_backup.py): gunicorn
with production settings, a private Redis, a private PostgreSQL cluster, and plain HTTP
requests to them. Every process is started in its own session and stopped by its own id."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from glob import glob
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
SECRET = "a-production-secret-key-for-the-fault-tests-0123456789abcdefghijklmnopqrstuv"
CSRF = "a" * 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, seconds: float, what: str):
    """Call `check` until it returns something true; its value. Fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(OSError):
            if result := check():
                return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.1)


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stop a process started with start_new_session (its whole group), by its id."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def production_env(**extra) -> dict:
    """The environment of a production server (DJANGO_DEBUG unset, HTTP for the test), with
    the writes' limits off so a burst is not refused."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="jokesite.settings",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        RATELIMIT_ENABLE="0",
        JOKESITE_FORM_PROTECTION="0",
        JOKESITE_LAUNCH_MODE="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PAGE_CACHE_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def collect_static(directory: Path) -> None:
    """The hashed static files production serves (the manifest it needs to render a page)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(directory)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


class Gunicorn:
    """gunicorn (gunicorn.conf.py) on a free port with `env`; `base` is its URL."""

    def __init__(self, env: dict, workers: int = 1, log: Path | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)}
        self.log = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "jokesite.wsgi"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=self.log,
            stderr=self.log,
        )
        wait_for(lambda: get(f"{self.base}/healthz")[0] in (200, 503), 30, "gunicorn to start")

    def workers(self) -> list[int]:
        """The worker processes' ids (children of the master)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> None:
        stop(self.process)
        if self.log is not subprocess.DEVNULL:
            self.log.close()


def get(url: str, cookie: str = "") -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(url: str, data: dict, cookie: str) -> int:
    """A signed-in POST with the CSRF cookie and token, as a browser sends it; its status."""
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def session_cookie(user) -> str:
    """A session for `user` in the database, as a login on the servers leaves it (signed with
    their SECRET_KEY); the Cookie header value."""
    with override_settings(SECRET_KEY=SECRET):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class Redis:
    """A private redis-server on a free port, no persistence; stop() and start() again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, 10, "redis-server to answer")

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def ping(self) -> bool:
        try:
            return self.client().ping()
        except Exception:  # noqa: BLE001 - not up yet
            return False

    def keys(self) -> int:
        return self.client().dbsize()

    def stop(self) -> None:
        stop(self.process)


def postgres_bin(name: str) -> str | None:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def postgres_problem() -> str | None:
    """Why a private PostgreSQL cluster cannot be started here, or None."""
    if not (postgres_bin("initdb") and postgres_bin("pg_ctl")):
        return "initdb and pg_ctl are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the cluster as"
        if not shutil.which("runuser"):
            return "running as root and runuser is missing (PostgreSQL refuses to run as root)"
    return None


class PostgresCluster:
    """A private PostgreSQL cluster in a temporary directory on a free port (run as the
    postgres user when the tests run as root: PostgreSQL refuses root), trust auth, no fsync."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="jokesite-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.as_owner = []
        if os.geteuid() == 0:
            self.as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.directory, "postgres")
        self._run(
            postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        self.start()

    def _run(self, *command):
        result = subprocess.run(
            [*self.as_owner, *command], capture_output=True, text=True, cwd=self.directory
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off"
        )
        self._run(
            postgres_bin("pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.directory / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def database_args(settings_dict: dict) -> list[str]:
    """pg_dump / pg_restore / psql connection arguments for a Django database."""
    args = ["-h", settings_dict["HOST"] or "127.0.0.1", "-U", settings_dict["USER"] or "postgres"]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    return args


def dump_and_restore(source: dict, host: str, port: int, database: str, dump: Path) -> None:
    """pg_dump -Fc of the `source` Django database into `dump`, then createdb `database` on
    host:port and pg_restore the dump into it."""
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    subprocess.run(
        [
            postgres_bin("pg_dump"),
            "-Fc",
            "--no-owner",
            "-f",
            str(dump),
            *database_args(source),
            source["NAME"],
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    target = ["-h", host, "-p", str(port), "-U", "postgres"]
    subprocess.run([postgres_bin("createdb"), *target, database], check=True, capture_output=True)
    subprocess.run(
        [
            postgres_bin("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            *target,
            "-d",
            database,
            str(dump),
        ],
        check=True,
        capture_output=True,
    )
