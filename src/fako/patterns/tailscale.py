"""The Tailscale userspace sidecar: an app reachable on the tailnet without a Service.

Four apps put a second container `tailscale/tailscale` next to their main one. It runs
in userspace (no NET_ADMIN), joins the tailnet as `TS_HOSTNAME` with the tag `tag:k8s`,
keeps its node state on a 64Mi claim `<key>-tailscale-state` so the device survives
restarts, reads its auth key from the ExternalSecret `tailscale-authkey` (AWS key
`tailscale/<key>-authkey`) and serves `https://<hostname>.<tailnet>/` to the main
container's port through the `tailscale-serve` ConfigMap (`serve.json`).

    ts = TailscaleSidecar(self, store, TailscaleSpec(hostname="hume-collector", key="hume"))
    containers=[app_container, ts.container], volumes=ts.volumes

The sidecar's requests (20m CPU, 64Mi) and limits (200m, 128Mi) are the same for every
app; `TailscaleSpec(..., limits={"memory": "256Mi"})` changes one of them for one app.
"""

from __future__ import annotations

from pydantic import Field

from fako import k8s
from fako.constructs.base import DnsName, Spec
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import config_volume, env, mount, pvc_volume, secret_key
from fako.errors import FakoError
from fako.patterns.args import expect
from fako.patterns.aws import AwsSecretStore
from fako.patterns.overrides import ResourceOverrides, with_overrides
from fako.patterns.storage import claim
from fako.tree import Group, Scope

__all__ = ["LIMITS", "REQUESTS", "TailscaleSidecar", "TailscaleSpec", "serve_json"]

STATE_DIR = "/tmp/tsstate"
SERVE_DIR = "/etc/tailscale"
REQUESTS: dict[str, k8s.Quantity] = {"cpu": "20m", "memory": "64Mi"}
"""The sidecar container's resource requests, unless `TailscaleSpec.requests` replaces one.

Example: `TailscaleSpec(hostname="app", key="app", requests={**REQUESTS, "cpu": "50m"})`
"""
LIMITS: dict[str, k8s.Quantity] = {"cpu": "200m", "memory": "128Mi"}
"""The sidecar container's resource limits, unless `TailscaleSpec.limits` replaces one.

Example: `TailscaleSpec(hostname="app", key="app", limits={**LIMITS, "memory": "256Mi"})`
"""


def serve_json(port: int) -> str:
    """The `serve.json` that proxies the tailnet's HTTPS 443 to `127.0.0.1:<port>`.

    Example: `serve_json(8080)`
    """
    expect("serve_json", "port", port, int, "the main container's port as an int (8080)")
    if not 1 <= port <= 65535:
        raise FakoError(f"serve_json: port must be 1-65535, got {port}")
    return (
        '{\n  "TCP": { "443": { "HTTPS": true } },\n  "Web": {\n    "${TS_CERT_DOMAIN}:443": {\n'
        f'      "Handlers": {{ "/": {{ "Proxy": "http://127.0.0.1:{port}" }} }}\n    }}\n  }}\n}}\n'
    )


class TailscaleSpec(Spec):
    """One app's sidecar.

    `hostname` is the tailnet device name; `key` names the state claim
    (`<key>-tailscale-state`) and the AWS auth key (`tailscale/<key>-authkey`);
    `port` is the main container's HTTP port served on 443 (default 8080); `key_property`
    reads the auth key from a JSON property `authkey` instead of the plain secret string.
    `image` defaults to tailscale/tailscale:v1.80.0, `tags` to tag:k8s; the state claim is
    `state_size` (64Mi) on `storage_class` (nfs-csi-v2). `requests`/`limits` replace single
    resources of the sidecar's `REQUESTS` (20m/64Mi) and `LIMITS` (200m/128Mi):
    `limits={"memory": "256Mi"}` raises only the memory limit.

    Example: `TailscaleSpec(hostname="media", key="media", port=8080, key_property=True)`
    """

    hostname: DnsName
    key: DnsName
    port: int = Field(8080, ge=1, le=65535)
    key_property: bool = False
    image: str = "tailscale/tailscale:v1.80.0"
    tags: str = "tag:k8s"
    state_size: str = "64Mi"
    storage_class: str = "nfs-csi-v2"
    requests: ResourceOverrides | None = None
    limits: ResourceOverrides | None = None


class TailscaleSidecar(Group):
    """The sidecar's container and volumes, plus its ConfigMap, state claim and auth key.

    `store` is the app's `AwsSecretStore` (it reads the auth key); `id` names the
    construct (default "tailscale"). Put `container` into the pod's containers and
    `volumes` (or `serve_volume` and `state_volume`) into its volumes.

    Example: `ts = TailscaleSidecar(self, store, TailscaleSpec(hostname="media", key="media"))  # containers=[app, ts.container], volumes=ts.volumes`
    """

    def __init__(self, scope: Scope, store: AwsSecretStore, spec: TailscaleSpec, id: str = "tailscale") -> None:
        expect("TailscaleSidecar", "store", store, AwsSecretStore, "the app's AwsSecretStore")
        expect("TailscaleSidecar", "spec", spec, TailscaleSpec, "a TailscaleSpec(hostname=..., key=...)")
        expect("TailscaleSidecar", "id", id, str, "a str naming the construct")
        super().__init__(scope, id)
        self.spec = spec
        ConfigMap(self, "serve", ConfigMapSpec(name="tailscale-serve", data={"serve.json": serve_json(spec.port)}))
        state = f"{spec.key}-tailscale-state"
        claim(self, state, spec.state_size, storage_class=spec.storage_class, access="ReadWriteOnce")
        remote_key = f"tailscale/{spec.key}-authkey" + ("#authkey" if spec.key_property else "")
        store.secret(
            "tailscale-authkey",
            {"authkey": remote_key},
            template={"data": {"TS_AUTHKEY": "{{ .authkey }}"}, "type": "Opaque"},
        )
        self.container = k8s.Container(
            name="tailscale",
            image=spec.image,
            env=env(
                {
                    "TS_AUTHKEY": secret_key("tailscale-authkey", "TS_AUTHKEY"),
                    "TS_HOSTNAME": spec.hostname,
                    "TS_EXTRA_ARGS": f"--advertise-tags={spec.tags}",
                    "TS_USERSPACE": "true",
                    "TS_KUBE_SECRET": "",
                    "TS_STATE_DIR": STATE_DIR,
                    "TS_SOCKET": f"{STATE_DIR}/tailscaled.sock",
                    "TS_SERVE_CONFIG": f"{SERVE_DIR}/serve.json",
                }
            ),
            resources=with_overrides(REQUESTS, LIMITS, spec.requests, spec.limits),
            volume_mounts=[mount("serve", SERVE_DIR), mount("tsstate", STATE_DIR)],
        )
        self.serve_volume = config_volume("serve", "tailscale-serve")
        self.state_volume = pvc_volume("tsstate", state)

    @property
    def volumes(self) -> list[k8s.Volume]:
        """The pod volumes the sidecar mounts: `serve` then `tsstate`."""
        return [self.serve_volume, self.state_volume]
