"""Fine-grained tests of apisix, dji-media, kubescape-operator, whisper-cpu, openwakeword and
claude-code, and of the pattern extensions they brought (StaticVolume's in-tree NFS source,
`from_cidr`, `avoid_hosts`/`X86`, LegacyPullSecret's verbs).

Objects are found by kind and name; expected values are literals taken from the cluster's
manifests, so a changed name, selector or placement fails here.
"""

from __future__ import annotations

from typing import Any

import pytest

from fako.apps.apisix import Apisix
from fako.apps.claude_code import ClaudeCode
from fako.apps.dji_media import DjiMedia
from fako.apps.kubescape_operator import KubescapeOperator
from fako.apps.openwakeword import Openwakeword
from fako.apps.whisper_cpu import WhisperCpu
from fako.clusters.staging_apps import APPS
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.netpol import from_cidr, network_policy
from fako.patterns.static_volume import StaticVolume, StaticVolumeSpec
from fako.testing import find, synth
from fako.tree import AppConstruct

Manifest = dict[str, Any]


def pod_spec(workload: Manifest) -> Manifest:
    """The pod spec of a Deployment."""
    spec: Manifest = workload["spec"]["template"]["spec"]
    return spec


def test_live_apps_are_enabled_and_retired_ones_switched_off() -> None:
    enabled = {unit.app.name: unit.enabled for unit in APPS}
    assert {
        name: enabled[name]
        for name in ("apisix", "dji-media", "kubescape-operator", "whisper-cpu", "openwakeword", "claude-code")
    } == {
        "apisix": True,
        "dji-media": True,
        "kubescape-operator": True,
        "whisper-cpu": False,
        "openwakeword": False,
        "claude-code": False,
    }


def test_apisix_gateway_pods_selector_and_config_files() -> None:
    objs = synth(Apisix)
    dep = find(objs, "Deployment", "apisix")
    assert dep["metadata"]["namespace"] == "apisix"
    assert dep["spec"]["selector"] == {"matchLabels": {"app": "apisix"}}
    assert dep["spec"]["replicas"] == 2
    assert dep["spec"]["strategy"] == {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}, "type": "RollingUpdate"}
    assert find(objs, "Service", "apisix")["spec"]["selector"] == {"app": "apisix"}
    (gateway,) = pod_spec(dep)["containers"]
    assert gateway["image"] == "apache/apisix:3.15.0-debian"
    assert [(e["name"], e["valueFrom"]["secretKeyRef"]) for e in gateway["env"]] == [
        ("OLLAMA_CLOUD_AUTH", {"key": "OLLAMA_CLOUD_AUTH", "name": "apisix-provider-keys"}),
        ("APISIX_KEY_SOCIAL", {"key": "APISIX_KEY_SOCIAL", "name": "apisix-provider-keys"}),
        ("APISIX_KEY_CLUSTER", {"key": "APISIX_KEY_CLUSTER", "name": "apisix-provider-keys"}),
    ]
    assert gateway["volumeMounts"] == [
        {"mountPath": "/usr/local/apisix/conf/config.yaml", "name": "conf", "subPath": "config.yaml"},
        {"mountPath": "/usr/local/apisix/conf/apisix.yaml", "name": "conf", "subPath": "apisix.yaml"},
    ]
    conf = find(objs, "ConfigMap", "apisix-conf")["data"]
    assert sorted(conf) == ["apisix.yaml", "config.yaml"]
    assert "    config_provider: yaml\n" in conf["config.yaml"]
    assert conf["apisix.yaml"].endswith("#END\n")


def test_dji_media_archive_volume_is_pinned_read_only_nfs() -> None:
    objs = synth(DjiMedia)
    pv = find(objs, "PersistentVolume", "dji-media-archive")
    assert "namespace" not in pv["metadata"]
    assert pv["metadata"]["labels"] == {"app.kubernetes.io/name": "dji-media"}
    assert pv["spec"]["nfs"] == {
        "path": "/volume/535b39d4-5df9-48cf-9971-da0c32603790/.srv/.unifi-drive/content_inbox/.data",
        "server": "unas.landryzetam.net",
    }
    assert "csi" not in pv["spec"]
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["mountOptions"] == ["ro", "nfsvers=3", "hard", "timeo=600", "retrans=2"]
    pvc = find(objs, "PersistentVolumeClaim", "dji-media-archive")
    assert pvc["metadata"] == {"name": "dji-media-archive", "namespace": "dji-media"}
    assert pvc["spec"] == {
        "accessModes": ["ReadOnlyMany"],
        "resources": {"requests": {"storage": "1Ti"}},
        "storageClassName": "",
        "volumeName": "dji-media-archive",
    }
    state = find(objs, "PersistentVolumeClaim", "dji-media-tailscale-state")
    assert state["spec"]["storageClassName"] == "nfs-csi-v2"
    assert state["spec"]["resources"] == {"requests": {"storage": "64Mi"}}


