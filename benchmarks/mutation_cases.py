"""The mutation catalogue of `benchmarks/mutations.py`: single mistakes planted into the real render.

Each case is one plausible mistake a person or a bot could make in one app of the real
cluster: a typo, a copy-paste left unchanged, a value in the wrong unit, a shortcut
taken while debugging. The case's docstring says what was done and why it is wrong; its
decorator gives the class (the eight classes of issue 10), whether the API server itself
would refuse the object (`rejected`) and whether the mistake is one fako documents as a
warning rather than an error (`warning`: a new warning then counts as caught).

A case edits copies of objects through a `Workspace`; it never sees fako's checks.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fako.rendered import RenderedObject

__all__ = ["CLASSES", "MUTATIONS", "Mutation", "Workspace"]

NAMES, VALUES, PODSPEC, SEMANTICS, REFERENCES, SECURITY, SECRETS, IDENTITIES = range(1, 9)
CLASSES = {
    NAMES: "names and keys",
    VALUES: "values",
    PODSPEC: "pod-spec invariants",
    SEMANTICS: "cross-object semantics",
    REFERENCES: "references",
    SECURITY: "security",
    SECRETS: "secrets",
    IDENTITIES: "identities and hosts",
}
"""Issue 10's classes of mistakes, by number."""

Manifest = dict[str, Any]


class Workspace:
    """The render's objects for one mutation: an edited object is a deep copy, the rest are shared.

    `read` looks at an object, `edit` returns a private copy to change, `add` puts a new
    object into an app's file. `objects()` is the tree with the edits applied.
    """

    def __init__(self, objects: Sequence[RenderedObject]) -> None:
        self._objects = objects
        self._edited: dict[int, Manifest] = {}
        self._added: list[tuple[int, Manifest]] = []
        self._also: set[str] = set()

    def _index(self, app: str, kind: str, name: str, namespace: str | None) -> int:
        found = [
            i
            for i, o in enumerate(self._objects)
            if o.app == app and o.kind == kind and o.name == name and namespace in (None, o.namespace)
        ]
        if len(found) != 1:
            where = f"{kind}/{name} in app {app}" + (f" (namespace {namespace})" if namespace else "")
            raise LookupError(f"{len(found)} objects match {where}; the render changed: update the case")
        return found[0]

    def read(self, app: str, kind: str, name: str, namespace: str | None = None) -> Manifest:
        """The object as it stands (do not change it: use `edit`)."""
        i = self._index(app, kind, name, namespace)
        return self._edited.get(i, self._objects[i].manifest)

    def edit(self, app: str, kind: str, name: str, namespace: str | None = None) -> Manifest:
        """A private copy of the object that the mutated tree will hold instead of it."""
        i = self._index(app, kind, name, namespace)
        if i not in self._edited:
            self._edited[i] = copy.deepcopy(self._objects[i].manifest)
        return self._edited[i]

    def edit_app(self, app: str) -> list[Manifest]:
        """Private copies of every object of `app`."""
        out = []
        for i, o in enumerate(self._objects):
            if o.app == app:
                if i not in self._edited:
                    self._edited[i] = copy.deepcopy(o.manifest)
                out.append(self._edited[i])
        if not out:
            raise LookupError(f"no object of app {app}; the render changed: update the case")
        return out

    def add(self, app: str, manifest: Manifest) -> None:
        """Add `manifest` to the file of `app`'s last object, after it."""
        last = max((i for i, o in enumerate(self._objects) if o.app == app), default=None)
        if last is None:
            raise LookupError(f"no object of app {app}; the render changed: update the case")
        self._added.append((last, manifest))

    def involve(self, ref: str) -> None:
        """Count findings on `ref` (`Kind/namespace/name`) as the mutation's own: an object
        the mistake concerns without being edited (the Secret an edited ExternalSecret writes)."""
        self._also.add(ref)

    def changed(self) -> bool:
        """Whether the mutation changed anything (a case that changes nothing is a broken case)."""
        return bool(self._added) or any(m != self._objects[i].manifest for i, m in self._edited.items())

    def objects(self) -> list[RenderedObject]:
        """The mutated tree, in file order (an added object follows its file's last one)."""
        out: list[RenderedObject] = []
        for i, obj in enumerate(self._objects):
            out.append(dataclasses.replace(obj, manifest=self._edited[i]) if i in self._edited else obj)
            for anchor, manifest in self._added:
                if anchor == i:
                    out.append(
                        dataclasses.replace(obj, manifest=manifest, source=f"{obj.path}:0", construct_path="", raw=None)
                    )
        return out

    def involved(self) -> set[str]:
        """Refs of the objects the mutation touched, before and after the change (the items
        of a `*List` too: they are checked one by one), and the ones it `involve`s."""
        refs = {self._objects[i].ref for i in self._edited} | self._also
        changed = [*self._edited.items(), *self._added]
        for i, manifest in changed:
            items = manifest.get("items") if str(manifest.get("kind", "")).endswith("List") else None
            for m in [manifest, *(items if isinstance(items, list) else [])]:
                refs.add(dataclasses.replace(self._objects[i], manifest=m).ref)
        return refs

    def paths(self) -> set[str]:
        """The files the mutation changed."""
        return {self._objects[i].path for i in self._edited} | {self._objects[i].path for i, _ in self._added}


@dataclass(frozen=True)
class Mutation:
    """One planted mistake: `apply` makes it in a `Workspace`."""

    id: str
    klass: int
    rejected: bool
    description: str
    apply: Callable[[Workspace], None]
    warning: bool = False
    app: str = ""


MUTATIONS: list[Mutation] = []
"""Every case, in the order written."""


def case(
    klass: int, app: str, *, rejected: bool, warning: bool = False
) -> Callable[[Callable[[Workspace], None]], Any]:
    """Register a case: the id is the function's name, the description its docstring."""

    def wrap(func: Callable[[Workspace], None]) -> Callable[[Workspace], None]:
        doc = " ".join((func.__doc__ or "").split())
        MUTATIONS.append(Mutation(func.__name__.replace("_", "-"), klass, rejected, doc, func, warning, app))
        return func

    return wrap


# -- helpers: where things are in a manifest --------------------------------------------------


def pod(manifest: Manifest) -> Manifest:
    """The pod spec of a workload."""
    spec = manifest["spec"]
    if manifest["kind"] == "CronJob":
        return spec["jobTemplate"]["spec"]["template"]["spec"]  # type: ignore[no-any-return]
    if manifest["kind"] == "Pod":
        return spec  # type: ignore[no-any-return]
    return spec["template"]["spec"]  # type: ignore[no-any-return]


