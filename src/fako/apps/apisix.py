"""APISIX: the AI gateway in front of the Ollama fleet (the Mac Studios outside the cluster).

A standalone data plane (`config_provider: yaml`, no etcd, no admin API): routes, upstreams
and key-auth consumers are the file `apisix.yaml` (`files/apisix/`), with the consumer keys
and the Ollama Cloud bearer read from env (SOPS Secret `apisix-provider-keys`). Reached
in-cluster at apisix.apisix:9080 and publicly as llm.landryzetam.net through the
social-media tunnel; Prometheus metrics on 9091. Stores nothing.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, env, mount, resources, secret_key, tcp_probe
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

NAME = {"app.kubernetes.io/name": "apisix"}
SELECTOR = {"app": "apisix"}
KEYS = "apisix-provider-keys"
CONF = "/usr/local/apisix/conf"
SCRAPE = {"prometheus.io/path": "/apisix/prometheus/metrics", "prometheus.io/port": "9091",
          "prometheus.io/scrape": "true"}
CHECKSUM = "64e72e69c7fcf2bff813421f12b8977367db093912bf8f887b25c544e4969241"
"""`checksum/config` of the pod template: written by hand, changed to roll the pods on a config edit."""


class Apisix(AppConstruct):
    """Two gateway pods (surge 1, none unavailable) on the `apisix-conf` files, and their Service."""

    name = "apisix"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels=NAME)
        SopsSecret(self, "keys", SopsSecretSpec(name=KEYS))
        files = ("config.yaml", "apisix.yaml")
        ConfigMap(self, "conf", ConfigMapSpec(name="apisix-conf", data={f: read_file(__file__, f) for f in files}))
        service(self, "apisix", labels=NAME, selector=SELECTOR, type=None,
                ports=[port("proxy", 9080, protocol=None), port("metrics", 9091, protocol=None)])
        gateway = k8s.Container(
            name="apisix", image="apache/apisix:3.15.0-debian", image_pull_policy="IfNotPresent",
            env=env({k: secret_key(KEYS, k) for k in ("OLLAMA_CLOUD_AUTH", "APISIX_KEY_SOCIAL", "APISIX_KEY_CLUSTER")}),
            ports=[k8s.ContainerPort(name="proxy", container_port=9080),
                   k8s.ContainerPort(name="metrics", container_port=9091)],
            liveness_probe=tcp_probe(9080, delay=20, period=15), readiness_probe=tcp_probe(9080, delay=5, period=5),
            resources=resources(cpu=("100m", "1"), memory=("256Mi", "512Mi")),
            volume_mounts=[mount("conf", f"{CONF}/{f}", sub_path=f) for f in files])
        deployment(self, "apisix", labels=NAME, selector=SELECTOR, pod_labels={**SELECTOR, **NAME}, replicas=2,
                   pod_annotations={"checksum/config": CHECKSUM, **SCRAPE}, strategy=rolling(1, 0),
                   containers=[gateway], volumes=[config_volume("conf", "apisix-conf")])
