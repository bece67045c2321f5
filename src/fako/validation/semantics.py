"""Cross-object semantics: what the kubelet, the endpoints controller, Flux, cloudflared
and the scheduler resolve only once the objects run.

The API server accepts every object these checks look at; the mistakes show later, as
a probe that always fails, a Service without endpoints, a container stuck in
`CreateContainerConfigError`, a Flux layer that does not build, a tunnel answering 502,
or pods Pending for lack of GPUs. Each check's docstring cites its source (the
Kubernetes code path at v1.34, or the project's documentation).

Every lookup goes through an index by namespace and name built in one pass, so a run
stays linear in the number of objects. (Certificate issuers, Flux sources and chart
sources are reference checks: `fako.validation.references`.)
"""

from __future__ import annotations

import difflib
import ipaddress
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fako.rendered import RenderedObject
from fako.validation.facts import NodePool
from fako.validation.findings import Finding, finding
from fako.validation.hosts import tunnels
from fako.validation.inventory import Inventory, group_of
from fako.validation.pods import PodTemplate, mapping, pod_templates, sequence
from fako.validation.scheduling import fitting_pools

__all__ = [
    "check_data_keys",
    "check_flux_paths",
    "check_gpu_capacity",
    "check_probe_ports",
    "check_service_target_ports",
    "check_tunnel_services",
]

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HOOKS = ("postStart", "preStop")