def container(manifest: Manifest, name: str | None = None) -> Manifest:
    """A workload's container called `name` (default: its first)."""
    containers: list[Manifest] = pod(manifest)["containers"]
    if name is None:
        return containers[0]
    for c in containers:
        if c["name"] == name:
            return c
    raise LookupError(f"no container {name!r} in {manifest['kind']}/{manifest['metadata']['name']}")


def env_item(c: Manifest, name: str) -> Manifest:
    for item in c.get("env", []):
        if item["name"] == name:
            return item  # type: ignore[no-any-return]
    raise LookupError(f"no env {name!r} in container {c['name']}")


def _fake(prefix: str, alphabet: str, n: int, seed: str) -> str:
    """A credential-shaped string that is no one's credential (made here, never a literal)."""
    digest = hashlib.sha256(seed.encode()).digest() * 4
    return prefix + "".join(alphabet[b % len(alphabet)] for b in digest[:n])


_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _lines(text: str, width: int = 70) -> Iterator[str]:
    for i in range(0, len(text), width):
        yield text[i : i + width]


# == 1. names and keys ========================================================================


@case(NAMES, "linkding", rejected=True)
def deployment_name_uppercase(w: Workspace) -> None:
    """linkding: the Deployment is renamed 'Linkding' after the product's display name."""
    w.edit("linkding", "Deployment", "linkding")["metadata"]["name"] = "Linkding"


@case(NAMES, "ai-news", rejected=True)
def service_name_underscore(w: Workspace) -> None:
    """ai-news: the Service is named 'ai_news_api' like the Python module (Service names are DNS-1035 labels)."""
    w.edit("ai-news", "Service", "ai-news-api")["metadata"]["name"] = "ai_news_api"


@case(NAMES, "alpha-scribe", rejected=True)
def cronjob_name_over_52(w: Workspace) -> None:
    """alpha-scribe: a CronJob gets a descriptive 55-character name (CronJob names are at most 52)."""
    w.edit("alpha-scribe", "CronJob", "alpha-scribe-premarket")["metadata"]["name"] = (
        "alpha-scribe-premarket-earnings-calendar-refresh-weekly"
    )


@case(NAMES, "plaud-collector", rejected=True)
def job_name_over_63(w: Workspace) -> None:
    """plaud-collector: the migration Job is named after the migration file, 67 characters
    (the job-name label of its pods must fit 63)."""
    w.edit("plaud-collector", "Job", "plaud-collector-migrate")["metadata"]["name"] = (
        "plaud-collector-migrate-0007-add-transcript-embeddings-and-speakers"
    )


@case(NAMES, "postgres-recovery", rejected=False)
def statefulset_name_over_52(w: Workspace) -> None:
    """postgres-recovery: the StatefulSet is renamed to a 55-character name; the API server takes it,
    but its controller-revision-hash label (name + hash) passes 63 and no pod is ever created."""
    w.edit("postgres-recovery", "StatefulSet", "postgres-recovery")["metadata"]["name"] = (
        "postgres-recovery-pitr-restore-from-nightly-base-backup"
    )


@case(NAMES, "meal-tracker", rejected=True)
def label_value_with_space(w: Workspace) -> None:
    """meal-tracker: a component label is written as prose, 'Telegram bot'."""
    meta = w.edit("meal-tracker", "Deployment", "meal-tracker")["metadata"]
    meta.setdefault("labels", {})["app.kubernetes.io/component"] = "Telegram bot"


@case(NAMES, "donetick", rejected=True)
def label_value_image_reference(w: Workspace) -> None:
    """donetick: automation copies the image reference into the version label ('/' and ':' are not allowed)."""
    m = w.edit("donetick", "Deployment", "donetick")
    m["metadata"].setdefault("labels", {})["app.kubernetes.io/version"] = container(m)["image"]


@case(NAMES, "dji-media", rejected=True)
def configmap_key_with_slash(w: Workspace) -> None:
    """dji-media: the nginx template's ConfigMap key mirrors its directory, 'templates/default.conf.template'."""
    data = w.edit("dji-media", "ConfigMap", "dji-media-nginx")["data"]
    data["templates/default.conf.template"] = data.pop("default.conf.template")


@case(NAMES, "zi", rejected=True)
def serviceaccount_name_with_colon(w: Workspace) -> None:
    """zi: the ServiceAccount is named 'zi:k8s-operator' like the RBAC roles (':' is only allowed in RBAC names)."""
    w.edit("zi", "ServiceAccount", "k8s-operator")["metadata"]["name"] = "zi:k8s-operator"


@case(NAMES, "kube-bench", rejected=True)
def annotations_over_256k(w: Workspace) -> None:
    """kube-bench: a 300 KB JSON report template is kept in an annotation (annotations total at most 256 KiB)."""
    template = {"panels": [{"id": i, "title": f"CIS check {i}", "query": "x" * 290} for i in range(1000)]}
    meta = w.edit("kube-bench", "ConfigMap", "kube-bench-reporter-config")["metadata"]
    meta.setdefault("annotations", {})["kube-bench.fako.dev/report-template"] = json.dumps(template)


@case(NAMES, "voice-ingest", rejected=True)
def configmap_over_1mib(w: Workspace) -> None:
    """voice-ingest: a 1.2 MB minified JavaScript bundle is added to the server-script ConfigMap (1 MiB limit)."""
    bundle = "".join(f"function f{i}(a,b){{return a*{i}+b;}}\n" for i in range(40000))
    w.edit("voice-ingest", "ConfigMap", "voice-ingest-server-script")["data"]["vendor.min.js"] = bundle


@case(NAMES, "whisperx", rejected=True)
def container_name_camel_case(w: Workspace) -> None:
    """whisperx: the container is renamed 'whisperX-api' after the project's spelling."""
    container(w.edit("whisperx", "Deployment", "whisperx-api"))["name"] = "whisperX-api"


@case(NAMES, "oura-agent", rejected=True)
def port_name_over_15(w: Workspace) -> None:
    """oura-agent: the container port is named 'prometheus-metrics' (port names are at most 15 characters)."""
    container(w.edit("oura-agent", "Deployment", "oura-agent"))["ports"][0]["name"] = "prometheus-metrics"


@case(NAMES, "n8n-migration", rejected=True)
def namespace_name_underscore(w: Workspace) -> None:
    """n8n-migration: the Namespace object is named 'n8n_migration' like the database."""
    w.edit("n8n-migration", "Namespace", "n8n-migration")["metadata"]["name"] = "n8n_migration"


