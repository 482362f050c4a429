"""`lotsen run-scaled`: several Rasa replicas and action servers behind nginx, on real PostgreSQL and Redis.

What runs (all supervised by `bot.runner.Stack`: a process that dies is restarted, Ctrl-C stops all):

- PostgreSQL (tracker store) and Redis (conversation locks), started from Debian's binaries with their
  data under SCALE_DIR, unless POSTGRES_HOST / REDIS_HOST point at shared servers;
- N Rasa replicas (`endpoints.scale.yml`) and M action servers on private loopback ports;
- nginx on the public ports of `make run`: the REST channel on RASA_PORT (balanced over the replicas),
  the widget page on WIDGET_PORT, and the action endpoint on 127.0.0.1:ACTION_PORT (balanced over the
  action servers). A request that fails on one replica (it died, or is restarting) is sent to the next.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import glob
import hashlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import sqlalchemy as sa

from bot import privacy
from bot.runner import BIN, Stack, free_port, serve
from bot.settings import ROOT, Settings, get_settings

# Processes that hold the data: started first, stopped last.
DATA = ("postgres", "redis")
# How long nginx keeps a replica that refused a connection out of rotation. Rasa takes ~15 s to load
# after a restart; retrying it every 2 s costs one refused connection (a few µs) per try.
FAIL_TIMEOUT_S = 2
NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    # The REST channel answers too large bodies itself (413 with a JSON error, issue 12).
    client_max_body_size 20m;
    client_body_buffer_size 128k;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_read_timeout 120s;
    # A message is sent to the next replica when its replica is down or dies while answering. POST is
    # "non-idempotent" to nginx; a message whose replica died before saving it was not processed
    # (bot.outage), so sending it again is what the user's retry would do.
    proxy_next_upstream error timeout http_502 http_503 non_idempotent;
    proxy_next_upstream_timeout 60s;
    upstream rasa {{
{rasa}        keepalive 32;
    }}
    # socket.io (rasa-webchat) keeps its session in one Rasa process: a client must stay on its replica.
    upstream rasa_sticky {{
{rasa}        hash $remote_addr consistent;
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" "";
    }}
    upstream actions {{
{actions}        keepalive 16;
    }}
    upstream widget {{
        server 127.0.0.1:{widget};
    }}
    server {{
        listen {rasa_port};
        location / {{ proxy_pass http://rasa; }}
        location /socket.io/ {{
            proxy_pass http://rasa_sticky;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
        }}
    }}
    server {{
        listen {action_host}:{action_port};
        location / {{ proxy_pass http://actions; }}
    }}
    server {{
        listen {widget_port};
        location / {{ proxy_pass http://widget; }}
    }}
}}
"""


class ScaleError(RuntimeError):
    """A server of the scaled mode is missing or could not be prepared."""


def debian_binary(name: str) -> str:
    """Path of a Debian server binary (PostgreSQL's live in /usr/lib/postgresql/<version>/bin)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None and name in ("postgres", "initdb"):
        versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
        found = versions[-1] if versions else None
    if found is None:
        raise ScaleError(f"{name} is not installed (run `make scale-servers`, or apt-get install it)")
    return found


def as_postgres_user() -> list[str]:
    """Command prefix that runs PostgreSQL as the `postgres` user when we are root (it refuses root)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


def reachable_by_postgres(folder: Path) -> bool:
    """Whether the `postgres` user may enter `folder` (every folder above it must let it through)."""
    folder.mkdir(parents=True, exist_ok=True)
    check = subprocess.run([*as_postgres_user(), "test", "-x", str(folder)], check=False)
    return check.returncode == 0


