"""The object rules through the product: a typed app rendered and validated, `fako synth
--app-file`, and `fako validate DIR` on hand-written YAML, each refusing the mistakes the
strict schemas let through (imagePullPolicy "Sometimes", replicas -1, memory "1Gb",
cpu "abc", a 64-character Service name), with the field path in the message."""

from __future__ import annotations

from pathlib import Path

from conftest import fako
from fako import k8s
from fako.checks import run_validation
from fako.patterns.workload import deployment, port, service
from fako.testing import render_apps
from fako.tree import AppConstruct
from fako.validation import ClusterFacts

LONG = "s" * 64
QUANTITY = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
EXPECTED = [
    "value.image-pull-policy: spec.template.spec.containers[0].imagePullPolicy: imagePullPolicy 'Sometimes' is not "
    'supported; supported values: "Always", "IfNotPresent", "Never"',
    "value.quantity: spec.template.spec.containers[0].resources.requests.cpu: request cpu 'abc' is not a quantity: "
    + QUANTITY,
    "value.quantity: spec.template.spec.containers[0].resources.requests.memory: request memory '1Gb' is not a "
    "quantity: " + QUANTITY,
    "value.replicas: spec.replicas: replicas is -1; must be greater than or equal to 0",
    f"name.metadata: metadata.name: '{LONG}' is not a valid Service name (a DNS-1035 label): must be no more than "
    "63 characters (it has 64)",
]


class Mistakes(AppConstruct):
    """A typed app with five mistakes the API server refuses."""

    name = "mistakes"

    def build(self) -> None:
        deployment(
            self,
            "web",
            selector={"app": "web"},
            replicas=-1,
            containers=[
                k8s.Container(
                    name="web",
                    image="nginx:1.27.3",
                    image_pull_policy="Sometimes",
                    resources={"requests": {"cpu": "abc", "memory": "1Gb"}},
                )
            ],
        )
        service(self, LONG, selector={"app": "web"}, ports=[port("http", 80)])


def test_typed_app_mistakes_are_refused_with_their_field() -> None:
    report = run_validation(render_apps(Mistakes).objects, ClusterFacts())
    errors = [f.render() for f in report.errors if f.check.startswith(("name.", "value."))]
    assert len(errors) == len(EXPECTED)
    for line, expected in zip(errors, EXPECTED, strict=True):
        assert expected in line
    assert errors[0].startswith("error  Deployment/mistakes/web  (")
    assert "test_rules_product.py:" in errors[0]  # the construct call's file:line
    assert not report.ok


APP_FILE = """
from fako import k8s
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct


class Mistakes(AppConstruct):
    name = "mistakes"

    def build(self) -> None:
        deployment(self, "web", selector={"app": "web"}, replicas=-1,
                   containers=[k8s.Container(name="web", image="nginx:1.27.3", image_pull_policy="Sometimes",
                                             resources={"requests": {"cpu": "abc", "memory": "1Gb"}})])
        service(self, "LONG", selector={"app": "web"}, ports=[port("http", 80)])
""".replace("LONG", LONG)


def test_synth_app_file_refuses_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "mistakes.py").write_text(APP_FILE)
    out = tmp_path / "out"
    proc = fako("synth", "--app-file", str(tmp_path / "mistakes.py"), "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 1
    for expected in EXPECTED:
        assert expected in proc.stderr
    assert "(mistakes.py:11 Deployment)" in proc.stderr
    assert "nothing was written" in proc.stderr
    assert not out.exists() or not any(out.iterdir())


TREE = f"""apiVersion: v1
kind: Namespace
metadata:
  name: mistakes
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: mistakes
spec:
  replicas: -1
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
          imagePullPolicy: Sometimes
          resources:
            requests: {{cpu: abc, memory: 1Gb}}
---
apiVersion: v1
kind: Service
metadata:
  name: {LONG}
  namespace: mistakes
spec:
  selector: {{app: web}}
  ports:
    - name: http
      port: 80
"""


def test_validate_dir_refuses_hand_written_yaml(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "apps" / "mistakes").mkdir(parents=True)
    (tree / "apps" / "mistakes" / "mistakes.yaml").write_text(TREE)
    proc = fako("validate", str(tree), "--errors-only")
    assert proc.returncode == 1
    for expected in EXPECTED:
        assert expected in proc.stdout
    assert "error  Deployment/mistakes/web  (apps/mistakes/mistakes.yaml:6)" in proc.stdout