# == 2. values ================================================================================


@case(VALUES, "voice-ingest", rejected=True)
def memory_limit_gb(w: Workspace) -> None:
    """voice-ingest: the memory limit is written '1Gb' (the unit is Gi or G)."""
    container(w.edit("voice-ingest", "Deployment", "voice-ingest"))["resources"]["limits"]["memory"] = "1Gb"


@case(VALUES, "n8n", rejected=False)
def cpu_request_in_memory_units(w: Workspace) -> None:
    """n8n: the cpu request is copied from the memory line, '512Mi' (a valid quantity: 537 million cores,
    so the pod never schedules)."""
    c = container(w.edit("n8n", "Deployment", "n8n"))
    c.setdefault("resources", {}).setdefault("requests", {})["cpu"] = "512Mi"


@case(VALUES, "soccer-banter", rejected=True)
def pvc_size_gb(w: Workspace) -> None:
    """soccer-banter: the volume size is written '5GB'."""
    w.edit("soccer-banter", "PersistentVolumeClaim", "soccer-banter-data")["spec"]["resources"]["requests"][
        "storage"
    ] = "5GB"


@case(VALUES, "ai-news", rejected=True)
def pull_policy_lowercase(w: Workspace) -> None:
    """ai-news: imagePullPolicy 'always' in lower case."""
    container(w.edit("ai-news", "Deployment", "ai-news-api"))["imagePullPolicy"] = "always"


@case(VALUES, "family-manager", rejected=True)
def deployment_restart_on_failure(w: Workspace) -> None:
    """family-manager: restartPolicy OnFailure copied from the CronJob into a Deployment (only Always)."""
    pod(w.edit("family-manager", "Deployment", "family-manager-webhook"))["restartPolicy"] = "OnFailure"


@case(VALUES, "kokoro", rejected=True)
def service_type_case(w: Workspace) -> None:
    """kokoro: Service type 'Nodeport'."""
    w.edit("kokoro", "Service", "kokoro-nodeport")["spec"]["type"] = "Nodeport"


@case(VALUES, "sftp-server", rejected=True)
def protocol_lowercase(w: Workspace) -> None:
    """sftp-server: Service port protocol 'tcp' in lower case."""
    w.edit("sftp-server", "Service", "sftp-server")["spec"]["ports"][0]["protocol"] = "tcp"


@case(VALUES, "hume-collector", rejected=True)
def dns_policy_long_form(w: Workspace) -> None:
    """hume-collector: dnsPolicy 'ClusterFirstWithHostNetwork' (the value is ClusterFirstWithHostNet)."""
    pod(w.edit("hume-collector", "Deployment", "hume-collector"))["dnsPolicy"] = "ClusterFirstWithHostNetwork"


@case(VALUES, "whisperx", rejected=True)
def access_mode_abbreviation(w: Workspace) -> None:
    """whisperx: accessModes ['RWX'], the abbreviation the docs use in tables."""
    w.edit("whisperx", "PersistentVolumeClaim", "whisperx-data")["spec"]["accessModes"] = ["RWX"]


@case(VALUES, "thornus", rejected=True)
def replicas_quoted(w: Workspace) -> None:
    """thornus: replicas '2' as a quoted string."""
    w.edit("thornus", "Deployment", "thornus-backend")["spec"]["replicas"] = "2"


@case(VALUES, "ollama", rejected=True)
def service_port_extra_digit(w: Workspace) -> None:
    """ollama: the Service port 11434 typed with an extra digit, 114340."""
    w.edit("ollama", "Service", "ollama-gpu")["spec"]["ports"][0]["port"] = 114340


@case(VALUES, "openwakeword", rejected=True)
def liveness_success_threshold(w: Workspace) -> None:
    """openwakeword: successThreshold 3 on the livenessProbe to avoid flapping (must be 1)."""
    container(w.edit("openwakeword", "Deployment", "openwakeword"))["livenessProbe"]["successThreshold"] = 3


@case(VALUES, "n3xis", rejected=True)
def memory_request_over_limit(w: Workspace) -> None:
    """n3xis: a bot raises the memory request to 512Mi and leaves the 256Mi limit."""
    container(w.edit("n3xis", "Deployment", "n3xis"))["resources"]["requests"]["memory"] = "512Mi"


@case(VALUES, "umami", rejected=True)
def image_line_lost(w: Workspace) -> None:
    """umami: a merge drops the container's image line."""
    del container(w.edit("umami", "Deployment", "umami"))["image"]


@case(VALUES, "tldr-pipeline", rejected=True)
def cron_with_seconds_field(w: Workspace) -> None:
    """tldr-pipeline: the schedule is written with a seconds field, '0 0 6 * * *' (Quartz style)."""
    w.edit("tldr-pipeline", "CronJob", "tldr-harvest")["spec"]["schedule"] = "0 0 6 * * *"


@case(VALUES, "sports-bets", rejected=True)
def cron_sunday_as_7(w: Workspace) -> None:
    """sports-bets: Sunday written as day 7, '0 9 * * 7' (Kubernetes accepts 0-6)."""
    w.edit("sports-bets", "CronJob", "sports-bets-scoreboard")["spec"]["schedule"] = "0 9 * * 7"


@case(VALUES, "fieldy-webhook", rejected=True)
def time_zone_with_space(w: Workspace) -> None:
    """fieldy-webhook: timeZone 'America/New York' with a space."""
    w.edit("fieldy-webhook", "CronJob", "fieldy-puller")["spec"]["timeZone"] = "America/New York"


@case(VALUES, "futures-trader", rejected=False, warning=True)
def probe_failure_threshold_zero(w: Workspace) -> None:
    """futures-trader: startupProbe failureThreshold 0 meant as 'never give up'; the API server
    silently uses the default 3."""
    container(w.edit("futures-trader", "Deployment", "futures-trader"))["startupProbe"]["failureThreshold"] = 0


@case(VALUES, "ollama-webui", rejected=True)
def replicas_negative(w: Workspace) -> None:
    """ollama-webui: a scale-down script writes replicas -1 instead of 0."""
    w.edit("ollama-webui", "Deployment", "ollama-webui")["spec"]["replicas"] = -1


# == 3. pod-spec invariants ===================================================================