def test_dji_media_pod_selector_sidecar_and_probe_policy() -> None:
    objs = synth(DjiMedia)
    dep = find(objs, "Deployment", "dji-media")
    assert dep["spec"]["selector"] == {"matchLabels": {"app": "dji-media"}}
    spec = pod_spec(dep)
    assert [c["name"] for c in spec["containers"]] == ["nginx", "tailscale"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert volumes["archive"]["persistentVolumeClaim"] == {"claimName": "dji-media-archive", "readOnly": True}
    assert volumes["tsstate"]["persistentVolumeClaim"] == {"claimName": "dji-media-tailscale-state"}
    ts_env = {e["name"]: e.get("value") for e in spec["containers"][1]["env"]}
    assert ts_env["TS_HOSTNAME"] == "dji-media"
    authkey = find(objs, "ExternalSecret", "tailscale-authkey")["spec"]["data"]
    assert authkey == [
        {"remoteRef": {"key": "tailscale/dji-media-authkey", "property": "authkey"}, "secretKey": "authkey"}
    ]
    assert find(objs, "Service", "dji-media")["spec"]["selector"] == {"app": "dji-media"}
    policy = find(objs, "NetworkPolicy", "dji-media-allow-node-probes")["spec"]
    assert policy == {
        "ingress": [{"from": [{"ipBlock": {"cidr": "10.85.30.0/24"}}], "ports": [{"port": 8080, "protocol": "TCP"}]}],
        "podSelector": {"matchLabels": {"app": "dji-media"}},
        "policyTypes": ["Ingress"],
    }


def test_kubescape_node_agent_runs_only_on_amd64_workers() -> None:
    release = find(synth(KubescapeOperator), "HelmRelease", "kubescape-operator")
    agent = release["spec"]["values"]["nodeAgent"]
    assert agent["nodeSelector"] == {"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}
    assert agent["affinity"] == {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]},
                            {
                                "key": "kubernetes.io/hostname",
                                "operator": "NotIn",
                                "values": ["zz-macbookpro", "jetson01"],
                            },
                        ]
                    }
                ]
            }
        }
    }
    assert agent["image"] == {"tag": "v0.3.147"}


def test_kubescape_chart_source_storage_and_namespace() -> None:
    objs = synth(KubescapeOperator)
    assert {
        o["metadata"].get("namespace")
        for o in objs
        if o["kind"] not in ("Namespace", "ClusterRole", "ClusterRoleBinding")
    } == {"kubescape"}
    release = find(objs, "HelmRelease", "kubescape-operator")["spec"]
    assert release["chart"]["spec"] == {
        "chart": "kubescape-operator",
        "sourceRef": {"kind": "HelmRepository", "name": "kubescape", "namespace": "kubescape"},
        "version": "1.x",
    }
    assert release["values"]["persistence"] == {
        "accessMode": "ReadWriteOnce",
        "size": {"backingStorage": "20Gi", "kubevuln": "10Gi"},
        "storageClass": "nfs-csi-v2",
    }
    assert release["values"]["scanSchedule"]["frameworks"] == [
        {"cronTabSchedule": "0 */6 * * *", "name": "nsa"},
        {"cronTabSchedule": "0 */6 * * *", "name": "mitre"},
        {"cronTabSchedule": "0 2 * * *", "name": "cis-v1.23-t1.0.1"},
    ]
    assert find(objs, "HelmRepository", "kubescape")["spec"] == {
        "interval": "1h",
        "url": "https://kubescape.github.io/helm-charts",
    }
    config = find(objs, "ConfigMap", "kubescape-reporter-config")["data"]
    assert config["FRAMEWORKS"] == "nsa,mitre,cis-v1.23-t1.0.1"


def test_kubescape_reporter_rbac_and_pull_secret_job() -> None:
    objs = synth(KubescapeOperator)
    job_pod = find(objs, "CronJob", "kubescape-reporter")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert job_pod["serviceAccountName"] == "kubescape-reporter"
    assert job_pod["imagePullSecrets"] == [{"name": "dockerhub-registry"}]
    binding = find(objs, "ClusterRoleBinding", "kubescape-reporter")
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": "kubescape-reporter",
    }
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "kubescape-reporter", "namespace": "kubescape"}]
    assert find(objs, "Role", "docker-secret-creator")["rules"] == [
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "create", "delete", "apply", "patch"]}
    ]
    script = find(objs, "Job", "create-docker-registry-secret")["spec"]["template"]["spec"]["containers"][0]
    assert "kubectl delete secret dockerhub-registry -n kubescape --ignore-not-found=true\n" in script["command"][2]
    rule_names = [
        r["alert"] for r in find(objs, "PrometheusRule", "kubescape-vulnerability-alerts")["spec"]["groups"][0]["rules"]
    ]
    assert rule_names == [
        "KubescapeVulnReportingDown",
        "KubescapePrometheusExporterDown",
        "KubescapeRelevantCriticalCVEsHigh",
    ]