@dataclass
class ScaledStack(Stack):
    """PostgreSQL, Redis, N Rasa replicas, M action servers, the widget server and nginx in front."""

    replicas: int = 2
    action_servers: int = 1
    rasa_ports: list[int] = field(default_factory=list)
    action_ports: list[int] = field(default_factory=list)
    widget_port: int = 0

    def __post_init__(self) -> None:
        self.rasa_ports = self.rasa_ports or [free_port() for _ in range(self.replicas)]
        self.action_ports = self.action_ports or [free_port() for _ in range(self.action_servers)]
        self.widget_port = self.widget_port or free_port()

    @property
    def dir(self) -> Path:
        return self.settings.scale_dir

    @cached_property
    def pg_data(self) -> Path:
        """PostgreSQL's data directory: SCALE_DIR/postgres, or when the `postgres` user (we are root)
        cannot reach SCALE_DIR (a clone under /root), one of its own under its home directory."""
        data = self.dir / "postgres"
        if not as_postgres_user() or reachable_by_postgres(self.dir):
            return data
        digest = hashlib.sha1(str(self.dir.resolve()).encode()).hexdigest()[:12]
        return Path(pwd.getpwnam("postgres").pw_dir) / "lotsen" / digest

    @property
    def local_postgres(self) -> bool:
        return not self.settings.postgres_host

    @property
    def local_redis(self) -> bool:
        return not self.settings.redis_host

    def commands(self) -> dict[str, list[str]]:
        """The command line of each process, by name (`rasa-1`, `actions-1`, …)."""
        s = self.settings
        cmds: dict[str, list[str]] = {}
        if self.local_postgres:
            cmds["postgres"] = [
                *as_postgres_user(), debian_binary("postgres"), "-D", str(self.pg_data),
                "-p", str(s.postgres_port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=", "-c", "max_connections=200",
            ]  # fmt: skip
        if self.local_redis:
            cmds["redis"] = [
                debian_binary("redis-server"), "--bind", "127.0.0.1", "--port", str(s.redis_port),
                "--save", "", "--appendonly", "no", "--dir", str(self.dir / "redis"), "--logfile", "",
            ]  # fmt: skip
        for i, port in enumerate(self.action_ports, 1):
            cmds[f"actions-{i}"] = [
                str(BIN / "python"), "-m", "bot.actionserver", "--actions", "bot.actions",
                "--host", "127.0.0.1", "--port", str(port), "--model", str(s.model_path),
            ]  # fmt: skip
        for i, port in enumerate(self.rasa_ports, 1):
            cmds[f"rasa-{i}"] = [
                str(BIN / "rasa"), "run", "--model", str(s.model_path), "--interface", "127.0.0.1",
                "--endpoints", str(ROOT / "endpoints.scale.yml"),
                "--credentials", str(ROOT / "credentials.yml"), "--port", str(port),
                "--cors", *s.cors_origins.split(),
            ]  # fmt: skip
        if self.with_widget:
            cmds["widget"] = [str(BIN / "lotsen"), "widget", "--port", str(self.widget_port)]
        if self.rasa_ports:
            cmds["nginx"] = [
                debian_binary("nginx"),
                "-c",
                str(self.dir / "nginx" / "nginx.conf"),
                "-e",
                "stderr",
            ]
        if self.with_telegram and s.telegram_bot_token:
            cmds["telegram"] = [str(BIN / "lotsen"), "telegram"]
        return cmds

    def env(self, name: str) -> dict[str, str]:
        """The runner's environment (it has POSTGRES_* and REDIS_*) with the scaled endpoints."""
        env = super().env(name)
        env.update(
            RASA_ENDPOINTS=str(ROOT / "endpoints.scale.yml"),
            ACTION_URL=f"http://127.0.0.1:{self.settings.action_port}/webhook",
        )
        return env

    def tracker_url(self, user: str | None = None, database: str | None = None) -> sa.engine.URL:
        """SQLAlchemy URL of the tracker database (or, with `user`, of another database as that user)."""
        s = self.settings
        return sa.engine.URL.create(
            "postgresql",
            username=user or s.postgres_user,
            password=None if user else s.postgres_password,
            host=s.postgres_host or "127.0.0.1",
            port=s.postgres_port,
            database=database or s.postgres_db,
        )

    def start(self) -> None:
        """Prepare and start PostgreSQL and Redis, create the database, then start everything else."""
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.local_postgres:
            self.init_postgres()
            self.stop_leftover_postgres()
        if self.local_redis:
            (self.dir / "redis").mkdir(exist_ok=True)
        self.write_nginx_conf()
        self.stop_leftover_nginx()
        for name in DATA:
            if name in self.commands():
                self.start_one(name)
        self.wait_for_data()
        if self.local_postgres:
            self.create_database()
        self.purge()
        for name in self.commands():
            if name not in DATA:
                self.start_one(name)

    def init_postgres(self) -> None:
        """Create the database cluster under SCALE_DIR once (trust auth: it listens on loopback only)."""
        data = self.pg_data
        if (data / "PG_VERSION").exists():
            return
        data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for folder in (data.parent, data) if data.parent != self.dir else (data,):
                os.chown(folder, user.pw_uid, user.pw_gid)
        subprocess.run(
            [*as_postgres_user(), debian_binary("initdb"), "-D", str(data), "-U", "postgres",
             "--auth=trust", "-E", "UTF8", "--locale=C"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop_leftover_postgres(self, timeout: float = 30.0) -> None:
        """Stop a PostgreSQL left running on our data by a runner that was killed.

        It runs as another user, so the kernel does not kill it with the runner (PR_SET_PDEATHSIG is
        cleared when a process changes its user), and it would keep the data directory locked.
        """
        try:
            pid = int((self.pg_data / "postmaster.pid").read_text().split()[0])
            if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
                return
            os.kill(pid, signal.SIGINT)  # fast shutdown
        except (OSError, ValueError, IndexError):
            return
        deadline = time.monotonic() + timeout
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop_leftover_nginx(self) -> None:
        """Kill nginx workers left by a killed runner: they would keep the public ports."""
        try:
            group = int((self.dir / "nginx" / "nginx.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError, ProcessLookupError):
                comm, rest = stat.read_text().split(") ", 1)
                if comm.endswith("(nginx") and int(rest.split()[2]) == group:
                    os.kill(int(stat.parent.name), signal.SIGKILL)

    def wait_for_data(self, timeout: float = 60.0) -> None:
        """Wait until PostgreSQL and Redis accept connections."""
        import redis  # type: ignore[import-untyped]

        s = self.settings
        deadline = time.monotonic() + timeout
        engine = sa.create_engine(
            self.tracker_url("postgres", "postgres") if self.local_postgres else self.tracker_url()
        )
        try:
            while True:
                for name in DATA:
                    proc = self.procs.get(name)
                    if proc is not None and proc.poll() is not None:
                        raise ScaleError(f"{name} exited with code {proc.returncode} during start-up")
                try:
                    with engine.connect():
                        pass
                    redis.Redis(host=s.redis_host or "127.0.0.1", port=s.redis_port, socket_timeout=2).ping()
                    return
                except (sa.exc.OperationalError, redis.exceptions.ConnectionError) as exc:
                    if time.monotonic() > deadline:
                        raise ScaleError(
                            f"PostgreSQL or Redis did not answer within {timeout:.0f} s: {exc}"
                        ) from exc
                    time.sleep(0.2)
        finally:
            engine.dispose()

    def create_database(self) -> None:
        """Create the tracker store's user and database in the local PostgreSQL when missing."""
        s = self.settings
        engine = sa.create_engine(self.tracker_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                if not conn.execute(
                    sa.text("SELECT 1 FROM pg_roles WHERE rolname = :u"), {"u": s.postgres_user}
                ).first():
                    conn.execute(
                        sa.text(f'CREATE ROLE "{s.postgres_user}" LOGIN PASSWORD :p'),
                        {"p": s.postgres_password},
                    )
                if not conn.execute(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": s.postgres_db}
                ).first():
                    conn.execute(sa.text(f'CREATE DATABASE "{s.postgres_db}" OWNER "{s.postgres_user}"'))
        finally:
            engine.dispose()

    def write_nginx_conf(self) -> None:
        """nginx.conf for the current ports (regenerated at every start)."""
        s = self.settings
        conf = self.dir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (conf / "tmp" / sub).mkdir(parents=True, exist_ok=True)

        def servers(ports: list[int]) -> str:
            return "".join(
                f"        server 127.0.0.1:{port} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;\n"
                for port in ports
            )

        action_host = "127.0.0.1" if s.action_host in ("", "0.0.0.0") else s.action_host
        (conf / "nginx.conf").write_text(
            NGINX_CONF.format(
                dir=conf, rasa=servers(self.rasa_ports), actions=servers(self.action_ports),
                widget=self.widget_port, rasa_port=s.rasa_port, action_host=action_host,
                action_port=s.action_port, widget_port=s.widget_port,
            )
        )  # fmt: skip

    def purge(self) -> None:
        """Apply RETENTION_DAYS to the PostgreSQL tracker store (logs and carries on on failure)."""
        try:
            privacy.purge(self.tracker_url(), self.settings.retention_days)
        except Exception as exc:  # noqa: BLE001 - retention must never stop the assistant
            print(f"retention: not applied: {exc}", file=sys.stderr)

    def wait_ready(self, timeout: float = 300.0, stopping: threading.Event | None = None) -> float:
        """Wait until every replica, action server and nginx answer; return the seconds it took."""
        started = time.monotonic()
        s = self.settings
        health = [f"http://127.0.0.1:{port}/webhooks/rest/" for port in self.rasa_ports]
        health += [f"http://127.0.0.1:{port}/health" for port in self.action_ports]
        health += [
            f"http://127.0.0.1:{s.rasa_port}/webhooks/rest/",
            f"http://127.0.0.1:{s.action_port}/health",
        ]
        return self.wait_for(health, started, timeout, stopping, "the replicas")

    def stop(self, grace: float = 10.0) -> None:
        """Stop nginx, the replicas and the rest, then Redis and PostgreSQL (fast shutdown)."""
        data = {name: self.procs.pop(name) for name in DATA if name in self.procs}
        super().stop(grace)
        for name, proc in data.items():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    # SIGINT is PostgreSQL's fast shutdown (SIGTERM waits for clients to leave).
                    os.killpg(proc.pid, signal.SIGINT if name == "postgres" else signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def run_scaled(args: argparse.Namespace) -> int:
    """Run the scaled mode in the foreground until Ctrl-C or SIGTERM."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings: Settings = get_settings()
    for path, fix in ((settings.model_path, "make train"), (settings.knowledge_db, "make kb")):
        if not path.exists():
            print(f"error: {path} is missing (run `{fix}`)", file=sys.stderr)
            return 1
    try:
        stack = ScaledStack(settings, replicas=args.replicas, action_servers=args.action_servers)
        stack.commands()  # fails early when a server binary is missing
    except ScaleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    postgres = settings.postgres_host or f"own ({settings.scale_dir})"
    print(
        f"{args.replicas} Rasa replica(s), {args.action_servers} action server(s) behind nginx; "
        f"PostgreSQL {postgres} port {settings.postgres_port}, "
        f"Redis {settings.redis_host or 'own'} port {settings.redis_port}",
        flush=True,
    )
    return serve(stack, dataclasses.replace(settings))


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen run-scaled`."""
    parser = sub.add_parser(
        "run-scaled",
        help="start N Rasa replicas and M action servers behind nginx, on PostgreSQL and Redis",
        description="Scaled mode on one machine, in the foreground: PostgreSQL, Redis, the replicas, "
        "nginx on the usual ports. Ctrl-C stops all.",
        epilog="Example: lotsen run-scaled --replicas 2 --action-servers 2",
    )
    parser.add_argument("--replicas", type=int, default=2, help="Rasa servers (default 2)")
    parser.add_argument("--action-servers", type=int, default=1, help="action servers (default 1)")
    parser.set_defaults(func=run_scaled)