@case(PODSPEC, "n8n", rejected=True)
def init_container_same_name(w: Workspace) -> None:
    """n8n: a migration init container is copied from the main container, name 'n8n' included."""
    spec = pod(w.edit("n8n", "Deployment", "n8n"))
    init = copy.deepcopy(spec["containers"][0])
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        init.pop(probe, None)
    init["command"] = ["n8n", "db:migrate"]
    spec.setdefault("initContainers", []).append(init)


@case(PODSPEC, "market-replay", rejected=True)
def duplicate_port_name(w: Workspace) -> None:
    """market-replay: a metrics port is added with the existing port's name 'http'."""
    c = container(w.edit("market-replay", "Deployment", "market-replay-gateway"))
    c["ports"].append({"containerPort": 9090, "name": "http"})


@case(PODSPEC, "gpu-monitoring", rejected=True)
def duplicate_host_port(w: Workspace) -> None:
    """gpu-monitoring: the exporter's port is exposed on the node, then the entry is pasted twice."""
    c = container(w.edit("gpu-monitoring", "DaemonSet", "nvidia-gpu-exporter"))
    c["ports"] = [
        {"containerPort": 9835, "hostPort": 9835, "name": "metrics"},
        {"containerPort": 9835, "hostPort": 9835},
    ]


@case(PODSPEC, "audiobookshelf", rejected=True)
def mount_names_no_volume(w: Workspace) -> None:
    """audiobookshelf: a volumeMount names 'config' while the volume is 'audiobookshelf-config'."""
    for mount in container(w.edit("audiobookshelf", "Deployment", "audiobookshelf"))["volumeMounts"]:
        if mount["name"] == "audiobookshelf-config":
            mount["name"] = "config"


@case(PODSPEC, "sftp-server", rejected=True)
def duplicate_mount_path(w: Workspace) -> None:
    """sftp-server: a second volume is mounted at the first mount's path."""
    mounts = container(w.edit("sftp-server", "Deployment", "sftp-server"))["volumeMounts"]
    mounts[1]["mountPath"] = mounts[0]["mountPath"]


@case(PODSPEC, "whisperx", rejected=True)
def subpath_parent(w: Workspace) -> None:
    """whisperx: subPath '../models' to reach a sibling folder of the volume."""
    container(w.edit("whisperx", "Deployment", "whisperx-api"))["volumeMounts"][0]["subPath"] = "../models"


@case(PODSPEC, "ai-news", rejected=False, warning=True)
def duplicate_env_name(w: Workspace) -> None:
    """ai-news: LOG_LEVEL=DEBUG appended while LOG_LEVEL=INFO is still set (the last one wins)."""
    container(w.edit("ai-news", "CronJob", "ai-news-morning"))["env"].append({"name": "LOG_LEVEL", "value": "DEBUG"})


@case(PODSPEC, "meal-tracker", rejected=True)
def selector_not_matching_template(w: Workspace) -> None:
    """meal-tracker: the pod template's name label is renamed 'dashboard-ui-v2', the selector is not."""
    labels = w.edit("meal-tracker", "Deployment", "dashboard-ui")["spec"]["template"]["metadata"]["labels"]
    labels["app.kubernetes.io/name"] = "dashboard-ui-v2"


@case(PODSPEC, "node-labeling", rejected=True)
def job_restart_always(w: Workspace) -> None:
    """node-labeling: the Job's pods get restartPolicy Always (Jobs take Never or OnFailure)."""
    pod(w.edit("node-labeling", "Job", "label-nodes-for-voice-pipeline"))["restartPolicy"] = "Always"


@case(PODSPEC, "remarkable-ocr", rejected=True)
def cronjob_restart_always(w: Workspace) -> None:
    """remarkable-ocr: the CronJob's pod template gets restartPolicy Always."""
    pod(w.edit("remarkable-ocr", "CronJob", "remarkable-ocr"))["restartPolicy"] = "Always"


@case(PODSPEC, "vault-gateway", rejected=True)
def duplicate_volume_name(w: Workspace) -> None:
    """vault-gateway: an emptyDir for nginx's pid file is added under an existing volume name 'nginx-run'."""
    pod(w.edit("vault-gateway", "Deployment", "vault-gateway"))["volumes"].append({"name": "nginx-run", "emptyDir": {}})


@case(PODSPEC, "zi", rejected=True)
def volume_removed_mount_kept(w: Workspace) -> None:
    """zi: the 'agent-config' volume is deleted, its volumeMount is not."""
    spec = pod(w.edit("zi", "Deployment", "zi"))
    spec["volumes"] = [v for v in spec["volumes"] if v["name"] != "agent-config"]


# == 4. cross-object semantics ================================================================


@case(SEMANTICS, "ai-news", rejected=False)
def service_target_port_name(w: Workspace) -> None:
    """ai-news: the Service's targetPort becomes the name 'api' (the container's port is named 'http')."""
    w.edit("ai-news", "Service", "ai-news-api")["spec"]["ports"][0]["targetPort"] = "api"


@case(SEMANTICS, "claude-usage-dashboard", rejected=False)
def probe_port_name_missing(w: Workspace) -> None:
    """claude-usage-dashboard: the liveness probe's port is the name 'web', no container port has it."""
    c = container(w.edit("claude-usage-dashboard", "Deployment", "claude-usage-dashboard"))
    c["livenessProbe"]["httpGet"]["port"] = "web"


@case(SEMANTICS, "ai-news", rejected=False)
def secret_key_ref_missing(w: Workspace) -> None:
    """ai-news: secretKeyRef key 'api-key', while the ExternalSecret writes OLLAMA_API_KEY."""
    c = container(w.edit("ai-news", "CronJob", "ai-news-afternoon"))
    env_item(c, "OLLAMA_API_KEY")["valueFrom"]["secretKeyRef"]["key"] = "api-key"


@case(SEMANTICS, "quantum-trades", rejected=False)
def configmap_key_ref_missing(w: Workspace) -> None:
    """quantum-trades: configMapKeyRef key 'CORS_ORIGIN' (the ConfigMap has CORS_ORIGINS)."""
    m = w.edit("quantum-trades", "Deployment", "quantum-trades-backend")
    for c in pod(m)["containers"]:
        for item in c.get("env", []):
            ref = item.get("valueFrom", {}).get("configMapKeyRef")
            if ref and ref["key"] == "CORS_ORIGINS":
                ref["key"] = "CORS_ORIGIN"
                return
    raise LookupError("no configMapKeyRef CORS_ORIGINS in quantum-trades-backend")


