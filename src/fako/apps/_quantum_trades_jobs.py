"""Part of the quantum-trades app (`quantum_trades.py`): its scheduled work, eleven CronJobs on
New York time.

Three options scanners (each with its env ConfigMap `<name>-config`), the three prequalification
stages, the post-close and pre-open exit validations, the funnel fillability check, the
trading-loop watchdog and the hourly trade-journal sync into the vault. A private part, not an
app: app discovery skips modules starting with `_`, and `add_jobs` adds the CronJobs to the
app's own construct. The images are passed in, so their literals stay in `quantum_trades.py`
and Renovate bumps the app's images in one pull request.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.apps._quantum_trades_env import MASSIVE, MODEL, NAME, NON_ROOT, ORCH, PULL, PY, QT, Env, Pair, urls
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_env, read_file
from fako.constructs.pods import env, env_from, resources, secret_key, secret_keys
from fako.patterns.cron import cronjob
from fako.tree import AppConstruct

NY = "America/New_York"
VAULT = {f"OBSIDIAN_API_{k.upper()}": secret_key("obsidian-api", f"api_{k}") for k in ("url", "key")}
SCANNERS = (  # CronJob (config `<name>.env`), schedule, cpu limit, runs kept, Discord hook in alpha-scribe-secrets
    ("options-scanner", "0 6,9,11,13,15 * * 1-5", "1000m", 10, None),
    ("options-scanner-day", "30 9,11,14 * * 1-5", "1", 5, "DISCORD_WEBHOOK_DAY_OPTIONS"),
    ("options-scanner-swing", "0 6,10,15 * * 1-5", "1", 5, "DISCORD_WEBHOOK_SWING_OPTIONS"))
PREQUAL = (  # stage, schedule, run timeout (s), activeDeadlineSeconds, backoffLimit, minimum open interest
    ("", "0 12 * * 1-5", "7200", 7500, 2, True), ("candidates", "0 8 * * 1-5", "3600", 4200, 2, False),
    ("prune", "40 9 * * 1-5", "1800", 2400, 1, True))


def add_jobs(app: AppConstruct, *, orchestrator_image: str, scanner_image: str, sync_image: str) -> None:
    """The quantum-trades CronJobs, added to `app`: the scanners run `scanner_image`, the prequalification,
    validation and watchdog tasks `orchestrator_image` (with the orchestrator's secrets), the journal
    sync `sync_image`."""

    def task(name: str, schedule: str, module: list[str], values: Env, cpu: Pair, memory: Pair, *,
             restart: str = "OnFailure", successful: int = 5, failed: int = 5, **job: Any) -> None:
        """CronJob `name`: `python -m <module>` on the orchestrator image with its secrets."""
        labels = {"app.kubernetes.io/managed-by": "flux", "app.kubernetes.io/name": name,
                  "app.kubernetes.io/part-of": NAME}
        cronjob(app, name, schedule, labels=labels, successful=successful, failed=failed, time_zone=NY,
                restart_policy=restart, image_pull_secrets=PULL, **job, containers=[k8s.Container(
                    name=name, image=orchestrator_image, image_pull_policy="Always", command=["python", "-m", *module],
                    env=env(values), env_from=env_from(ORCH), resources=resources(cpu=cpu, memory=memory),
                    security_context=NON_ROOT)])

    for name, schedule, cpu, kept, hook in SCANNERS:
        config = ConfigMapSpec(name=f"{name}-config", data=read_env(__file__, f"{name}.env"))
        ConfigMap(app, f"{name}-config", config)
        hooked = secret_keys("alpha-scribe-secrets", hook) if hook else urls("signals")
        values: Env = {**MASSIVE, **VAULT, **hooked, **secret_keys(QT, "OLLAMA_API_KEY"), **MODEL}
        cronjob(app, name, schedule, successful=kept, failed=5, time_zone=NY, suspend=False if hook else None,
                restart_policy="OnFailure", image_pull_secrets=PULL, containers=[k8s.Container(
                    name="scanner", image=scanner_image, image_pull_policy="Always",
                    env=env(values), resources=resources(cpu=("200m", cpu), memory=("512Mi", "1Gi")),
                    env_from=env_from(*(["alpha-scribe-secrets"] if hook else []), config_maps=[config.name]))])
    for stage, schedule, timeout, deadline, backoff, oi in PREQUAL:
        prequal: Env = {**MASSIVE, **urls("signals"), **PY, "PREQUAL_RUN_TIMEOUT_SECONDS": timeout,
                        "PREQUAL_MIN_UNIVERSE": "10", **({"PREQUAL_MIN_OPTION_OI": "250"} if oi else {})}
        task(f"prequalification-{stage}" if stage else "prequalification", schedule,
             ["prequalification", *(["--stage", stage] if stage else [])], prequal, ("100m", "1"), ("256Mi", "512Mi"),
             restart="Never", successful=10, starting_deadline=600, active_deadline=deadline, backoff_limit=backoff)
    for mode, schedule in (("post_close", "30 16 * * 1-5"), ("pre_open", "30 8 * * 1-5")):
        task(f"exit-validation-{mode.replace('_', '')}", schedule, ["validation.run", "--mode", mode], PY,
             ("100m", "1000m"), ("256Mi", "768Mi"), active_deadline=1800, backoff_limit=0)
    task("funnel-fillability-check", "50 10 * * 1-5", ["prequalification.fillability_check"], PY,
         ("50m", "500m"), ("128Mi", "256Mi"), active_deadline=600, backoff_limit=0)
    task("trading-loop-watchdog", "*/5 8-16 * * 1-5", ["validation.watchdog"],
         {"TRADING_STATUS_URL": "http://orchestrator-qt:8006/trading/status", **PY}, ("20m", "200m"),
         ("64Mi", "192Mi"), restart="Never", successful=1, failed=3, ttl=900, starting_deadline=120,
         active_deadline=120, backoff_limit=0)
    cronjob(app, "trade-journal-sync", "0 * * * *", successful=5, failed=3, ttl=3600, time_zone=NY,
            restart_policy="OnFailure", image_pull_secrets=PULL, containers=[k8s.Container(
                name="sync", image=sync_image, command=["/bin/sh", "-c", read_file(__file__, "sync.sh")],
                resources=resources(cpu=("10m", "100m"), memory=("32Mi", "64Mi")))])
