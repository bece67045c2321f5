"""voice-pipeline-test: a synthetic end-to-end test of the Home Assistant voice stack.

A Flask/gunicorn test runner (sources from ConfigMaps, dependencies pip-installed by an
init container onto a 500Mi NFS claim) plays a test WAV (1Gi claim) through whisper,
ollama and piper and reports latencies to New Relic over OTLP; exposed on NodePort 30880
(and `/metrics` for scraping). A CronJob calls `/test` every 15 minutes. Reads the New
Relic license (`newrelic/license-key`) from the `aws-secrets` store.

The repository commits `aws-credentials` here as a *plaintext placeholder* Secret
(YOUR_AWS_ACCESS_KEY_ID_HERE). fako refuses plaintext Secrets (policy.plaintext-secret),
so it is not rendered: the store's credentials are declared external.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, empty_dir, env, http_probe, mount, pvc_volume, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME = "voice-pipeline-test"
LABELS = {"app": NAME}
PYTHON_IMAGE = "python:3.14-slim"
NO_CAPS = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
SCRAPE = {"newrelic.io/scrape": "true", "prometheus.io/path": "/metrics", "prometheus.io/port": "8080",
          "prometheus.io/scrape": "true"}
# The services under test, the test audio, and New Relic (OTLP) for the results.
RUNNER_ENV: dict[str, str | k8s.EnvVarSource] = {
    "PYTHONUNBUFFERED": "1", "FLASK_APP": "app.py", "WHISPER_ENDPOINT": "http://whisper-nodeport.whisper:10300",
    "OLLAMA_ENDPOINT": "http://ollama-gpu.ollama:11434", "PIPER_ENDPOINT": "http://piper-nodeport.piper:10200",
    "OLLAMA_MODEL": "qwen3:8b", "AUDIO_FILE_PATH": "/audio-data/test-audio.wav", "PORT": "8080",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otlp.nr-data.net:4317", "OTEL_SERVICE_NAME": NAME,
    "NEW_RELIC_LICENSE_KEY": secret_key("newrelic-license", "licenseKey", optional=True)}


class VoicePipelineTest(AppConstruct):
    """Test runner Deployment + trigger CronJob."""

    name = NAME
    external = (("Secret", "aws-credentials"),)

    def build(self) -> None:
        AppNamespace(self, pss=None, labels={"name": NAME})
        otel = {"otel_config.py": read_file(__file__, "otel_config.py")}
        ConfigMap(self, "otel", ConfigMapSpec(name=f"{NAME}-otel", data=otel))
        sources = {f: read_file(__file__, f) for f in ("app.py", "test_runner.py")}
        ConfigMap(self, "source", ConfigMapSpec(name=f"{NAME}-source", data=sources))
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets", credentials="external"))
        service(self, NAME, labels=LABELS, annotations=SCRAPE, selector=LABELS, ports=[port("http", 8080)],
                session_affinity="None")
        service(self, f"{NAME}-nodeport", labels=LABELS, selector=LABELS, type="NodePort",
                ports=[port("http", 8080, node_port=30880)], session_affinity="None")
        claim(self, "voice-test-app", "500Mi", access="ReadWriteOnce")
        claim(self, "voice-test-audio", "1Gi", access="ReadWriteOnce")
        runner = k8s.Container(
            name="test-runner", image=PYTHON_IMAGE, command=["/bin/sh", "-c", read_file(__file__, "start.sh")],
            env=env(RUNNER_ENV),
            ports=[k8s.ContainerPort(container_port=8080, name="http", protocol="TCP")],
            liveness_probe=http_probe("/health", 8080, delay=30, period=10, timeout=5, failures=3),
            readiness_probe=http_probe("/ready", 8080, delay=10, period=5, timeout=3, failures=3),
            startup_probe=http_probe("/health", 8080, delay=10, period=10, timeout=5, failures=30),
            resources=resources(cpu=("100m", "500m"), memory=("256Mi", "512Mi")),
            security_context=k8s.SecurityContext.model_validate(
                {**NO_CAPS, "readOnlyRootFilesystem": True, "runAsNonRoot": True, "runAsUser": 1000}),
            volume_mounts=[mount("audio-data", "/audio-data", read_only=True),
                           mount("app-data", "/app-data", read_only=True), mount("tmp", "/tmp")])
        # Installs the Python dependencies onto the app claim, next to the sources and the OTel config.
        builder = k8s.Container(
            name="app-builder", image=PYTHON_IMAGE, command=["/bin/bash", "-c", read_file(__file__, "build.sh")],
            resources=resources(cpu=("200m", "500m"), memory=("256Mi", "512Mi")),
            security_context=k8s.SecurityContext.model_validate({**NO_CAPS, "readOnlyRootFilesystem": False}),
            volume_mounts=[mount("app-data", "/app-data"), mount("source-code", "/source"),
                           mount("otel-config", "/otel")])
        deployment(
            self, NAME, labels=LABELS, selector=LABELS, containers=[runner], init_containers=[builder],
            security_context=k8s.PodSecurityContext(fs_group=1000, run_as_non_root=True, run_as_user=1000,
                                                    seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault")),
            volumes=[pvc_volume("audio-data", "voice-test-audio"), pvc_volume("app-data", "voice-test-app"),
                     config_volume("source-code", f"{NAME}-source", default_mode=0o755),
                     config_volume("otel-config", f"{NAME}-otel", default_mode=0o755), empty_dir("tmp")])
        cronjob(self, f"{NAME}-trigger", "*/15 * * * *", successful=10, failed=5, ttl=None, backoff_limit=2,
                pod_labels={"app": f"{NAME}-trigger"}, containers=[k8s.Container(
                    name="trigger", image="busybox:1.38", command=["sh", "-c", read_file(__file__, "trigger.sh")],
                    resources=resources(cpu=("10m", "50m"), memory=("32Mi", "64Mi")))])
        store.secret("newrelic-license", extract="newrelic/license-key", refresh=None)
