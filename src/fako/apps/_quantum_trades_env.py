"""Part of the quantum-trades app (`quantum_trades.py`): the names, Service URLs, security
contexts, agent config files and the env and secret tables its services and CronJobs share.

A private part, not an app: app discovery skips modules starting with `_`. It holds no image;
the app's images stay in `quantum_trades.py`, so Renovate bumps them in one pull request.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import config_keys, pull_secrets, secret_key, secret_keys
from fako.patterns.shared_secrets import OPENAI_API_KEY, PG_HOST

NAME, HOST = "quantum-trades", "quantum.landryzetam.net"
QT, ORCH, PULL = "quantum-trades-secrets", "orchestrator-qt-secrets", pull_secrets("dockerhub-registry")
PORTS = {"backend": 8000, "technicals": 8001, "signals": 8002, "strategies": 8003, "backtesting": 8004, "trading": 8005}
URL = {c: f"http://{c}-service:{p}" for c, p in PORTS.items()}
Env = dict[str, str | k8s.EnvVarSource]
Pair = tuple[str, str]  # (request, limit)


def urls(*components: str) -> dict[str, str]:
    """`<COMPONENT>_SERVICE_URL` env entries, to the components' Services."""
    return {f"{c.upper()}_SERVICE_URL": URL[c] for c in components}


REPLAY = {"MARKET_REPLAY_URL": "http://market-replay-gateway.market-replay.svc.cluster.local:8000"}
NON_ROOT = k8s.SecurityContext(allow_privilege_escalation=False, run_as_non_root=True, run_as_user=1000)
NO_CAPS = NON_ROOT.model_copy(update={"capabilities": k8s.Capabilities(drop=["ALL"])})
PY: Env = {"PYTHONUNBUFFERED": "1"}
MODEL, MASSIVE = {"OLLAMA_MODEL": "glm-5.2"}, secret_keys(QT, "MASSIVE_API_KEY")
OLLAMA = {"OLLAMA_BASE_URL": "https://ollama.com", **MODEL}
LLM_KEYS = secret_keys(QT, "OPENAI_API_KEY", "GOOGLE_API_KEY")
FALLBACK = {"LLM_FALLBACK_ENABLED": "true", "LLM_FALLBACK_CACHE_TTL_SECONDS": "300"}
CONFIG = {**urls("backtesting"), "CORS_ORIGINS": f'["https://{HOST}"]', **REPLAY, "RATE_LIMIT_CALLS_PER_MINUTE": "1000",
          **urls("signals", "strategies", "technicals", "trading")}
BACKEND_ENV: Env = {
    **secret_keys(QT, "MASSIVE_API_KEY", "OLLAMA_API_KEY"), **MODEL,
    **config_keys("quantum-trades-config", "CORS_ORIGINS", "RATE_LIMIT_CALLS_PER_MINUTE"), "HOST": "0.0.0.0",
    "PORT": "8000", **config_keys("quantum-trades-config", *urls("technicals", "signals", "strategies", "backtesting",
                                                                 "trading"), *REPLAY),
    "SCAN_RESULTS_PATH": "/app/scan_results", "SUPABASE_URL": secret_key(QT, "NEXT_PUBLIC_SUPABASE_URL"),
    **secret_keys(QT, "SUPABASE_JWT_SECRET"), **secret_keys(ORCH, "AGENTS_API_KEY")}
FRONTEND_ENV: Env = {"NODE_ENV": "production", "INTERNAL_API_URL": URL["backend"],
                     **secret_keys(QT, "NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY")}
SIGNALS_ENV: Env = {**secret_keys(QT, "MASSIVE_API_KEY", "OLLAMA_API_KEY"), **OLLAMA, **LLM_KEYS,
                    "LLM_PROVIDER_ORDER": "ollama", **FALLBACK}
TRADIER = ("TRADIER_API_KEY", "TRADIER_ACCOUNT_ID", "TRADIER_SANDBOX_API_KEY", "TRADIER_SANDBOX_ACCOUNT_ID")
TRADING_ENV: Env = {
    "DB_HOST": "postgres-cluster-rw.postgres", "DB_PORT": "5432", "DB_NAME": "trading", "DB_USER": "trading",
    "DB_PASSWORD": secret_key(QT, "TRADING_DB_PASSWORD"), **secret_keys(QT, *TRADIER), "TRADIER_PAPER_TRADING": "true",
    "ENABLE_LIVE_TRADING": "false", "HOST": "0.0.0.0", "PORT": "8005",
    **{f"OBSIDIAN_API_{k.upper()}": secret_key("obsidian-api", f"api_{k}", optional=True) for k in ("url", "key")},
    "OBSIDIAN_JOURNAL_FOLDER": "trading/Journal"}
