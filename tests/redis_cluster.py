"""A throwaway 3-master Redis Cluster on loopback ports, for the store/dialogue/intake tests.

``RedisCluster(tmp_dir).start()`` starts three ``redis-server --cluster-enabled yes``
processes on free ports in 7100-7199 (their bus ports, +10000, free too), joins them with
``redis-cli --cluster create`` (no replicas) and waits until every slot is served.
``RECBOT_TEST_CLUSTER_PORTS`` narrows the range (``7100-7199`` by default).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

from tests.redis_server import redis_server_binary

START_TIMEOUT_S = 20.0
MASTERS = 3


def _port_free(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_ports(count: int) -> list[int]:
    low, high = (int(p) for p in os.environ.get("RECBOT_TEST_CLUSTER_PORTS", "7100-7199").split("-"))
    ports = [p for p in range(low, high + 1) if _port_free(p) and _port_free(p + 10000)]
    if len(ports) < count:
        raise RuntimeError(f"fewer than {count} free ports in {low}-{high} (and their +10000 bus ports)")
    return ports[:count]


def cluster_tools() -> bool:
    """Whether a cluster can be started here (redis-server and redis-cli on PATH)."""
    return redis_server_binary() is not None and shutil.which("redis-cli") is not None


class RedisClusterProcesses:
    """Three cluster-enabled redis-servers joined into one cluster; ``stop`` kills them."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.ports: list[int] = []
        self._procs: list[subprocess.Popen[bytes]] = []

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.ports[0]}/0"

    def start(self) -> None:
        binary = redis_server_binary()
        assert binary is not None
        self.ports = _free_ports(MASTERS)
        for port in self.ports:
            node_dir = self.data_dir / str(port)
            node_dir.mkdir(parents=True, exist_ok=True)
            args = [
                binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(node_dir),
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000", "--appendonly", "yes", "--save", "",
                "--logfile", str(node_dir / "redis.log"),
            ]  # fmt: skip
            self._procs.append(subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in self.ports:
            self._wait(lambda c: c.ping(), port)
        subprocess.run(
            ["redis-cli", "--cluster", "create", *[f"127.0.0.1:{p}" for p in self.ports],
             "--cluster-replicas", "0", "--cluster-yes"],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        for port in self.ports:
            self._wait(lambda c: b"cluster_state:ok" in c.execute_command("CLUSTER", "INFO", NEVER_DECODE=True), port)

    def _wait(self, ready, port: int) -> None:
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
        deadline = time.monotonic() + START_TIMEOUT_S
        try:
            while True:
                with contextlib.suppress(redis.RedisError):
                    if ready(client):
                        return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cluster node on port {port} not ready")
                time.sleep(0.05)
        finally:
            client.close()

    def flush(self) -> None:
        for port in self.ports:
            client = redis.Redis(host="127.0.0.1", port=port)
            try:
                client.flushall()
            finally:
                client.close()

    def stop(self) -> None:
        for proc in self._procs:
            proc.kill()
        for proc in self._procs:
            proc.wait(timeout=10)
        self._procs = []