@case(SEMANTICS, "ollama-jetson", rejected=False)
def issuer_annotation_namespaced(w: Workspace) -> None:
    """ollama-jetson: the Ingress asks cert-manager for an Issuer 'letsencrypt-production' in its namespace
    (cert-manager.io/issuer); only a ClusterIssuer of that name exists."""
    notes = w.edit("ollama-jetson", "Ingress", "ollama-jetson")["metadata"]["annotations"]
    notes["cert-manager.io/issuer"] = notes.pop("cert-manager.io/cluster-issuer")


@case(SEMANTICS, "flux", rejected=False)
def flux_path_typo(w: Workspace) -> None:
    """flux: the apps Kustomization's path is './app'."""
    w.edit("flux", "Kustomization", "fako-apps")["spec"]["path"] = "./app"


@case(SEMANTICS, "flux", rejected=False)
def flux_source_typo(w: Workspace) -> None:
    """flux: the monitoring-configs Kustomization's sourceRef is 'fako-buid'."""
    w.edit("flux", "Kustomization", "fako-monitoring-configs")["spec"]["sourceRef"]["name"] = "fako-buid"


@case(SEMANTICS, "n8n", rejected=False)
def tunnel_route_to_missing_service(w: Workspace) -> None:
    """n8n: the tunnel route's service is 'http://n8n-service:5678' (the Service is 'n8n')."""
    data = w.edit("n8n", "ConfigMap", "cloudflared")["data"]
    data["config.yaml"] = data["config.yaml"].replace("http://n8n:", "http://n8n-service:")


@case(SEMANTICS, "soccer-banter", rejected=False)
def tunnel_route_wrong_port(w: Workspace) -> None:
    """soccer-banter: the tunnel route sends to port 8000, the container's port, not the Service's 80."""
    data = w.edit("soccer-banter", "ConfigMap", "cloudflared")["data"]
    data["config.yaml"] = data["config.yaml"].replace("svc.cluster.local:80\n", "svc.cluster.local:8000\n")


@case(SEMANTICS, "whisperx", rejected=False)
def gpu_over_capacity(w: Workspace) -> None:
    """whisperx: the Deployment asks for 2 GPUs (transcription and diarization on separate cards);
    the GPU node has one."""
    container(w.edit("whisperx", "Deployment", "whisperx-api"))["resources"]["limits"]["nvidia.com/gpu"] = 2


@case(SEMANTICS, "whisperx", rejected=False)
def gpu_replicas_over_capacity(w: Workspace) -> None:
    """whisperx: scaled to 2 replicas for throughput; each pod takes the GPU node's only GPU."""
    w.edit("whisperx", "Deployment", "whisperx-api")["spec"]["replicas"] = 2


@case(SEMANTICS, "vault-gateway", rejected=False)
def psa_restricted_root(w: Workspace) -> None:
    """vault-gateway: runAsUser 0 set on the container to debug file permissions, in a namespace that
    enforces the restricted Pod Security level (the Deployment is accepted, its pods are refused)."""
    container(w.edit("vault-gateway", "Deployment", "vault-gateway"))["securityContext"]["runAsUser"] = 0


@case(SEMANTICS, "remarkable-ocr", rejected=False)
def psa_restricted_capability(w: Workspace) -> None:
    """remarkable-ocr: NET_RAW added for ping while debugging, in a restricted-enforce namespace
    (the CronJob is accepted, its pods are refused)."""
    sc = container(w.edit("remarkable-ocr", "CronJob", "remarkable-ocr"))["securityContext"]
    sc["capabilities"]["add"] = ["NET_RAW"]


@case(SEMANTICS, "thornus", rejected=False)
def service_selector_typo(w: Workspace) -> None:
    """thornus: the frontend Service selects component 'fronend' (a typo of 'frontend')."""
    w.edit("thornus", "Service", "thornus-frontend-service")["spec"]["selector"]["component"] = "fronend"


@case(SEMANTICS, "donetick", rejected=False)
def ingress_backend_port_missing(w: Workspace) -> None:
    """donetick: the Ingress backend port is 80; the Service listens on 2021."""
    rule = w.edit("donetick", "Ingress", "donetick")["spec"]["rules"][0]
    rule["http"]["paths"][0]["backend"]["service"]["port"]["number"] = 80


@case(SEMANTICS, "piper", rejected=False)
def hpa_target_missing(w: Workspace) -> None:
    """piper: the HorizontalPodAutoscaler targets Deployment 'piper-deployment' (it is 'piper')."""
    w.edit("piper", "HorizontalPodAutoscaler", "piper-hpa")["spec"]["scaleTargetRef"]["name"] = "piper-deployment"


@case(SEMANTICS, "vault-gateway", rejected=False, warning=True)
def network_policy_selector_typo(w: Workspace) -> None:
    """vault-gateway: the NetworkPolicy's podSelector is app 'valut-gateway', so it protects no pod."""
    w.edit("vault-gateway", "NetworkPolicy", "vault-gateway")["spec"]["podSelector"]["matchLabels"]["app"] = (
        "valut-gateway"
    )


@case(SEMANTICS, "blackbox-exporter", rejected=False)
def service_monitor_port_name(w: Workspace) -> None:
    """blackbox-exporter: the ServiceMonitor scrapes port 'metrics' by habit; the Service's port is 'http'."""
    w.edit("blackbox-exporter", "ServiceMonitor", "blackbox-exporter")["spec"]["endpoints"][0]["port"] = "metrics"


@case(SEMANTICS, "nick-brothers", rejected=False, warning=True)
def disruption_budget_selector_typo(w: Workspace) -> None:
    """nick-brothers: the backend's PodDisruptionBudget selects app 'nick-brothers-backend' (the pods say 'backend')."""
    w.edit("nick-brothers", "PodDisruptionBudget", "backend-pdb")["spec"]["selector"]["matchLabels"]["app"] = (
        "nick-brothers-backend"
    )


# == 5. references ============================================================================


@case(REFERENCES, "claude-code", rejected=False)
def secret_key_ref_name_typo(w: Workspace) -> None:
    """claude-code: the OAuth token's secretKeyRef names Secret 'claude-oauth' (it is 'claude-code-oauth')."""
    c = container(w.edit("claude-code", "Deployment", "claude-code"))
    env_item(c, "CLAUDE_CODE_OAUTH_TOKEN")["valueFrom"]["secretKeyRef"]["name"] = "claude-oauth"


