"""n8n-migration: scaffolding for moving n8n's workflows and credentials into Postgres. Off.

Why it is off: it is a one-time, hand-run procedure, not a service. The cluster lists it
commented out in `apps/staging/kustomization.yaml`, and its own kustomization leaves the
three Jobs that do the work out of the render ("Jobs are applied manually in sequence":
`01-export-job.yaml`, `02-init-db-job.yaml`, `03-import-job.yaml`), so fako models exactly
what Flux would apply, the nine objects below, and no Job.

What applying it would do (`fako synth --include-disabled`): create the namespace, the
ServiceAccount `n8n-migration-sa` with its two Roles, a 5Gi RWO `nfs-csi-v2` claim
`n8n-export-storage` that nothing mounts, and an ExternalSecret copying AWS
`postgres/app-user` (username, password, host, database) into `postgres-credentials`. That
Secret never appears: the store authenticates with the ServiceAccount's token (jwt), which
External Secrets accepts only from a ServiceAccount annotated with `eks.amazonaws.com/role-arn`
(an EKS feature this K3s cluster lacks), so it stays not ready. `n8n-migration-role` was
written for namespace `n8n` (scale n8n down, read its claim) but the kustomization's
`namespace:` moves it here, where it grants nothing useful. Running the Jobs by hand would
then fail too: the export mounts claim `n8n-data`, which lives in namespace `n8n`, and scales
n8n with rights it does not have there; init-db and import (`n8n db:migrate`,
`import:workflow`/`import:credentials`) need the missing Secret and write into database
`app`, while the running n8n reads database `n8n`.
"""

from __future__ import annotations

from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule
from fako.patterns.shared_secrets import PG_APP_USER
from fako.patterns.storage import claim
from fako.tree import AppConstruct

ACCOUNT = "n8n-migration-sa"
RW = ["get", "list", "create", "delete"]
LOCAL = [rule("batch", ["jobs"], RW), rule("", ["pods", "pods/log"], RW), rule("", ["persistentvolumeclaims"], RW),
         rule("", ["secrets"], ["get", "list"])]
"""Run the migration's Jobs and pods, manage its claim, read its secrets (in this namespace)."""
N8N = [rule("", ["persistentvolumeclaims"], ["get", "list"]), rule("", ["secrets"], ["get", "list"]),
       rule("apps", ["deployments", "deployments/scale"], ["get", "list", "patch", "update"]),
       rule("apps", ["deployments/status"], ["get"])]
"""Meant for namespace `n8n` (scale n8n down, read its claim and secrets); it lands in this one."""


class N8nMigration(AppConstruct):
    """The migration's namespace, account and Roles, export claim and Postgres credentials; no Jobs."""

    name = "n8n-migration"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels={"app.kubernetes.io/component": "migration",
                                             "app.kubernetes.io/name": "n8n-migration"})
        grant(self, account=ACCOUNT, role="n8n-migration-role", binding="n8n-migration-binding", cluster=False,
              rules=N8N)
        grant(self, account=ACCOUNT, role="n8n-migration-local-role", binding="n8n-migration-local-binding",
              cluster=False, make_account=False, rules=LOCAL)
        claim(self, "n8n-export-storage", "5Gi", access="ReadWriteOnce")
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store", credentials="service-account",
                                                             service_account=ACCOUNT))
        store.secret("postgres-credentials",
                     {k: f"{PG_APP_USER}#{k}" for k in ("username", "password", "host", "database")})
