"""What validation knows about the staging cluster beyond its rendered objects.

- `NODE_POOLS`: the nodes that run today, with the labels selectors use and their taints;
  the GPU pool comes from `fako.patterns.nodepools.NVIDIA`, with its `nvidia.com/gpu` per
  node (so `fako validate` checks GPU requests against the capacity synth checks).
  Retired hosts (aitower, jetson01/02) are not pools: the switched-off apps pinned to
  them are allowed below.
- `EXTERNAL`: objects that exist in the cluster but are made outside this render
  (by the Flux bootstrap, by apps fako does not model yet, by hand, by Helm charts).
- `ALLOW`: the reviewed allow-list. Each entry is a mistake the real cluster carries
  today, kept so `fako synth` renders the cluster exactly as it runs
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
        NodePool(
            name=f"{NVIDIA.spec.name}-{host}",
            labels={**_AMD64, _HOST: host, **NVIDIA.spec.selector},
            allocatable={NVIDIA.spec.resource: NVIDIA.capacity_per_node},
        )
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
        # Pull secrets made by hand or by a legacy kubectl Job at runtime.
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
        # h/semantics: made by the erpnext HelmRelease (chart frappe/erpnext, release erpnext);
        # amig-erp's tunnel routes to it.
        ("Service", "amig-erp", "erpnext"),
    }
)

_ISSUER = "names ClusterIssuer letsencrypt-prod, which does not exist: its certificate never issues"
_NGINX = "ingress class nginx is not installed, only traefik runs: the Ingress is inert"

_OFF_NODE = "pinned to a retired node (aitower, jetson01/02); the app is switched off"
_HELLO = "the hello.example.com sample route left in the tunnel's config; routes nothing real"
_SPLIT = (
    "connectors of one tunnel with different ingress lists (fakocluster via n8n, linkding and "
    "cloudflare-tunnel; gpustack-proxy reusing the audiobooks tunnel name)"
)
_KUBE_BENCH = "kube-bench runs the CIS benchmark on the control plane: it reads the node's config and processes"
_GPU_EXPORTER = "the NVIDIA GPU exporter reads the devices and runs nvidia-smi from the host driver"
_INOTIFY = "raises the node's inotify sysctls at boot: writing /proc/sys needs a privileged, host-namespaced pod"
_SUC_CERTS = "the upstream system-upgrade-controller bundle mounts the node's CA certificates read-only"
_DEV_SA = "binds ServiceAccounts of dev-* namespaces that do not exist; grants nothing"


def _allow(check: str, ref: str, value: str, reason: str) -> Allowance:
    return Allowance(check=check, ref=ref, value=value, reason=reason)


# h/semantics: cross-object semantics and Pod Security Admission (issue 10, item 4).
_METRICS_PORT = (
    "cloudflared's liveness/readiness probe hits its metrics server at :2000 (`metrics: 0.0.0.0:2000` in "
    "config.yaml); the kubelet probes a numeric port whether or not the container declares it, and the "
    "reference declares no port, so the pattern keeps it undeclared (parity)"
)
_TLS_UNISSUED = (
    "the Ingress asks ClusterIssuer letsencrypt-prod, which does not exist, for its TLS secret: "
    "cert-manager never makes it and traefik serves its default certificate"
)
_PSA_WARN = "namespace labelled pod-security warn/audit=baseline; the API server admits the pods with a warning: "
_PSA_GPU_IPC = "CUDA needs the node's shared memory: the GPU pool (fako.patterns.gpu) sets hostIPC on its pods"
_SEMANTICS_ALLOW = (
    *(
        _allow("probe.port", f"Deployment/{ns}/cloudflared", "2000", _METRICS_PORT)
        for ns in (
            "ai-mastery-path",
            "amig-erp",
            "audiobookshelf",
            "autobots",
            "blog",
            "cloudflare-tunnel",
            "connor-birthday",
            "family-manager",
            "ginger-hoa",
            "gpustack-proxy",
            "linkding",
            "lztechnology",
            "n8n",
            "nick-brothers",
            "open-webui",
            "oura-dashboard",
            "soccer-banter",
            "social-media",
            "sports-bets",
            "wger",
            "withings-collector",
        )
    ),
    *(
        _allow("ref.secret", f"Ingress/{ref}", secret, _TLS_UNISSUED)
        for ref, secret in (
            ("ai-mastery-path/ai-mastery-path", "ai-mastery-path-tls"),
            ("family-manager/family-manager-webhook", "landryzetam-net-tls"),
            ("market-replay/market-replay-ingress", "market-replay-tls"),
            ("umami/umami", "umami-tls"),
            ("lztechnology/lztechnology-website", "lztechnology-tls"),
            ("backstage/backstage", "backstage-tls"),
            ("n3xis/n3xis", "n3xis-tls"),
        )
    ),
    _allow("psa.host-namespaces", "CronJob/kube-bench/kube-bench-scanner", "hostPID=true", _PSA_WARN + _KUBE_BENCH),
    _allow("psa.privileged", "CronJob/kube-bench/kube-bench-scanner", "kube-bench", _PSA_WARN + _KUBE_BENCH),
    _allow(
        "psa.host-path-volumes",
        "CronJob/kube-bench/kube-bench-scanner",
        "var-lib-rancher, etc-rancher, var-lib-kubelet, etc-cni-netd, opt-cni-bin, etc-systemd, proc",
        _PSA_WARN + _KUBE_BENCH,
    ),
    *(
        _allow("psa.host-namespaces", f"Deployment/{ref}", "hostIPC=true", _PSA_WARN + _PSA_GPU_IPC)
        for ref in ("ollama/ollama-gpu", "whisperx/whisperx-api")
    ),
    _allow(
        "psa.host-path-volumes",
        "StatefulSet/postgres-recovery/postgres-recovery",
        "postgres-data",
        _PSA_WARN + "recovery copy of the database on a node's disk, with no node pinning: a known defect",
    ),
)

ALLOW = (
    # References the cluster gets wrong today.
    *(
        _allow("ref.cluster-issuer", f"Ingress/{ref}", "letsencrypt-prod", _ISSUER)
        for ref in (
            "ai-mastery-path/ai-mastery-path",
            "family-manager/family-manager-webhook",
            "market-replay/market-replay-ingress",
            "umami/umami",
        )
    ),
    # backstage, n3xis, wger (switched off; the defects are in their git sources)
    *(
        _allow("ref.cluster-issuer", f"Ingress/{app}/{app}", "letsencrypt-prod", _ISSUER + "; app switched off")
        for app in ("backstage", "n3xis")
    ),
    _allow(
        "identity.secret-owner",
        "Secret/wger/wger-db-credentials",
        "ExternalSecret wger/wger-db-credentials-external-secret and ExternalSecret wger/wger-db-credentials-from-aws",
        "two ExternalSecrets (and a SOPS Secret) write wger-db-credentials; External Secrets "
        "fails the second (target is owned by another ExternalSecret); app switched off",
    ),
    *(
        _allow("ref.ingress-class", f"Ingress/{ref}", "nginx", _NGINX)
        for ref in ("blog/hugo-blog", "market-replay/market-replay-ingress", "donetick/donetick")
    ),
    _allow(
        "ref.secret",
        "Ingress/headlamp/headlamp",
        "headlamp-tls",
        "no issuer annotation creates it: TLS is served by traefik's default certificate",
    ),
    *(
        _allow("ref.service-account", f"RoleBinding/keycloak/dev-{sa}-secrets-access", sa, _DEV_SA)
        for sa in ("keycloak", "oura-collector", "oura-dashboard", "wger")
    ),
    *(
        _allow(
            "ref.service-selector",
            f"Service/alloy/{name}",
            "app.kubernetes.io/instance=alloy, app.kubernetes.io/name=alloy",
            "selects the pods of the alloy HelmRelease, which the render does not contain",
        )
        for name in ("alloy-cluster", "alloy-otlp")
    ),
    _allow(
        "ref.service-selector",
        "Service/market-replay/market-replay-redis",
        "app=redis, role=master",
        "role=master is labelled at runtime by the Redis Sentinel failover script",
    ),
    # Hostnames and tunnels.
    *(
        _allow(
            "host.duplicate",
            f"Ingress/{app}/{app}",
            "ai.lztechnology.io",
            "ai.lztechnology.io is claimed by both open-webui copies; ollama-webui is the old one",
        )
        for app in ("open-webui", "ollama-webui")
    ),
    *(
        _allow(
            "host.duplicate",
            f"ConfigMap/{app}/cloudflared",
            "family-webhook.landryzetam.net",
            "family-webhook.landryzetam.net is on two tunnels; requests may hit either",
        )
        for app in ("cloudflare-tunnel", "family-manager")
    ),
    *(
        _allow("host.duplicate", f"ConfigMap/{app}/cloudflared", "hello.example.com", _HELLO)
        for app in ("audiobookshelf", "gpustack-proxy", "linkding", "n8n")
    ),
    *(
        _allow("tunnel.split-config", f"ConfigMap/{app}/cloudflared", tunnel, _SPLIT)
        for app, tunnel in (
            ("audiobookshelf", "audiobooks"),
            ("gpustack-proxy", "audiobooks"),
            ("cloudflare-tunnel", "fakocluster"),
            ("linkding", "fakocluster"),
            ("n8n", "fakocluster"),
        )
    ),
    # lzt-ui, nick-brothers, oura-dashboard, sports-bets
    _allow("ref.cluster-issuer", "Ingress/lztechnology/lztechnology-website", "letsencrypt-prod", _ISSUER),
    _allow("host.duplicate", "ConfigMap/lztechnology/cloudflared", "hello.example.com", _HELLO),
    # Placement: switched-off apps pinned to nodes that left.
    *(
        _allow("node.selector", f"Deployment/{ref}", selector, _OFF_NODE)
        for ref, selector in (
            ("ollama/ollama-gpu", "kubernetes.io/hostname=aitower, nvidia.com/gpu.present=true"),
            ("ollama-jetson/ollama-jetson", "kubernetes.io/hostname=jetson01"),
            ("ollama-jetson2/ollama-jetson2", "kubernetes.io/hostname=jetson02"),
            ("parakeet/parakeet", "kubernetes.io/hostname=aitower, nvidia.com/gpu.present=true"),
            ("piper-v13/piper-v13", "kubernetes.io/hostname=aitower"),
            ("whisper/whisper-gpu", "kubernetes.io/hostname=aitower, nvidia.com/gpu.present=true"),
        )
    ),
    # Security floor: the node-level workloads that really need the node.
    _allow("security.host-namespaces", "CronJob/kube-bench/kube-bench-scanner", "hostPID", _KUBE_BENCH),
    _allow("security.privileged", "CronJob/kube-bench/kube-bench-scanner", "kube-bench", _KUBE_BENCH),
    *(
        _allow("security.host-path", "CronJob/kube-bench/kube-bench-scanner", path, _KUBE_BENCH)
        for path in (
            "/var/lib/rancher",
            "/etc/rancher",
            "/var/lib/kubelet",
            "/etc/cni/net.d/",
            "/opt/cni/bin/",
            "/etc/systemd",
            "/proc",
        )
    ),
    _allow("security.host-namespaces", "DaemonSet/gpu-monitoring/nvidia-gpu-exporter", "hostPID", _GPU_EXPORTER),
    _allow("security.privileged", "DaemonSet/gpu-monitoring/nvidia-gpu-exporter", "nvidia-gpu-exporter", _GPU_EXPORTER),
    *(
        _allow("security.host-path", "DaemonSet/gpu-monitoring/nvidia-gpu-exporter", path, _GPU_EXPORTER)
        for path in ("/usr/local/nvidia", "/dev", "/usr/bin/nvidia-smi")
    ),
    _allow("security.host-namespaces", "DaemonSet/system-tuning/inotify-tuning", "hostNetwork", _INOTIFY),
    _allow("security.host-namespaces", "DaemonSet/system-tuning/inotify-tuning", "hostPID", _INOTIFY),
    _allow("security.privileged", "DaemonSet/system-tuning/inotify-tuning", "sysctl", _INOTIFY),
    _allow(
        "security.host-namespaces",
        "CronJob/backup-system/etcd-backup",
        "hostNetwork",
        "reaches the embedded etcd on the control-plane node's loopback",
    ),
    *(
        _allow("security.host-path", "Deployment/system-upgrade/system-upgrade-controller", path, _SUC_CERTS)
        for path in ("/etc/ssl", "/etc/pki", "/etc/ca-certificates")
    ),
    _allow(
        "security.host-path",
        "StatefulSet/postgres-recovery/postgres-recovery",
        "/mnt/postgres-recovery/data",
        "recovery copy of the database on a node's disk, with no node pinning: a known defect",
    ),
    _allow(
        "security.wildcard-role",
        "ClusterRoleBinding/backup-rolebinding",
        "backup-role",
        "the cluster backup reads every resource (Secrets included) to export it; read-only verbs",
    ),
    *(
        _allow(
            "security.wildcard-role",
            f"ClusterRoleBinding/{name}",
            "headlamp",
            "the headlamp dashboard reads (get/list/watch) every kubescape report resource",
        )
        for name in ("headlamp", "headlamp-admin-read")
    ),
    *_SEMANTICS_ALLOW,  # h/semantics
)

FACTS = ClusterFacts(kubernetes_version="1.34", node_pools=NODE_POOLS, external=EXTERNAL, allow=ALLOW)