@case(REFERENCES, "apisix", rejected=False)
def configmap_volume_typo(w: Workspace) -> None:
    """apisix: the config volume names ConfigMap 'apisix-config' (it is 'apisix-conf')."""
    for volume in pod(w.edit("apisix", "Deployment", "apisix"))["volumes"]:
        if volume.get("configMap", {}).get("name") == "apisix-conf":
            volume["configMap"]["name"] = "apisix-config"


@case(REFERENCES, "linkding", rejected=False)
def pvc_claim_typo(w: Workspace) -> None:
    """linkding: claimName 'linkding-data-pvc' (the claim is 'linkding-data-nfs-pvc')."""
    volume = pod(w.edit("linkding", "Deployment", "linkding"))["volumes"][0]
    volume["persistentVolumeClaim"]["claimName"] = "linkding-data-pvc"


@case(REFERENCES, "oura-agent", rejected=False)
def service_account_typo(w: Workspace) -> None:
    """oura-agent: serviceAccountName 'oura-agent-sa' (the account is 'oura-agent')."""
    pod(w.edit("oura-agent", "Deployment", "oura-agent"))["serviceAccountName"] = "oura-agent-sa"


@case(REFERENCES, "nick-brothers", rejected=False)
def ingress_service_typo(w: Workspace) -> None:
    """nick-brothers: the website Ingress sends to Service 'nick-brothers-website' (it is 'website')."""
    rule = w.edit("nick-brothers", "Ingress", "nick-brothers-website")["spec"]["rules"][0]
    rule["http"]["paths"][0]["backend"]["service"]["name"] = "nick-brothers-website"


@case(REFERENCES, "ollama-webui", rejected=False)
def cluster_issuer_typo(w: Workspace) -> None:
    """ollama-webui: cert-manager.io/cluster-issuer 'letsencrypt-prod' (it is 'letsencrypt-production')."""
    notes = w.edit("ollama-webui", "Ingress", "ollama-webui")["metadata"]["annotations"]
    notes["cert-manager.io/cluster-issuer"] = "letsencrypt-prod"


@case(REFERENCES, "whisperx", rejected=False)
def ingress_class_from_docs(w: Workspace) -> None:
    """whisperx: ingressClassName 'nginx' copied from upstream docs (the cluster runs traefik)."""
    w.edit("whisperx", "Ingress", "whisperx-api")["spec"]["ingressClassName"] = "nginx"


@case(REFERENCES, "ollama-jetson2", rejected=False)
def storage_class_old_name(w: Workspace) -> None:
    """ollama-jetson2: storageClassName 'nfs-csi', the class's name before the v2 migration."""
    w.edit("ollama-jetson2", "PersistentVolumeClaim", "ollama-jetson2-models")["spec"]["storageClassName"] = "nfs-csi"


@case(REFERENCES, "futures-trader", rejected=False)
def pull_secret_of_other_apps(w: Workspace) -> None:
    """futures-trader: imagePullSecrets 'dockerhub-secret', the name other apps use (here it is 'dockerhub-registry')."""
    pod(w.edit("futures-trader", "Deployment", "futures-trader"))["imagePullSecrets"] = [{"name": "dockerhub-secret"}]


@case(REFERENCES, "headlamp", rejected=False)
def ingress_tls_secret_typo(w: Workspace) -> None:
    """headlamp: the Ingress's tls.secretName 'headlamp-tls-cert' (the certificate's Secret is 'headlamp-tls';
    no cert-manager annotation creates one)."""
    w.edit("headlamp", "Ingress", "headlamp")["spec"]["tls"][0]["secretName"] = "headlamp-tls-cert"


@case(REFERENCES, "wger", rejected=False)
def secret_store_name_variant(w: Workspace) -> None:
    """wger: an ExternalSecret's secretStoreRef is 'aws-secret-store' (here the store is 'aws-secrets-store')."""
    spec = w.edit("wger", "ExternalSecret", "wger-db-credentials-from-aws")["spec"]
    spec["secretStoreRef"]["name"] = "aws-secret-store"


@case(REFERENCES, "oura-agent", rejected=False)
def role_binding_role_typo(w: Workspace) -> None:
    """oura-agent: the RoleBinding's roleRef names Role 'oura-agent-role' (it is 'oura-agent')."""
    w.edit("oura-agent", "RoleBinding", "oura-agent")["roleRef"]["name"] = "oura-agent-role"


@case(REFERENCES, "langfuse", rejected=False)
def helm_repository_typo(w: Workspace) -> None:
    """langfuse: the HelmRelease's chart sourceRef names HelmRepository 'langfuse-charts' (it is 'langfuse')."""
    chart = w.edit("langfuse", "HelmRelease", "langfuse")["spec"]["chart"]["spec"]
    chart["sourceRef"]["name"] = "langfuse-charts"


@case(REFERENCES, "postgres-cluster", rejected=False)
def cnpg_bootstrap_secret_typo(w: Workspace) -> None:
    """postgres-cluster: the CNPG Cluster's initdb secret is 'app-user-credentials' (it is 'app-user-secret')."""
    spec = w.edit("postgres-cluster", "Cluster", "postgres-cluster")["spec"]
    spec["bootstrap"]["initdb"]["secret"]["name"] = "app-user-credentials"


@case(REFERENCES, "withings-collector", rejected=False)
def tunnel_credentials_other_apps_name(w: Workspace) -> None:
    """withings-collector: cloudflared's credentials volume names 'tunnel-credentials-secret',
    the name other apps use (here the Secret is 'tunnel-credentials')."""
    for volume in pod(w.edit("withings-collector", "Deployment", "cloudflared"))["volumes"]:
        if "secret" in volume:
            volume["secret"]["secretName"] = "tunnel-credentials-secret"


@case(REFERENCES, "kokoro", rejected=True)
def object_in_missing_namespace(w: Workspace) -> None:
    """kokoro: the NodePort Service is put in namespace 'kokoro-tts', which does not exist (the API server's
    NamespaceLifecycle admission refuses it)."""
    w.edit("kokoro", "Service", "kokoro-nodeport")["metadata"]["namespace"] = "kokoro-tts"


@case(REFERENCES, "pv-browser", rejected=False)
def middleware_without_namespace(w: Workspace) -> None:
    """pv-browser: the Traefik middleware annotation drops the namespace prefix, 'lan-only@kubernetescrd'."""
    notes = w.edit("pv-browser", "Ingress", "pv-browser")["metadata"]["annotations"]
    notes["traefik.ingress.kubernetes.io/router.middlewares"] = "lan-only@kubernetescrd"