@pytest.mark.parametrize(
    ("app", "name", "claim", "size", "node_port", "port"),
    [
        (WhisperCpu, "whisper-cpu", "whisper-cpu-models", "10Gi", 30801, 8000),
        (Openwakeword, "openwakeword", "openwakeword-models", "5Gi", 30400, 10400),
    ],
)
def test_cpu_voice_apps_claim_node_port_and_no_node_selection(
    app: type[AppConstruct], name: str, claim: str, size: str, node_port: int, port: int
) -> None:
    objs = synth(app)
    pvc = find(objs, "PersistentVolumeClaim", claim)["spec"]
    assert pvc == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": size}},
        "storageClassName": "nfs-csi-v2",
    }
    nodeport = find(objs, "Service", f"{name}-nodeport")["spec"]
    assert nodeport["type"] == "NodePort"
    assert nodeport["selector"] == {"app": name}
    assert [(p["nodePort"], p["port"]) for p in nodeport["ports"]] == [(node_port, port)]
    dep = find(objs, "Deployment", name)
    assert dep["spec"]["selector"] == {"matchLabels": {"app": name}}
    spec = pod_spec(dep)
    for field in ("nodeSelector", "affinity", "tolerations", "runtimeClassName"):
        assert field not in spec, f"{name} is a CPU app and selects no nodes, but sets {field}"
    assert {v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"]} == {claim}


def test_claude_code_ssh_only_pod() -> None:
    objs = synth(ClaudeCode)
    dep = find(objs, "Deployment", "claude-code")
    spec = pod_spec(dep)
    assert spec["automountServiceAccountToken"] is False
    assert spec["volumes"] == [
        {
            "configMap": {
                "defaultMode": 384,
                "items": [{"key": "authorized_keys", "path": "authorized_keys"}],
                "name": "claude-code-ssh-pubkey",
            },
            "name": "ssh-pubkey",
        }
    ]
    assert find(objs, "Service", "claude-code")["spec"]["ports"] == [
        {"name": "ssh", "port": 22, "protocol": "TCP", "targetPort": 22}
    ]
    oauth = find(objs, "ExternalSecret", "claude-code-oauth")["spec"]["data"]
    assert oauth == [
        {
            "remoteRef": {"key": "claude-code/oauth-token", "property": "claudeAiOauth.accessToken"},
            "secretKey": "oauth-token",
        }
    ]


class Extensions(AppConstruct):
    """The pattern extensions with their defaults and with the new settings."""

    name = "ext"

    def build(self) -> None:
        StaticVolume(self, StaticVolumeSpec(name="csi", size="1Gi", share="/volume1/csi", labels={"a": "b"}))
        StaticVolume(
            self,
            StaticVolumeSpec(
                name="intree",
                size="1Gi",
                share="/x",
                server="nas",
                driver=None,
                read_only=True,
                labels={"a": "b"},
                label_claim=False,
            ),
        )
        network_policy(self, "lan", ingress=[from_cidr("10.0.0.0/24", 80)])
        LegacyPullSecret(self, sops=False)


def test_static_volume_csi_default_and_in_tree_nfs() -> None:
    objs = synth(Extensions)
    csi = find(objs, "PersistentVolume", "csi")["spec"]
    assert csi["csi"] == {
        "driver": "nfs.csi.k8s.io",
        "volumeAttributes": {"server": "ugnas.landryzetam.net", "share": "/volume1/csi"},
        "volumeHandle": "csi",
    }
    assert find(objs, "PersistentVolumeClaim", "csi")["metadata"]["labels"] == {"a": "b"}
    intree = find(objs, "PersistentVolume", "intree")
    assert intree["spec"]["nfs"] == {"path": "/x", "readOnly": True, "server": "nas"}
    assert "csi" not in intree["spec"]
    assert intree["spec"]["mountOptions"] == ["nfsvers=3", "nolock", "ro", "hard"]
    assert intree["metadata"]["labels"] == {"a": "b"}
    assert "labels" not in find(objs, "PersistentVolumeClaim", "intree")["metadata"]


def test_from_cidr_and_legacy_pull_default_verbs() -> None:
    objs = synth(Extensions)
    assert find(objs, "NetworkPolicy", "lan")["spec"]["ingress"] == [
        {"from": [{"ipBlock": {"cidr": "10.0.0.0/24"}}], "ports": [{"port": 80, "protocol": "TCP"}]}
    ]
    assert find(objs, "Role", "docker-secret-creator")["rules"][0]["verbs"] == ["get", "create", "delete"]
