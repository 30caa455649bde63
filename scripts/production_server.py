"""Backcare as production runs it, on 127.0.0.1 only: for make bench and make load.

`production_environment(tmp)` gives the settings (DEBUG off, a random secret key, a
throwaway SQLite database, file cache and static root inside `tmp`);
`prepare(env)` migrates, loads the guide and collects static files, as the Procfile's
release step does; `gunicorn(env, ...)` serves it with gunicorn.conf.py until the
`with` block ends, and stops it however the block ends.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTTPS = {"X-Forwarded-Proto": "https"}  # what the platform's proxy sends


def production_environment(tmp):
    """os.environ without any DJANGO_ or database settings of the caller's, plus production settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="backcare.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp / 'backcare.sqlite3'}",
        DJANGO_CACHE_DIR=str(tmp / "cache"),
        DJANGO_STATIC_ROOT=str(tmp / "static"),
    )
    return env


def prepare(env):
    for command in (["migrate", "--noinput"], ["load_guide"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "--verbosity=0"], cwd=ROOT, env=env, check=True)


def get(url):
    request = urllib.request.Request(url, headers=HTTPS)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env, log, workers=None):
    """Yields the base URL once /healthz answers; `log` gets gunicorn's error log."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "backcare.wsgi", "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "--error-logfile", str(log)]
    if workers:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(base, server, log)
        yield base
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_up(base, server, log):
    for _ in range(100):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped before it served a page:\n{log.read_text()}")
        try:
            if get(base + "/healthz") == 200:
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"gunicorn did not answer /healthz within 10 seconds:\n{log.read_text()}")
