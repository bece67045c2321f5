#!/usr/bin/env python3
"""Generate K8s deployment and service manifests for ALL zI agents.

Run from: apps/base/zi/
Requires: ~/dev/zi/agents/registry.yaml
"""

import yaml
from pathlib import Path

ZI_AGENTS_DIR = Path.home() / "dev/zi/agents"
registry_path = ZI_AGENTS_DIR / "registry.yaml"

if not registry_path.exists():
    print(f"ERROR: Registry not found at {registry_path}")
    exit(1)

with open(registry_path) as f:
    registry = yaml.safe_load(f)

RESOURCE_TIERS = {
    "standard": {"requests_cpu": "5m", "requests_memory": "32Mi", "limits_cpu": "100m", "limits_memory": "256Mi"},
    "complex": {"requests_cpu": "5m", "requests_memory": "32Mi", "limits_cpu": "100m", "limits_memory": "256Mi"},
    "executive": {"requests_cpu": "5m", "requests_memory": "32Mi", "limits_cpu": "100m", "limits_memory": "256Mi"},
}


def generate_deployment(slug, description, tier="standard"):
    resources = RESOURCE_TIERS[tier]
    s = slug.replace("_", "-")
    return f'''apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent-{s}
  namespace: zi
  labels:
    app.kubernetes.io/name: agent-{s}
    app.kubernetes.io/component: agent
    app.kubernetes.io/part-of: zi
spec:
  replicas: 1
  selector:
    matchLabels:
      app: agent-{s}
  template:
    metadata:
      labels:
        app: agent-{s}
        app.kubernetes.io/name: agent-{s}
        app.kubernetes.io/component: agent
    spec:
      imagePullSecrets:
        - name: dockerhub-registry
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        fsGroup: 1000
      containers:
        - name: agent
          image: lzetam/zi-agent-{s}:latest
          imagePullPolicy: Always
          ports:
            - containerPort: 8000
              name: http
          env:
            - name: AGENT_NAME
              value: "{s}"
            - name: AGENT_DESCRIPTION
              value: "{description}"
            - name: AGENT_MAX_ITERATIONS
              value: "15"
            - name: ZI_BRAIN_URL
              value: "http://zi-brain.zi.svc.cluster.local:8100"
            - name: ZI_OLLAMA_URL
              value: "http://ollama-gpu.ollama.svc.cluster.local:11434"
            - name: ZI_KNOWLEDGE_REDIS_HOST
              value: "redis.zi.svc.cluster.local"
            - name: ZI_KNOWLEDGE_REDIS_PORT
              value: "6379"
            - name: ZI_API_URL
              value: "http://zi.zi.svc.cluster.local:8080"
          envFrom:
            - secretRef:
                name: zi-secrets
          volumeMounts:
            - name: agent-memory
              mountPath: /data
              subPath: {s}
          resources:
            requests:
              cpu: {resources["requests_cpu"]}
              memory: {resources["requests_memory"]}
            limits:
              cpu: {resources["limits_cpu"]}
              memory: {resources["limits_memory"]}
          livenessProbe:
            httpGet:
              path: /health
              port: http
            initialDelaySeconds: 10
            periodSeconds: 30
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            initialDelaySeconds: 5
            periodSeconds: 10
      volumes:
        - name: agent-memory
          persistentVolumeClaim:
            claimName: zi-agents-memory
'''


def generate_service(slug):
    s = slug.replace("_", "-")
    return f'''apiVersion: v1
kind: Service
metadata:
  name: agent-{s}
  namespace: zi
  labels:
    app.kubernetes.io/name: agent-{s}
    app.kubernetes.io/component: agent
    app.kubernetes.io/part-of: zi
spec:
  selector:
    app: agent-{s}
  ports:
    - port: 8000
      targetPort: http
      name: http
'''


def main():
    script_dir = Path(__file__).parent
    deployments_dir = script_dir / "deployments"
    services_dir = script_dir / "services"
    deployments_dir.mkdir(exist_ok=True)
    services_dir.mkdir(exist_ok=True)

    generated = 0
    skipped = 0
    for slug, info in registry["agents"].items():
        description = info.get("description", "")
        team = info.get("team", "")
        tier = "executive" if team == "Executive" else ("complex" if slug in ["code-reviewer","debugger","solutions-architect","tech-lead"] else "standard")
        s = slug.replace("_", "-")
        agent_dir = ZI_AGENTS_DIR / slug
        if not agent_dir.exists() or not (agent_dir / "Dockerfile").exists():
            skipped += 1
            continue
        (deployments_dir / f"{s}.yaml").write_text(generate_deployment(slug, description, tier))
        (services_dir / f"{s}.yaml").write_text(generate_service(slug))
        generated += 1

    print(f"Generated {generated}, skipped {skipped}")


if __name__ == "__main__":
    main()
