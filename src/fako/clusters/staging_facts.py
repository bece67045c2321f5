"""What validation knows about the staging cluster beyond its rendered objects.

- `NODE_POOLS`: the nodes that run today, with the labels selectors use and their taints;
  the GPU pool comes from `fako.patterns.nodepools.NVIDIA`. Retired hosts (aitower,
  jetson01/02) are not pools: the switched-off apps pinned to them are allowed below.
- `EXTERNAL`: objects that exist in the cluster but are made outside this render
  (by the Flux bootstrap, by apps fako does not model yet, by hand, by Helm charts).
- `ALLOW`: the reviewed allow-list. Each entry is a mistake the real cluster carries
  today (CLUSTER.md §7c), kept so `fako synth` renders the cluster exactly as it runs
  while any *new* mistake fails. Fixing one is a deliberate change to an app: remove
  its entry in the same commit (a stale entry is reported).
"""

from __future__ import annotations

from fako.patterns.nodepools import NVIDIA
from fako.validation.facts import Allowance, ClusterFacts, NodePool, Taint

__all__ = ["ALLOW", "EXTERNAL", "FACTS", "NODE_POOLS"]

_HOST = "kubernetes.io/hostname"
_LINUX = {"kubernetes.io/os": "linux"}
_AMD64 = {**_LINUX, "kubernetes.io/arch": "amd64"}
_CONTROL_PLANE = "node-role.kubernetes.io/control-plane"


def _worker(host: str, **labels: str) -> NodePool:
    return NodePool(name=host, labels={**_AMD64, _HOST: host, **labels})


NODE_POOLS = (
    NodePool(
        name="zz-macbookpro",
        labels={
            **_LINUX,
            "kubernetes.io/arch": "arm64",
            _HOST: "zz-macbookpro",
            _CONTROL_PLANE: "true",
            "node-role.kubernetes.io/master": "true",
        },
        taints=(Taint(key=_CONTROL_PLANE, effect="NoSchedule"),),
    ),
    *(
        NodePool(name=f"{NVIDIA.spec.name}-{host}", labels={**_AMD64, _HOST: host, **NVIDIA.spec.selector})
        for host in NVIDIA.spec.nodes
    ),
    _worker("thinkpad01", **{"node-role.kubernetes.io/storage": "true"}),
    _worker("pgmac01"),
    _worker("pgmac02"),
    _worker("pglenovo01"),
    _worker("pglenovo02"),
)

EXTERNAL = frozenset(
    {
        ("Namespace", "", "flux-system"),  # made by the Flux bootstrap
        ("Middleware", "default", "timeout-middleware"),  # kept by hand in namespace default
        # Namespaces of apps the cluster runs that fako does not model yet.
        ("Namespace", "", "lztechnology"),
        # Pull secrets made by hand (§7c.5) or by a legacy kubectl Job at runtime.
        ("Secret", "ai-news", "dockerhub-registry"),
        ("Secret", "unifi-clients", "dockerhub-registry"),
        ("Secret", "paperless-ngx", "dockerhub-registry"),
        ("Secret", "pgadmin", "dockerhub-registry"),
        ("Secret", "thornus", "dockerhub-registry"),
        ("Secret", "postgres", "dockerhub-registry"),
        # Made by Helm charts the render does not expand.
        ("Service", "langfuse", "langfuse-web"),
        # A dynamically provisioned volume alpha-scribe's claim is bound to by name.
        ("PersistentVolume", "", "pvc-0207b23c-3b0d-4c59-a098-2a8d316bdf81"),
    }
)

_ISSUER = "names ClusterIssuer letsencrypt-prod, which does not exist (§7c.1): its certificate never issues"
_NGINX = "ingress class nginx is not installed, only traefik runs (§7c.2): the Ingress is inert"

ALLOW = (
    Allowance(
        check="ref.service-selector",
        ref="Service/alloy/*",
        reason="selects the pods of the alloy HelmRelease, which the render does not contain",
    ),
    Allowance(check="ref.cluster-issuer", ref="Ingress/ai-mastery-path/ai-mastery-path", reason=_ISSUER),
    Allowance(check="ref.cluster-issuer", ref="Ingress/family-manager/family-manager-webhook", reason=_ISSUER),
    Allowance(check="ref.cluster-issuer", ref="Ingress/market-replay/market-replay-ingress", reason=_ISSUER),
    Allowance(check="ref.cluster-issuer", ref="Ingress/umami/umami", reason=_ISSUER),
    Allowance(check="ref.ingress-class", ref="Ingress/blog/hugo-blog", reason=_NGINX),
    Allowance(check="ref.ingress-class", ref="Ingress/market-replay/market-replay-ingress", reason=_NGINX),
    Allowance(check="ref.ingress-class", ref="Ingress/donetick/donetick", reason=_NGINX + "; app switched off"),
    Allowance(
        check="host.duplicate",
        ref="Ingress/open-webui/open-webui",
        reason="ai.lztechnology.io is claimed by both open-webui copies (§7c.3); ollama-webui is the old one",
    ),
    Allowance(
        check="host.duplicate",
        ref="Ingress/zeroed/*",
        reason="one host split by path across zeroed's three Ingresses (/, /api, direct backend)",
    ),
    Allowance(
        check="host.duplicate",
        ref="ConfigMap/family-manager/cloudflared",
        reason="family-webhook.landryzetam.net is on two tunnels (§7c.3); requests may hit either",
    ),
    Allowance(
        check="host.duplicate",
        ref="ConfigMap/*/cloudflared",
        reason="the hello.example.com sample route left in tunnel configs (§7c.16)",
    ),
    Allowance(
        check="tunnel.split-config",
        ref="ConfigMap/*/cloudflared",
        reason="connectors of one tunnel with different ingress lists (§7c.3: fakocluster via n8n and "
        "cloudflare-tunnel; gpustack-proxy reusing the audiobooks tunnel name, §7c.16)",
    ),
    Allowance(
        check="ref.service-account",
        ref="RoleBinding/keycloak/dev-*",
        reason="binds ServiceAccounts of dev-* namespaces that do not exist (§7c.12); grants nothing",
    ),
    Allowance(
        check="ref.secret",
        ref="Ingress/headlamp/headlamp",
        reason="names TLS Secret headlamp-tls, which no issuer annotation creates: TLS is served by "
        "traefik's default certificate",
    ),
    Allowance(
        check="ref.service-selector",
        ref="Service/market-replay/market-replay-redis",
        reason="role=master is labelled at runtime by the Redis Sentinel failover script",
    ),
    *(
        Allowance(
            check="node.selector",
            ref=f"Deployment/{ref}",
            reason="pinned to a retired node (aitower, jetson01/02); the app is switched off",
        )
        for ref in (
            "ollama/ollama-gpu",
            "ollama-jetson/ollama-jetson",
            "ollama-jetson2/ollama-jetson2",
            "parakeet/parakeet",
            "piper-v13/piper-v13",
            "whisper/whisper-gpu",
        )
    ),
)

FACTS = ClusterFacts(kubernetes_version="1.34", node_pools=NODE_POOLS, external=EXTERNAL, allow=ALLOW)