ORCHESTRATOR_ENV: Env = {
    **PY, "MAX_DAILY_LOSS_PCT": "0.10", "MAX_WEEKLY_LOSS_DOLLARS": "18800", "HOST": "0.0.0.0", "PORT": "8006",
    **urls("technicals", "signals", "trading", "backend"), "AGENT_MODEL_ID": "claude-sonnet-4-5-20250929",
    "AUTONOMOUS_LOOP_ENABLED": "true", "TRADING_MODE": "paper", "MIN_OPEN_INTEREST_OVERRIDE": "0", "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "json", **secret_keys(QT, "TRADING_DB_PASSWORD"),
    "DATABASE_URL": f"postgresql://trading:$(TRADING_DB_PASSWORD)@{PG_HOST}:5432/trading", **REPLAY,
    "REDIS_URL": "redis://agent-redis:6379", "LLM_PROVIDER_ORDER": "ollama", **OLLAMA, **FALLBACK, **LLM_KEYS}
MARKET_DATA_ENV: Env = {"HOST": "0.0.0.0", "PORT": "8007", **urls("technicals", "signals"),
                        "AGENTS_SERVICE_URL": "http://agents:8006", "LOG_LEVEL": "INFO"}
AGENT_CONFIGS = tuple(f"{n}.json" for n in (  # orchestrator-qt-config, mounted at /app/config in this order
    "pre_research_config", "research_config", "executor_config", "risk_config", "exit_config", "learning_config",
    "decision_review_config", "meta_learner_config", "validation_config", "governance_config", "strategy_params",
    "risk_limits", "watchlist", "llm_fallback_config"))
ITEMS = [k8s.KeyToPath(key=f, path=f) for f in AGENT_CONFIGS]  # the orchestrator mounts all, signals the last
OLLAMA_CLOUD = "ollama-webui/ollama-cloud-api-key#api_key"
ORCHESTRATOR_SECRETS = {  # orchestrator-qt-secrets, read whole by the orchestrator and its CronJobs
    "OLLAMA_API_KEY": OLLAMA_CLOUD,
    **{k: f"quantum-trades/api-keys#{k}" for k in ("OPENAI_API_KEY", "GOOGLE_API_KEY", "MASSIVE_API_KEY",
                                                   "AGENTS_API_KEY")},
    **{k: f"quantum-trades/trading#{k}" for k in ("TRADIER_LIVE_API_KEY", "TRADIER_LIVE_ACCOUNT_ID",
                                                  "TRADIER_SANDBOX_API_KEY", "TRADIER_SANDBOX_ACCOUNT_ID",
                                                  "TRADIER_API_KEY", "TRADIER_ACCOUNT_ID")},
    **{k: f"quantum-trades/alpaca#{k}" for k in ("ALPACA_API_KEY", "ALPACA_SECRET_KEY")},
    "OBSIDIAN_API_KEY": "obsidian/api#api_key", "SUPABASE_URL": "quantum-trades/supabase#url",
    "SUPABASE_KEY": "quantum-trades/supabase#service_role_key",
    "DISCORD_WEBHOOK_LEARNING": "discord/webhook#quantum_learning"}
QT_SECRETS = {  # quantum-trades-secrets key: (template variable, AWS ref)
    "MASSIVE_API_KEY": ("massive_api_key", "quantum-trades/api-keys#MASSIVE_API_KEY"),
    "OLLAMA_API_KEY": ("ollama_api_key", OLLAMA_CLOUD), "OPENAI_API_KEY": ("openai_api_key", OPENAI_API_KEY),
    "GOOGLE_API_KEY": ("google_api_key", "google/api-key#api_key"),
    **{k: (k.lower(), f"quantum-trades/trading#{k}") for k in (*TRADIER, "TRADING_DB_PASSWORD")},
    **{k: (var, f"quantum-trades/{var.replace('_', '-')}") for k, var in (
        ("NEXT_PUBLIC_SUPABASE_URL", "supabase_url"), ("NEXT_PUBLIC_SUPABASE_ANON_KEY", "supabase_anon_key"),
        ("SUPABASE_SERVICE_ROLE_KEY", "supabase_service_role"), ("SUPABASE_JWT_SECRET", "supabase_jwt_secret"))}}
