"""GPU monitoring: `nvidia_gpu_exporter` on every GPU node, scraped by Prometheus.

A DaemonSet on the NVIDIA pool (`NVIDIA.request(1).pod_fields()`: runtime class,
node selector, toleration; it asks no GPU, it only reads `nvidia-smi` from the host),
Service `nvidia-gpu-exporter:9835` inside the cluster, a ServiceMonitor, and the
`dcgm-exporter` account with read access to nodes and pods. No storage, no secrets.

Layer: the real cluster declares the DaemonSet and Service twice, in this unit
(monitoring-controllers) and in monitoring-configs `all`, with comments insisting the
copies stay byte-identical: two Flux Kustomizations own one object. fako emits them
ONCE, here: a workload belongs with the namespace, ServiceAccount and RBAC it runs
with (all in this unit), while the configs layer holds CRs that need the operators'
CRDs. monitoring-configs renders nothing for them.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.monitoring import ServiceMonitor, ServiceMonitorSpec
from fako.constructs.pods import env, http_probe, mount, resources
from fako.constructs.workloads import DaemonSet, DaemonSetSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.nodepools import NVIDIA
from fako.patterns.rbac import grant, rule
from fako.patterns.workload import pod_template, port, service
from fako.tree import AppConstruct

NAME = "nvidia-gpu-exporter"
LABELS = {"app": NAME}
PORT = 9835
QUERY = (
    "name,uuid,driver_version,pstate,count,index,memory.total,memory.used,memory.free,utilization.gpu,"
    "utilization.memory,temperature.gpu,power.draw,power.limit,fan.speed,clocks.current.sm,"
    "clocks.current.memory,clocks.current.graphics"
)
HOST = (
    ("nvidia-install-dir-host", "/usr/local/nvidia", "Directory", True),
    ("dev", "/dev", None, None),
    ("nvidia-smi", "/usr/bin/nvidia-smi", "File", True),
)


class GpuMonitoring(AppConstruct):
    """GPU monitoring."""

    name = "gpu-monitoring"
    default_layer = "monitoring-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels={"monitoring": "gpu"})
        grant(
            self,
            account="dcgm-exporter",
            role="dcgm-exporter",
            rules=[rule("", ["nodes"], ["get", "list", "watch"]), rule("", ["pods"], ["get", "list", "watch"])],
        )
        service(self, NAME, selector=LABELS, labels=LABELS, ports=[port("metrics", PORT)])
        gpu = NVIDIA.request(1, host_ipc=False)
        DaemonSet(
            self,
            "exporter",
            DaemonSetSpec(
                name=NAME,
                labels=LABELS,
                selector=k8s.LabelSelector(match_labels=LABELS),
                template=pod_template(
                    LABELS,
                    host_pid=True,
                    service_account_name="dcgm-exporter",
                    **gpu.pod_fields(),
                    containers=[
                        k8s.Container(
                            name=NAME,
                            image="utkuozdemir/nvidia_gpu_exporter:1.3.2",
                            image_pull_policy="IfNotPresent",
                            args=[
                                f"--web.listen-address=:{PORT}",
                                "--nvidia-smi-command=nvidia-smi",
                                f"--query-field-names={QUERY}",
                            ],
                            env=env({"NVIDIA_VISIBLE_DEVICES": "all", "NVIDIA_DRIVER_CAPABILITIES": "compute,utility"}),
                            ports=[k8s.ContainerPort(container_port=PORT, name="metrics")],
                            liveness_probe=http_probe("/metrics", PORT, initial_delay_seconds=10, period_seconds=10),
                            readiness_probe=http_probe("/metrics", PORT, initial_delay_seconds=5, period_seconds=5),
                            resources=resources({"cpu": "100m", "memory": "100Mi"}, {"cpu": "200m", "memory": "200Mi"}),
                            security_context=k8s.SecurityContext(privileged=True),
                            volume_mounts=[mount(n, p, read_only=ro) if ro else mount(n, p) for n, p, _, ro in HOST],
                        )
                    ],
                    volumes=[
                        k8s.Volume(name=n, host_path=k8s.HostPathVolumeSource(path=p, type=t))
                        if t
                        else k8s.Volume(name=n, host_path=k8s.HostPathVolumeSource(path=p))
                        for n, p, t, _ in HOST
                    ],
                ),
            ),
        )
        ServiceMonitor(
            self,
            "monitor",
            ServiceMonitorSpec.model_validate(
                {
                    "name": NAME,
                    "labels": {**LABELS, "prometheus": "kube-prometheus"},
                    "selector": {"matchLabels": LABELS},
                    "endpoints": [{"honorLabels": True, "interval": "30s", "path": "/metrics", "port": "metrics"}],
                }
            ),
        )