def _shown_ports(ports: Sequence[dict[str, Any]]) -> str:
    """`8080/http, 9090` for a list of container ports."""
    shown = [f"{p.get('containerPort')}{'/' + str(p['name']) if p.get('name') else ''}" for p in ports]
    return ", ".join(shown) if shown else "none"


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    """`did you mean 'x'? ` for the closest of a few `options` (case first), or ""."""
    same = [o for o in options if o.lower() == word.lower()]
    close = same or difflib.get_close_matches(word, options, n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def _is_port_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -- 1. probe ports ------------------------------------------------------------------------


def _handler_ports(container: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(field path inside the container, what it is, port) of every probe and lifecycle hook."""
    for probe in _PROBES:
        body = mapping(container.get(probe))
        for handler in ("httpGet", "tcpSocket", "grpc"):
            if "port" in mapping(body.get(handler)):
                yield f"{probe}.{handler}.port", probe, body[handler]["port"]
    lifecycle = mapping(container.get("lifecycle"))
    for hook in _HOOKS:
        body = mapping(lifecycle.get(hook))
        for handler in ("httpGet", "tcpSocket"):
            if "port" in mapping(body.get(handler)):
                yield f"lifecycle.{hook}.{handler}.port", f"{hook} hook", body[handler]["port"]


def check_probe_ports(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Probe and lifecycle-hook ports the container does not declare.

    A port *name* resolves only among the container's own `ports[].name`; otherwise the
    kubelet fails the probe with `port "x" not found` every time, so the pod never gets
    ready (or is restarted forever): an error. Source: pkg/probe/util.go
    `ResolveContainerPort`/`findPortByName` (probes) and pkg/kubelet/lifecycle/handlers.go
    `resolvePort` (hooks), Kubernetes v1.34. A port *number* the container does not
    declare is probed anyway and works when the process listens there: a warning, since
    it is most often a typo or a port that moved.
    """
    for obj in objects:
        for template in pod_templates(obj):
            for field in ("initContainers", "containers"):
                for i, container in enumerate(sequence(template.spec.get(field))):
                    yield from _container_probe_ports(obj, f"{template.at}.{field}[{i}]", mapping(container))


def _container_probe_ports(obj: RenderedObject, at: str, container: dict[str, Any]) -> Iterator[Finding]:
    ports = [mapping(p) for p in sequence(container.get("ports"))]
    names = {str(p["name"]) for p in ports if p.get("name")}
    numbers = {p.get("containerPort") for p in ports}
    cname = f"container '{container.get('name', '?')}'"
    for where, what, port in _handler_ports(container):
        if isinstance(port, str) and port not in names:
            fix = _did_you_mean(port, sorted(names))
            yield finding(
                obj,
                "probe.port",
                f"{cname} {what} names port '{port}', which the container does not declare "
                f"(its ports: {_shown_ports(ports)}); the kubelet cannot resolve it, so the {what} always fails",
                f"{fix}declare the port (ports: [{{name: {port}, containerPort: ...}}]) or use a declared one",
                field=f"{at}.{where}",
                value=port,
            )
        elif _is_port_number(port) and port not in numbers:
            yield finding(
                obj,
                "probe.port",
                f"{cname} {what} uses port {port}, which the container does not declare "
                f"(its ports: {_shown_ports(ports)})",
                "declare the port in the container's ports[], or use a declared one",
                severity="warning",
                field=f"{at}.{where}",
                value=str(port),
            )


# -- 1b. Service target ports --------------------------------------------------------------


@dataclass(frozen=True)
class _Pod:
    """A pod template's labels and the ports the endpoints controller looks a name up in."""

    template: PodTemplate
    ports: tuple[dict[str, Any], ...]

    @property
    def label(self) -> str:
        return f"{self.template.obj.kind} {self.template.obj.name}"


def _service_ports_of(spec: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """Ports of the containers and of the sidecars (init containers with restartPolicy Always)."""
    found: list[dict[str, Any]] = []
    for container in sequence(spec.get("containers")):
        found.extend(mapping(p) for p in sequence(mapping(container).get("ports")))
    for container in sequence(spec.get("initContainers")):
        if mapping(container).get("restartPolicy") == "Always":
            found.extend(mapping(p) for p in sequence(mapping(container).get("ports")))
    return tuple(found)


def _pods_by_namespace(objects: Sequence[RenderedObject]) -> dict[str, list[_Pod]]:
    pods: dict[str, list[_Pod]] = {}
    for obj in objects:
        for template in pod_templates(obj):
            pods.setdefault(obj.namespace, []).append(_Pod(template, _service_ports_of(template.spec)))
    return pods


def check_service_target_ports(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Service `targetPort`s that no container of the selected pods declares.

    A named targetPort is looked up (name and protocol) among the containers and sidecar
    init containers of each selected pod; a pod without it is left out of the Service's
    endpoints, so when no selected pod declares it the Service has none: an error.
    Source: staging/src/k8s.io/endpointslice/utils.go `FindPort` (used by the
    EndpointSlice controller), Kubernetes v1.34. A numeric targetPort is used as it is:
    when no selected container declares it, a warning (most often a typo). Services
    whose selector matches no rendered pod template are `ref.service-selector`'s concern.
    """
    pods = _pods_by_namespace(objects)
    for obj in objects:
        if obj.kind != "Service" or group_of(obj.manifest) != "":
            continue
        spec = mapping(obj.manifest.get("spec"))
        selector = mapping(spec.get("selector"))
        if not selector or spec.get("type") == "ExternalName":
            continue
        selected = [
            p for p in pods.get(obj.namespace, ()) if all(p.template.labels.get(k) == v for k, v in selector.items())
        ]
        if selected:
            for i, port in enumerate(sequence(spec.get("ports"))):
                yield from _target_port(obj, i, mapping(port), selected)


def _target_port(obj: RenderedObject, i: int, port: dict[str, Any], selected: list[_Pod]) -> Iterator[Finding]:
    target = port.get("targetPort", port.get("port"))
    protocol = str(port.get("protocol") or "TCP")
    label = f"port '{port['name']}'" if port.get("name") else f"port {port.get('port')}"
    declared = [p for pod in selected for p in pod.ports]
    same_protocol = [p for p in declared if str(p.get("protocol") or "TCP") == protocol]
    workloads = ", ".join(dict.fromkeys(pod.label for pod in selected))
    field = f"spec.ports[{i}].targetPort"
    if isinstance(target, str):
        if any(p.get("name") == target for p in same_protocol):
            return
        names = sorted({str(p["name"]) for p in same_protocol if p.get("name")})
        fix = _did_you_mean(target, names)
        yield finding(
            obj,
            "service.target-port",
            f"{label} targets port name '{target}' ({protocol}), which no container of the pods it selects "
            f"declares ({workloads}: ports {_shown_ports(declared)}); the endpoints controller leaves those pods "
            "out, so the Service has no endpoints",
            f"{fix}name a declared port, or declare '{target}' in the container's ports[]",
            field=field,
            value=target,
        )
    elif _is_port_number(target) and not any(p.get("containerPort") == target for p in same_protocol):
        yield finding(
            obj,
            "service.target-port",
            f"{label} targets port {target} ({protocol}), which no container of the pods it selects declares "
            f"({workloads}: ports {_shown_ports(declared)})",
            "target a declared port, or declare it in the container's ports[]",
            severity="warning",
            field=field,
            value=str(target),
        )


# -- 2. Secret and ConfigMap keys -----------------------------------------------------------


@dataclass(frozen=True)
class _KeyRef:
    kind: str
    name: str
    key: str
    where: str


def _key_refs(template: PodTemplate) -> Iterator[_KeyRef]:
    """Every non-optional key a pod reads from a Secret or ConfigMap (env and volume items)."""
    spec = template.spec
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for container in sequence(spec.get(field)):
            cname = f"container '{mapping(container).get('name', '?')}'"
            for env in sequence(mapping(container).get("env")):
                source = mapping(mapping(env).get("valueFrom"))
                for ref_field, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                    ref = mapping(source.get(ref_field))
                    if ref.get("name") and ref.get("key") and not ref.get("optional"):
                        where = f"{cname} env {mapping(env).get('name', '?')}"
                        yield _KeyRef(kind, str(ref["name"]), str(ref["key"]), where)
    for volume in sequence(spec.get("volumes")):
        volume = mapping(volume)
        where = f"volume '{volume.get('name', '?')}'"
        sources = [
            ("Secret", mapping(volume.get("secret")), "secretName"),
            ("ConfigMap", mapping(volume.get("configMap")), "name"),
        ]
        for projected in sequence(mapping(volume.get("projected")).get("sources")):
            sources.append(("Secret", mapping(mapping(projected).get("secret")), "name"))
            sources.append(("ConfigMap", mapping(mapping(projected).get("configMap")), "name"))
        for kind, source, name_field in sources:
            if source.get(name_field) and not source.get("optional"):
                for item in sequence(source.get("items")):
                    if mapping(item).get("key"):
                        yield _KeyRef(kind, str(source[name_field]), str(item["key"]), f"{where} items")


def check_data_keys(objects: Sequence[RenderedObject], inventory: Inventory) -> Iterator[Finding]:
    """`secretKeyRef`/`configMapKeyRef` keys and volume `items[].key`s the object lacks.

    The kubelet fails a container whose env names a missing key
    (`CreateContainerConfigError: couldn't find key X in Secret ns/name`,
    pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables`) and a volume whose items name
    one (pkg/volume/secret and pkg/volume/configmap `MakePayload`: "references
    non-existent secret key"), Kubernetes v1.34. The keys come from `Inventory.keys`: a
    rendered ConfigMap's or Secret's (SOPS files keep key names in clear), an
    ExternalSecret's target or template keys, cert-manager's `tls.crt`/`tls.key`/`ca.crt`.
    Unknown keys (external objects, `dataFrom`, absent SOPS files) and `optional: true`
    references are skipped.
    """
    for obj in objects:
        for template in pod_templates(obj):
            missing: dict[tuple[str, str, str], list[str]] = {}
            for ref in _key_refs(template):
                keys = inventory.keys(ref.kind, obj.namespace, ref.name)
                if keys is not None and ref.key not in keys:
                    places = missing.setdefault((ref.kind, ref.name, ref.key), [])
                    if ref.where not in places:
                        places.append(ref.where)
            for (kind, name, key), places in missing.items():
                held_keys = sorted(inventory.keys(kind, obj.namespace, name) or ())
                held = ", ".join(held_keys) if held_keys else "no keys"
                fix = _did_you_mean(key, held_keys)
                yield finding(
                    obj,
                    "ref.secret-key" if kind == "Secret" else "ref.configmap-key",
                    f"{', '.join(places)} {'reads' if len(places) == 1 else 'read'} key '{key}' of {kind} "
                    f"'{name}', which will hold only {held}; the kubelet refuses to start the container",
                    f"{fix}use one of its keys, or add '{key}' where the {kind} is made",
                    field=template.at,
                    value=f"{name}/{key}",
                )


# -- 4. Flux paths --------------------------------------------------------------------------

_FLUX_LAYER = "flux"


def _folders(objects: Sequence[RenderedObject]) -> set[str]:
    """Every folder of the rendered tree that holds an object (at any depth)."""
    folders: set[str] = set()
    for obj in objects:
        folder = posixpath.dirname(obj.path)
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return folders


def check_flux_paths(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Layer Kustomizations whose `spec.path` is not a folder of the rendered tree.

    The Kustomizations in layer `flux` that read a GitRepository rendered in that layer
    (the build branch holding this very tree) apply `./<layer>` of it; Flux fails the
    whole Kustomization when the folder is missing ("kustomization path not found",
    fluxcd/kustomize-controller `internal/controller/kustomization_controller.go`,
    docs: fluxcd.io/flux/components/kustomize/kustomizations/#path), so every layer they
    name must be in the render.
    """
    sources = {
        (o.namespace, o.name)
        for o in objects
        if o.layer == _FLUX_LAYER and o.kind == "GitRepository" and group_of(o.manifest) == "source.toolkit.fluxcd.io"
    }
    if not sources:
        return
    folders = _folders(objects)
    tops = sorted({f.split("/")[0] for f in folders})
    for obj in objects:
        if obj.layer != _FLUX_LAYER or obj.kind != "Kustomization":
            continue
        if group_of(obj.manifest) != "kustomize.toolkit.fluxcd.io":
            continue
        spec = mapping(obj.manifest.get("spec"))
        source = mapping(spec.get("sourceRef"))
        if source.get("kind") != "GitRepository":
            continue
        if (str(source.get("namespace") or obj.namespace), str(source.get("name"))) not in sources:
            continue
        raw = str(spec.get("path") or "")
        path = posixpath.normpath(raw.removeprefix("./")).strip("/") if raw else ""
        if path in ("", ".") or path in folders:
            continue
        fix = _did_you_mean(path, tops).replace("mean '", "mean './")
        yield finding(
            obj,
            "flux.path",
            f"spec.path '{raw}' is not a folder of the rendered tree that GitRepository "
            f"'{source.get('name')}' serves, so Flux fails this Kustomization (kustomization path not found)",
            f"{fix}the tree's folders are {', '.join('./' + t for t in tops)}; render the layer, or fix the path",
            field="spec.path",
            value=raw,
        )


# -- 5. tunnel routes -----------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ssh": 22, "rdp": 3389, "smb": 445}
_ORIGIN_SCHEMES = frozenset({*_DEFAULT_PORTS, "tcp"})
_CLUSTER_SUFFIXES = (".svc.cluster.local", ".svc")


def _route_target(host: str, namespace: str, inventory: Inventory) -> tuple[str, str] | None:
    """(namespace, Service) a route's host names inside the cluster; None for hosts outside
    (IP addresses, public names)."""
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    for suffix in _CLUSTER_SUFFIXES:
        if host.endswith(suffix):
            parts = host.removesuffix(suffix).split(".")
            return (parts[1], parts[0]) if len(parts) == 2 else None
    if "." not in host:
        return namespace, host
    parts = host.split(".")
    if len(parts) == 2 and inventory.exists("Namespace", "", parts[1]):
        return parts[1], parts[0]  # <service>.<namespace>, through the pod's DNS search path
    return None


def check_tunnel_services(objects: Sequence[RenderedObject], inventory: Inventory) -> Iterator[Finding]:
    """Cloudflare tunnel routes whose `service:` names no Service, or a port it lacks.

    cloudflared proxies each hostname to its `service:` origin URL (`http://name:port`,
    `https://name.ns.svc.cluster.local:port`, `tcp://...`; docs:
    developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/
    local-management/configuration-file/); inside the pod the host resolves through the
    cluster DNS, so a Service that does not exist, or a port it does not serve, makes
    every request to that hostname a 502. Routes to `http_status:NNN`, `hello_world`,
    unix sockets, IP addresses and public names are not checked, nor is the catch-all
    rule (it has no hostname), nor a Service's port list when the Service is external.
    """
    all_tunnels, _ = tunnels(objects)
    for tunnel in all_tunnels:
        ns = tunnel.obj.namespace
        for hostname, service in tunnel.routes:
            url = urlsplit(service)
            if url.scheme not in _ORIGIN_SCHEMES or not url.hostname:
                continue
            target = _route_target(url.hostname.lower(), ns, inventory)
            if target is None:
                continue
            target_ns, name = target
            field = f"data.{tunnel.key}"
            if not inventory.exists("Service", target_ns, name):
                fix = _did_you_mean(name, inventory.names("Service", target_ns))
                yield finding(
                    tunnel.obj,
                    "tunnel.service",
                    f"route {hostname} goes to {service}: Service '{name}' does not exist in namespace "
                    f"'{target_ns}', so every request to it fails (502)",
                    f"{fix}route to an existing Service, or render it",
                    field=field,
                    value=service,
                )
                continue
            try:
                port = url.port or _DEFAULT_PORTS.get(url.scheme)
            except ValueError:
                port = None  # not a number: the YAML rules report the URL itself
            yield from _tunnel_port(tunnel.obj, inventory, field, hostname, service, (target_ns, name), port)


def _tunnel_port(
    obj: RenderedObject,
    inventory: Inventory,
    field: str,
    hostname: str,
    service: str,
    target: tuple[str, str],
    port: int | None,
) -> Iterator[Finding]:
    ports = inventory.service_ports.get(target)
    rendered = inventory.rendered.get(("Service", *target))
    if port is None or ports is None or rendered is None:
        return  # external Service: its ports are unknown
    if mapping(rendered.manifest.get("spec")).get("type") == "ExternalName":
        return
    if any(p.get("port") == port for p in ports):
        return
    offered = ", ".join(f"{p.get('port')}{'/' + str(p['name']) if p.get('name') else ''}" for p in ports)
    yield finding(
        obj,
        "tunnel.service-port",
        f"route {hostname} goes to {service}: Service '{target[1]}' has no port {port} "
        f"(it serves {offered or 'none'}), so every request to it fails (502)",
        "route to one of the Service's ports (the `port`, not the container's targetPort)",
        field=field,
        value=service,
    )


# -- 6. GPU capacity ------------------------------------------------------------------------


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _pod_demand(spec: dict[str, Any], resource: str) -> int:
    """What one pod asks of an extended resource: limits (requests default to them and
    must equal them for extended resources), init containers overlapping (max of any one
    init container and the sum of the app containers)."""

    def one(container: Any) -> int:
        resources = mapping(mapping(container).get("resources"))
        for side in ("limits", "requests"):
            n = _count(mapping(resources.get(side)).get(resource))
            if n is not None:
                return n
        return 0

    main = sum(one(c) for c in sequence(spec.get("containers")))
    init = max((one(c) for c in sequence(spec.get("initContainers"))), default=0)
    return max(main, init)


def _replicas(obj: RenderedObject) -> int:
    spec = mapping(obj.manifest.get("spec"))
    if obj.kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        n = _count(spec.get("replicas", 1))
    elif obj.kind == "Job":
        n = _count(spec.get("parallelism", 1))
    elif obj.kind == "CronJob":
        n = _count(mapping(mapping(spec.get("jobTemplate")).get("spec")).get("parallelism", 1))
    else:
        n = 1
    return 1 if n is None else n


@dataclass(frozen=True)
class _Demand:
    obj: RenderedObject
    at: str
    pools: frozenset[str]
    amount: int
    """Per pod, times the replicas."""


def check_gpu_capacity(objects: Sequence[RenderedObject], pools: Sequence[NodePool]) -> Iterator[Finding]:
    """GPU (and other extended-resource) requests a node pool cannot hold.

    Extended resources are counted, not overcommitted: the scheduler's NodeResourcesFit
    filter keeps a pod Pending ("Insufficient nvidia.com/gpu") unless one node it may
    run on has that many left (pkg/scheduler/framework/plugins/noderesources/fit.go,
    Kubernetes v1.34). Checked from the facts' `NodePool.allocatable` (for the GPU pool:
    GPUs per node times the device plugin's time-slicing replicas, what
    `fako.patterns.gpu.GpuNodePool.request` checks at synth): a pod asking more than any
    node it fits offers is an error, and so is the sum of pods times replicas over the
    capacity of the pools they can go to (a DaemonSet's pod on every node it fits).
    """
    resources = sorted({r for pool in pools for r in pool.allocatable})
    for resource in resources:
        yield from _capacity(objects, pools, resource)


def _capacity(objects: Sequence[RenderedObject], pools: Sequence[NodePool], resource: str) -> Iterator[Finding]:
    by_name = {p.name: p for p in pools}
    demands: list[_Demand] = []
    for obj in objects:
        for template in pod_templates(obj):
            per_pod = _pod_demand(template.spec, resource)
            if per_pod <= 0:
                continue
            fitting = fitting_pools(template.spec, pools)
            if not fitting:
                continue  # placement itself fails: node.selector / node.taint say why
            offering = [p for p in fitting if p.allocatable.get(resource, 0) >= per_pod]
            if not offering:
                most = max(p.allocatable.get(resource, 0) for p in fitting)
                yield finding(
                    obj,
                    "node.capacity",
                    f"{template.at}: each pod asks for {per_pod} {resource}, but the nodes it can run on "
                    f"({', '.join(p.name for p in fitting)}) offer at most {most} each, so its pods stay Pending",
                    f"ask for at most {most}, select a pool with more, or add time-slicing to the pool",
                    value=f"{per_pod} {resource}",
                )
                continue
            if obj.kind == "DaemonSet":
                demands.extend(_Demand(obj, template.at, frozenset({p.name}), per_pod * p.size) for p in offering)
            else:
                amount = per_pod * _replicas(obj)
                if amount > 0:
                    demands.append(_Demand(obj, template.at, frozenset(p.name for p in offering), amount))
    # Hall's condition, over the few distinct pool sets: the pods that can only go to
    # pools within a set must fit in that set's capacity.
    for group in sorted({d.pools for d in demands}, key=sorted):
        inside = [d for d in demands if d.pools <= group]
        wanted = sum(d.amount for d in inside)
        offered = sum(by_name[name].allocatable.get(resource, 0) * by_name[name].size for name in group)
        if wanted <= offered:
            continue
        names = ", ".join(sorted(group))
        for d in inside:
            others = ", ".join(
                f"{o.obj.kind} {o.obj.namespace}/{o.obj.name} ({o.amount})" for o in inside if o is not d
            )
            together = f" together with {others}" if others else ""
            yield finding(
                d.obj,
                "node.capacity",
                f"{d.at}: asks for {d.amount} {resource}{together}: {wanted} in all, but node pool(s) "
                f"{names} offer {offered}, so {wanted - offered} stay Pending",
                "lower replicas or GPUs per pod, add time-slicing to the pool, or add nodes",
                value=names,
            )
