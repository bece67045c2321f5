"""backstage, wger, n3xis and n8n-migration (issue 13, group C), and the patterns they extended.

Expected values are literals taken from the real cluster's rendered units (CLUSTER.md and
`reference/fako-cluster/apps/<app>.yaml`), never from the modules under test.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from pydantic import ValidationError

from fako.apps.backstage import Backstage
from fako.apps.n3xis import N3xis
from fako.apps.n8n_migration import N8nMigration
from fako.apps.postgres_cluster import OTHERS, PostgresCluster
from fako.apps.wger import Wger
from fako.clusters.staging_apps import APPS, OFF
from fako.errors import FakoError
from fako.patterns.aws import AwsSecretStoreSpec
from fako.patterns.helm import image_values
from fako.testing import find, synth


def _init_script(manifests: list[dict[str, Any]]) -> str:
    job = find(manifests, "Job", "postgres-database-init")
    script: str = job["spec"]["template"]["spec"]["containers"][0]["command"][2]
    return script


def _creates(script: str) -> list[str]:
    return [line.split()[1] for line in script.splitlines() if line.startswith("create_database ")]


def test_all_four_are_switched_off_as_in_the_cluster() -> None:
    assert {"backstage", "n3xis", "n8n-migration", "wger"} <= OFF
    enabled = {unit.app.name: unit.enabled for unit in APPS}
    assert [enabled[n] for n in ("backstage", "n3xis", "n8n-migration", "wger")] == [False, False, False, False]


def test_backstage_database_comes_from_its_declaration_not_from_others() -> None:
    assert Backstage.databases == ("backstage",)
    assert "backstage" not in OTHERS
    alone = _creates(_init_script(synth(PostgresCluster)))
    with_backstage = _creates(_init_script(synth(PostgresCluster, Backstage)))
    assert alone == []  # every database comes from a declaration (OTHERS is empty)
    assert with_backstage == ["backstage"]


def test_wger_makes_its_own_database_with_a_job() -> None:
    assert Wger.databases == ()
    assert _creates(_init_script(synth(PostgresCluster, Wger))) == []
    objs = synth(Wger)
    job = find(objs, "Job", "wger-db-init")
    assert job["spec"]["ttlSecondsAfterFinished"] == 300
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (container,) = pod["containers"]
    assert container["image"] == "postgres:17-alpine"
    assert container["command"][:2] == ["/bin/sh", "-c"]
    assert "CREATE DATABASE wger" in container["command"][2]
    assert "CREATE USER wger WITH PASSWORD '$WGER_PASSWORD'" in container["command"][2]
    assert [e["valueFrom"]["secretKeyRef"] for e in container["env"]] == [
        {"key": "password", "name": "postgres-cluster-superuser"},
        {"key": "dbpw", "name": "wger-db-credentials"},
    ]


def test_stateful_names_and_sizes_are_pinned() -> None:
    claim = find(synth(N8nMigration), "PersistentVolumeClaim", "n8n-export-storage")
    assert claim["metadata"]["namespace"] == "n8n-migration"
    assert claim["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "5Gi"}},
        "storageClassName": "nfs-csi-v2",
    }
    # The wger chart names its claims after the release; their sizes and class are values.
    wger = find(synth(Wger), "HelmRelease", "wger")
    assert wger["metadata"]["namespace"] == "wger"
    values = wger["spec"]["values"]
    assert values["app"]["persistence"] == {"enabled": True, "size": "10Gi", "storageClass": "nfs-csi-v2"}
    assert values["redis"]["storage"] == {"className": "nfs-csi-v2", "requestedSize": "5Gi"}
    assert values["app"]["django"]["existingDatabase"]["host"] == "postgres-cluster-rw.postgres.svc.cluster.local"
    assert wger["spec"]["chart"]["spec"]["version"] == "0.3.0"
    backstage = find(synth(Backstage), "HelmRelease", "backstage")
    assert (
        backstage["spec"]["values"]["backstage"]["appConfig"]["backend"]["database"]["connection"]["database"]
        == "backstage"
    )
    assert backstage["spec"]["chart"]["spec"]["version"] == "1.x"


def test_backstage_chart_gets_the_same_app_config_the_configmap_carries() -> None:
    objs = synth(Backstage)
    text = find(objs, "ConfigMap", "backstage-app-config")["data"]["app-config.yaml"]
    assert "  signInPage: oidc  # Disable guest access, require Keycloak authentication\n" in text
    app_config = find(objs, "HelmRelease", "backstage")["spec"]["values"]["backstage"]["appConfig"]
    assert app_config["auth"]["signInPage"] == "oidc"
    assert app_config["backend"]["csp"] == {"connect-src": ["'self'", "http:", "https:"]}
    assert app_config["catalog"]["providers"]["github"]["fako-cluster"]["schedule"] == {
        "frequency": {"minutes": 30},
        "timeout": {"minutes": 3},
    }
    image = find(objs, "HelmRelease", "backstage")["spec"]["values"]["backstage"]["image"]
    assert image == {"registry": "ghcr.io", "repository": "backstage/backstage", "tag": "latest"}


def test_n8n_migration_is_off_renders_no_job_and_says_why() -> None:
    assert "n8n-migration" in OFF
    doc = importlib.import_module("fako.apps.n8n_migration").__doc__ or ""
    flat = " ".join(doc.split())
    assert "commented out in `apps/staging/kustomization.yaml`" in flat
    assert '"Jobs are applied manually in sequence"' in flat
    assert "`eks.amazonaws.com/role-arn`" in flat
    assert "the running n8n reads database `n8n`" in flat
    objs = synth(N8nMigration)
    assert sorted((o["kind"], o["metadata"]["name"]) for o in objs) == [
        ("ExternalSecret", "postgres-credentials"),
        ("Namespace", "n8n-migration"),
        ("PersistentVolumeClaim", "n8n-export-storage"),
        ("Role", "n8n-migration-local-role"),
        ("Role", "n8n-migration-role"),
        ("RoleBinding", "n8n-migration-binding"),
        ("RoleBinding", "n8n-migration-local-binding"),
        ("SecretStore", "aws-secrets-store"),
        ("ServiceAccount", "n8n-migration-sa"),
    ]
    store = find(objs, "SecretStore", "aws-secrets-store")
    assert store["spec"]["provider"]["aws"]["auth"] == {"jwt": {"serviceAccountRef": {"name": "n8n-migration-sa"}}}
    account = find(objs, "ServiceAccount", "n8n-migration-sa")
    assert "annotations" not in account["metadata"]  # so the jwt auth above can never work


def test_n3xis_uses_the_legacy_pull_secret_and_old_style_ingress() -> None:
    objs = synth(N3xis)
    job = find(objs, "Job", "create-docker-registry-secret")
    assert (
        "kubectl delete secret dockerhub-registry -n n3xis"
        in job["spec"]["template"]["spec"]["containers"][0]["command"][2]
    )
    ing = find(objs, "Ingress", "n3xis")
    assert "ingressClassName" not in ing["spec"]
    assert ing["metadata"]["annotations"] == {
        "cert-manager.io/cluster-issuer": "letsencrypt-prod",
        "kubernetes.io/ingress.class": "traefik",
        "traefik.ingress.kubernetes.io/redirect-entry-point": "https",
        "traefik.ingress.kubernetes.io/redirect-permanent": "true",
    }


@pytest.mark.parametrize(
    ("image", "keys", "expected"),
    [
        (
            "ghcr.io/backstage/backstage:latest",
            None,
            {"registry": "ghcr.io", "repository": "backstage/backstage", "tag": "latest"},
        ),
        ("localhost/tools/app:1.2", None, {"registry": "localhost", "repository": "tools/app", "tag": "1.2"}),
        ("registry.local:5000/app:3", None, {"registry": "registry.local:5000", "repository": "app", "tag": "3"}),
        ("wger/server:latest", None, {"repository": "wger/server", "tag": "latest"}),
        ("wger/server:2.4", ("tag",), {"tag": "2.4"}),
    ],
)
def test_image_values_splits_one_full_literal(
    image: str, keys: tuple[str, ...] | None, expected: dict[str, str]
) -> None:
    assert (image_values(image) if keys is None else image_values(image, keys)) == expected


@pytest.mark.parametrize("image", ["nginx", "wger/server", "localhost:5000/tools/app", "repo/app@sha256:abc"])
def test_image_values_rejects_references_without_a_tag(image: str) -> None:
    with pytest.raises(FakoError) as err:
        image_values(image)
    assert str(err.value) == f"image {image!r}: expected 'repository:tag' (a tag, no digest)"


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"credentials": "service-account"}, "service_account=None with credentials='service-account'"),
        ({"service_account": "app-sa"}, "service_account='app-sa' with credentials='sops'"),
    ],
)
def test_aws_store_service_account_goes_with_jwt_credentials_only(fields: dict[str, str], shown: str) -> None:
    with pytest.raises(ValidationError) as err:
        AwsSecretStoreSpec.model_validate(fields)
    assert f'{shown}: set service_account exactly when credentials="service-account"' in str(err.value)
