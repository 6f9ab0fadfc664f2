"""The production profile (config/settings_production.py, make serve): deploy checks clean, PostgreSQL
required, HTTPS enforced behind TLS, and the read replica configured from DATABASE_REPLICA_URL."""

import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings_production",
    "SECRET_KEY": "a-production-secret-key-of-fifty-characters-or-more-xx-0123456789",
    "DATABASE_URL": "postgres://chorus@127.0.0.1:5432/chorus",
    "ALLOWED_HOSTS": "consult.example.gov.uk",
}


# The test run's own settings must not leak in (the browser tests allow async-unsafe calls for
# Playwright): only the variables a deployment would set.
NOT_DEPLOYED = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def deployed_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in NOT_DEPLOYED}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = deployed_environment()
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def settings_value(expression: str, **env: str) -> str:
    result = manage("shell", "-c", f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_sqlite_unless_told(tmp_path):
    result = manage("check", **{**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    assert result.returncode != 0
    assert "The production profile needs PostgreSQL" in result.stderr
    sqlite = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    allowed = manage("check", **sqlite, ALLOW_SQLITE="true")
    assert allowed.returncode == 0, allowed.stderr


def test_production_has_debug_off_even_if_the_environment_says_otherwise():
    assert settings_value("settings.DEBUG", **PRODUCTION, DEBUG="true") == "False"


def test_behind_tls_https_is_enforced_and_cookies_are_secure():
    values = settings_value(
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_PROXY_SSL_HEADER, settings.TASKS['default']['BACKEND']",
        **PRODUCTION,
    )
    assert values == ("True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https') django_tasks_db.DatabaseBackend")


def test_a_read_replica_is_configured_from_database_replica_url():
    replica = "postgres://reader@replica.internal:5432/chorus"
    value = settings_value(
        "settings.DATABASES['replica']['HOST'], settings.DATABASES['replica']['USER']",
        **PRODUCTION,
        DATABASE_REPLICA_URL=replica,
    )
    assert value == "replica.internal reader"
    assert settings_value("'replica' in settings.DATABASES", **PRODUCTION) == "False"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _SMTPSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to take one message, as the council's mail server would."""

    received: list[str] = []

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 sink\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go on\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data.decode())
                self.received.append("".join(lines))
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_bin_serve_runs_gunicorn_and_the_worker_and_sends_email(tmp_path):
    """make serve's script, end to end: migrate, collect static files, gunicorn and the task worker; a
    password-reset request is answered and its email reaches the mail server."""
    port = _free_port()
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPSink)
    threading.Thread(target=smtp.serve_forever, daemon=True).start()
    env = {
        **deployed_environment(),
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "ALLOW_SQLITE": "true",
        "BEHIND_TLS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SERVE_ADDRESS": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.server_address[1]}",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(ROOT / "bin" / "serve")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        # Migrating a new database and collecting static files takes 30-40 s on a quiet two-core machine;
        # the suite's own load can triple it (a CI run under load took over 2 minutes).
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as home:
                    break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "make serve did not answer within 5 minutes"
                time.sleep(0.5)
        assert home.status == 200
        assert "script-src 'self'" in home.headers["Content-Security-Policy"]
        with urllib.request.urlopen(base + "/static/css/chorus.css", timeout=5) as css:  # whitenoise
            assert css.status == 200 and "max-age" in css.headers["Cache-Control"]
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.contrib.auth.models import User; "
                "User.objects.create_user('officer', 'officer@example.gov.uk', 'a-long-test-password', is_staff=True)",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings_production"},
            check=True,
            capture_output=True,
        )
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(base + "/accounts/password_reset/", timeout=5) as response:
            form = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": "officer@example.gov.uk"}).encode()
        with opener.open(urllib.request.Request(base + "/accounts/password_reset/", data=body), timeout=10) as done:
            assert "Check your email" in done.read().decode()
        deadline = time.monotonic() + 30
        while not _SMTPSink.received:
            assert time.monotonic() < deadline, "no email reached the mail server within 30 seconds"
            time.sleep(0.5)
        message = _SMTPSink.received[0]
        assert "officer@example.gov.uk" in message and "/accounts/reset/" in message
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        smtp.shutdown()
        smtp.server_close()