@case(REFERENCES, "flux", rejected=False)
def flux_depends_on_typo(w: Workspace) -> None:
    """flux: the apps Kustomization depends on 'fako-infrastructure-config' (it is '-configs')."""
    depends = w.edit("flux", "Kustomization", "fako-apps")["spec"]["dependsOn"]
    for item in depends:
        if item["name"] == "fako-infrastructure-configs":
            item["name"] = "fako-infrastructure-config"


# == 6. security ==============================================================================


@case(SECURITY, "sftp-server", rejected=False)
def privileged_container(w: Workspace) -> None:
    """sftp-server: the container is made privileged to fix a chroot permission error."""
    c = container(w.edit("sftp-server", "Deployment", "sftp-server"))
    c.setdefault("securityContext", {})["privileged"] = True


@case(SECURITY, "ig-inbox-uploader", rejected=False)
def host_network(w: Workspace) -> None:
    """ig-inbox-uploader: hostNetwork: true to reach a device on the LAN."""
    pod(w.edit("ig-inbox-uploader", "Deployment", "ig-inbox-uploader"))["hostNetwork"] = True


@case(SECURITY, "housekeeping", rejected=False)
def host_pid(w: Workspace) -> None:
    """housekeeping: hostPID: true so the cleanup script can see node processes."""
    pod(w.edit("housekeeping", "CronJob", "housekeeping"))["hostPID"] = True


@case(SECURITY, "dji-media", rejected=False)
def host_path_root(w: Workspace) -> None:
    """dji-media: the node's / is mounted at /host to browse files."""
    m = w.edit("dji-media", "Deployment", "dji-media")
    pod(m)["volumes"].append({"name": "host", "hostPath": {"path": "/"}})
    container(m).setdefault("volumeMounts", []).append({"name": "host", "mountPath": "/host", "readOnly": True})


@case(SECURITY, "claude-code", rejected=False)
def sys_admin_capability(w: Workspace) -> None:
    """claude-code: SYS_ADMIN added so a FUSE filesystem can be mounted."""
    c = container(w.edit("claude-code", "Deployment", "claude-code"))
    c.setdefault("securityContext", {}).setdefault("capabilities", {})["add"] = ["SYS_ADMIN"]


@case(SECURITY, "zi", rejected=False)
def cluster_admin_binding(w: Workspace) -> None:
    """zi: the operator's ClusterRoleBinding points at cluster-admin 'until the role is finished'."""
    w.edit("zi", "ClusterRoleBinding", "zi-k8s-operator")["roleRef"]["name"] = "cluster-admin"


@case(SECURITY, "n8n", rejected=False)
def privilege_escalation_as_root(w: Workspace) -> None:
    """n8n: allowPrivilegeEscalation: true and runAsUser 0 to install a package at start."""
    c = container(w.edit("n8n", "Deployment", "n8n"))
    c.setdefault("securityContext", {}).update({"allowPrivilegeEscalation": True, "runAsUser": 0})


@case(SECURITY, "gitleaks", rejected=False)
def container_runtime_socket(w: Workspace) -> None:
    """gitleaks: the node's containerd socket is mounted to scan images."""
    m = w.edit("gitleaks", "CronJob", "gitleaks-scanner")
    socket = "/run/k3s/containerd/containerd.sock"
    pod(m)["volumes"].append({"name": "containerd", "hostPath": {"path": socket, "type": "Socket"}})
    container(m)["volumeMounts"].append({"name": "containerd", "mountPath": socket})


@case(SECURITY, "backstage", rejected=False)
def wildcard_cluster_role(w: Workspace) -> None:
    """backstage: the reader ClusterRole is widened to every verb on every resource to fix a 403."""
    w.edit("backstage", "ClusterRole", "backstage-kubernetes-reader")["rules"] = [
        {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}
    ]
    w.involve("ClusterRoleBinding/backstage-kubernetes-reader")  # what the widened role now grants


# == 7. secrets ===============================================================================


@case(SECRETS, "linkding", rejected=False)
def plaintext_secret(w: Workspace) -> None:
    """linkding: the env Secret is written by hand as a plain Secret with stringData."""
    password = _fake("", _ALNUM, 20, "linkding")
    w.add(
        "linkding",
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "linkding-container-env", "namespace": "linkding"},
            "stringData": {"LD_SUPERUSER_NAME": "admin", "LD_SUPERUSER_PASSWORD": password},
        },
    )


@case(SECRETS, "umami", rejected=False)
def secret_in_secret_list(w: Workspace) -> None:
    """umami: a `kubectl get secret -o yaml` export (a v1 List holding the Secret) is committed next to the app."""
    value = base64.b64encode(_fake("", _ALNUM, 32, "umami").encode()).decode()
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "umami-app-secret", "namespace": "umami"},
        "type": "Opaque",
        "data": {"APP_SECRET": value},
    }
    w.add("umami", {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [secret]})


@case(SECRETS, "vault-watchdog", rejected=False)
def aws_key_in_configmap(w: Workspace) -> None:
    """vault-watchdog: an AWS access key pair is added to the watchdog's ConfigMap for an S3 upload."""
    data = w.edit("vault-watchdog", "ConfigMap", "vault-watchdog").setdefault("data", {})
    data["AWS_ACCESS_KEY_ID"] = _fake("AKIA", _UPPER[:26] + "234567", 16, "vault-watchdog")
    data["AWS_SECRET_ACCESS_KEY"] = _fake("", _ALNUM, 40, "vault-watchdog-secret")


@case(SECRETS, "gitleaks", rejected=False)
def github_token_literal(w: Workspace) -> None:
    """gitleaks: GITHUB_TOKEN is pasted as a literal env value instead of the secretKeyRef."""
    c = container(w.edit("gitleaks", "CronJob", "gitleaks-scanner"))
    token = _fake("ghp_", _ALNUM, 36, "gitleaks")
    env = c.setdefault("env", [])
    for item in env:
        if item["name"] == "GITHUB_TOKEN":
            item.pop("valueFrom", None)
            item["value"] = token
            return
    env.append({"name": "GITHUB_TOKEN", "value": token})


