"""NVIDIA GPU operator: container toolkit, device plugin, GPU feature discovery, DCGM.

The host driver is used (driver disabled); the toolkit is wired to K3s's containerd and
installs the `nvidia` runtime class; the device plugin reads ConfigMap `default-config`,
rendered from the GPU pool (`NVIDIA.device_plugin_config()`: whole GPUs, no sharing).
Privileged namespace; nothing exposed, stored or secret.
"""

from __future__ import annotations

from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import env
from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map
from fako.patterns.namespace import AppNamespace, PodSecurity
from fako.patterns.nodepools import NVIDIA
from fako.tree import AppConstruct

ON, OFF = {"enabled": True}, {"enabled": False}
CONTAINERD = {
    "CONTAINERD_CONFIG": "/var/lib/rancher/k3s/agent/etc/containerd/config.toml",
    "CONTAINERD_SOCKET": "/run/k3s/containerd/containerd.sock",
    "CONTAINERD_RUNTIME_CLASS": "nvidia",
    "CONTAINERD_SET_AS_DEFAULT": "true",
}


class GpuOperatorValues(HelmValues):
    """What this cluster sets in the gpu-operator chart."""

    operator: Map
    driver: Map
    toolkit: Map
    device_plugin: Map
    daemonsets: Map
    validator: Map
    nfd: Map
    gfd: Map
    dcgm: Map
    dcgm_exporter: Map
    mig_manager: Map


def _env(values: dict[str, str]) -> list[Map]:
    return [e.model_dump(by_alias=True, exclude_none=True) for e in env(dict(values))]


class GpuOperator(AppConstruct):
    """NVIDIA GPU operator."""

    name = "gpu-operator"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=PodSecurity(enforce="privileged"))
        plugin = ConfigMap(
            self,
            "device-plugin",
            ConfigMapSpec(name="default-config", data={"config.yaml": NVIDIA.device_plugin_config()}),
        )
        gpu = NVIDIA.request(1)
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="gpu-operator",
                chart="gpu-operator",
                # renovate: datasource=helm depName=gpu-operator registryUrl=https://helm.ngc.nvidia.com/nvidia
                version=">=26.0.0 <27.0.0",
                repo="nvidia",
                url="https://helm.ngc.nvidia.com/nvidia",
                values=GpuOperatorValues(
                    operator={"defaultRuntime": "containerd"},
                    driver=OFF,
                    toolkit={
                        "enabled": True,
                        "env": _env(CONTAINERD),
                        "volumeMounts": [{"mountPath": "/runtime/sock-dir", "name": "containerd-socket"}],
                        "volumes": [
                            {
                                "hostPath": {"path": "/run/k3s/containerd", "type": "Directory"},
                                "name": "containerd-socket",
                            }
                        ],
                    },
                    device_plugin={"config": {"name": plugin.name}, "enabled": True},
                    daemonsets={
                        "priorityClassName": "system-node-critical",
                        "updateStrategy": "RollingUpdate",
                        "tolerations": [gpu.toleration.to_dict()] if gpu.toleration else [],
                    },
                    validator={"driver": {"env": _env({"DISABLE_DEV_CHAR_SYMLINK_CHECK": "true"})}, "enabled": True},
                    nfd=ON,
                    gfd=ON,
                    dcgm=ON,
                    dcgm_exporter=OFF,
                    mig_manager=OFF,
                ),
            ),
        )