@case(SECRETS, "keycloak", rejected=False)
def sops_block_over_cleartext(w: Workspace) -> None:
    """keycloak: a decrypted Secret is committed with the sops: block of the encrypted file pasted back on."""
    enc = "ENC[AES256_GCM,data:" + _fake("", _ALNUM, 44, "mac") + ",iv:" + _fake("", _ALNUM, 43, "iv") + "=,tag:"
    enc += _fake("", _ALNUM, 22, "tag") + "==,type:str]"
    w.add(
        "keycloak",
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "keycloak-admin", "namespace": "keycloak"},
            "type": "Opaque",
            "stringData": {"KEYCLOAK_ADMIN": "admin", "KEYCLOAK_ADMIN_PASSWORD": _fake("", _ALNUM, 24, "keycloak")},
            "sops": {
                "age": [{"recipient": "age1" + _fake("", "qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58, "age"), "enc": ""}],
                "lastmodified": "2025-06-01T10:00:00Z",
                "mac": enc,
                "encrypted_regex": "^(data|stringData)$",
                "version": "3.9.4",
            },
        },
    )


@case(SECRETS, "wger", rejected=False)
def password_env_literal(w: Workspace) -> None:
    """wger: the init Job's POSTGRES_PASSWORD is set to a literal to test a connection."""
    item = env_item(container(w.edit("wger", "Job", "wger-db-init")), "POSTGRES_PASSWORD")
    item.pop("valueFrom")
    item["value"] = _fake("", _ALNUM, 16, "wger")


@case(SECRETS, "claude-code", rejected=False)
def private_key_in_configmap(w: Workspace) -> None:
    """claude-code: the private key is pasted into the authorized_keys ConfigMap instead of the public one."""
    body = base64.b64encode(hashlib.sha512(b"claude-code").digest() * 6).decode()
    key = "\n".join(
        ["-----BEGIN " + "OPENSSH PRIVATE KEY-----", *_lines(body), "-----END " + "OPENSSH PRIVATE KEY-----"]
    )
    w.edit("claude-code", "ConfigMap", "claude-code-ssh-pubkey")["data"]["authorized_keys"] = key + "\n"


@case(SECRETS, "thornus", rejected=False)
def database_url_with_password(w: Workspace) -> None:
    """thornus: DATABASE_URL with the password in it is added to the app's ConfigMap."""
    password = _fake("", _ALNUM, 18, "thornus")
    url = f"postgresql://thornus:{password}@postgres-cluster-rw.postgres.svc.cluster.local:5432/thornus"
    w.edit("thornus", "ConfigMap", "thornus-config").setdefault("data", {})["DATABASE_URL"] = url


# == 8. identities and hosts ==================================================================


@case(IDENTITIES, "autobots", rejected=False)
def copied_deployment_not_renamed(w: Workspace) -> None:
    """autobots: a sixth agent is copied from 'autobots-agent-kira' and its name is not changed."""
    agent = copy.deepcopy(w.read("autobots", "Deployment", "autobots-agent-kira"))
    for item in container(agent).get("env", []):
        if item.get("value") == "kira":
            item["value"] = "zane"
    w.add("autobots", agent)


@case(IDENTITIES, "piper-v13", rejected=False)
def copied_app_keeps_namespace(w: Workspace) -> None:
    """piper-v13: copied from piper, the namespace is left as 'piper' (its Namespace object clashes with piper's)."""
    for m in w.edit_app("piper-v13"):
        meta = m["metadata"]
        if m["kind"] == "Namespace":
            meta["name"] = "piper"
        elif "namespace" in meta:
            meta["namespace"] = "piper"


@case(IDENTITIES, "ollama-jetson", rejected=False)
def ingress_host_copied(w: Workspace) -> None:
    """ollama-jetson: the Ingress is copied from ollama's, host 'ollama.landryzetam.net' unchanged."""
    spec = w.edit("ollama-jetson", "Ingress", "ollama-jetson")["spec"]
    spec["rules"][0]["host"] = "ollama.landryzetam.net"
    for tls in spec.get("tls", []):
        tls["hosts"] = ["ollama.landryzetam.net"]


@case(IDENTITIES, "n8n", rejected=False, warning=True)
def ingress_for_tunnel_host(w: Workspace) -> None:
    """n8n: an Ingress is added for n8n.landryzetam.net, which the Cloudflare tunnel already routes."""
    w.add(
        "n8n",
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": "n8n",
                "namespace": "n8n",
                "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt-production"},
            },
            "spec": {
                "ingressClassName": "traefik",
                "rules": [
                    {
                        "host": "n8n.landryzetam.net",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": "n8n", "port": {"number": 5678}}},
                                }
                            ]
                        },
                    }
                ],
                "tls": [{"hosts": ["n8n.landryzetam.net"], "secretName": "n8n-tls"}],
            },
        },
    )


@case(IDENTITIES, "sports-bets", rejected=False)
def tunnel_id_copied(w: Workspace) -> None:
    """sports-bets: the cloudflared config is copied from soccer-banter's with its tunnel id."""
    theirs = w.read("soccer-banter", "ConfigMap", "cloudflared")["data"]["config.yaml"].split("\n")[0]
    data = w.edit("sports-bets", "ConfigMap", "cloudflared")["data"]
    lines = data["config.yaml"].split("\n")
    data["config.yaml"] = "\n".join([theirs, *lines[1:]])


@case(IDENTITIES, "autobots", rejected=False)
def tunnel_host_twice(w: Workspace) -> None:
    """autobots: a route for banter.landryzetam.net is added to the autobots tunnel (soccer-banter's tunnel has it)."""
    data = w.edit("autobots", "ConfigMap", "cloudflared")["data"]
    lines = data["config.yaml"].split("\n")
    at = next((i for i, line in enumerate(lines) if line.strip() == "- hostname: autobots.landryzetam.net"), None)
    if at is None:
        raise LookupError("autobots' tunnel config changed: update the case")
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    extra = [f"{indent}- hostname: banter.landryzetam.net", f"{indent}  service: http://autobots-ui:3000"]
    data["config.yaml"] = "\n".join([*lines[:at], *extra, *lines[at:]])


@case(IDENTITIES, "open-webui", rejected=False)
def external_secrets_same_target(w: Workspace) -> None:
    """open-webui: an ExternalSecret copied from another keeps its target name 'ollama-endpoints'."""
    w.edit("open-webui", "ExternalSecret", "gpustack-api-secret")["spec"]["target"]["name"] = "ollama-endpoints"
    w.involve("Secret/open-webui/ollama-endpoints")


@case(IDENTITIES, "zeroed", rejected=False)
def ingress_path_twice(w: Workspace) -> None:
    """zeroed: the API Ingress's path becomes '/' (the frontend Ingress serves '/' on the same host)."""
    rule = w.edit("zeroed", "Ingress", "zeroed-api")["spec"]["rules"][0]
    rule["http"]["paths"][0]["path"] = "/"
