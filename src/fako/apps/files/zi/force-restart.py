#!/usr/bin/env python3
"""Add a restart annotation to all agent deployments to force new replicasets.

Run from: apps/base/zi/
"""

from pathlib import Path
from datetime import datetime
import re

def add_restart_annotation(manifest_path):
    content = manifest_path.read_text()
    timestamp = datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    if "kubectl.kubernetes.io/restartedAt" in content:
        content = re.sub(
            r'kubectl\.kubernetes\.io/restartedAt: ".*?"',
            f'kubectl.kubernetes.io/restartedAt: "{timestamp}"',
            content
        )
    else:
        pattern = r'(  template:\n    metadata:\n      labels:\n(?:        .*\n)*)'
        def add_annotation(match):
            return f'{match.group(1)}      annotations:\n        kubectl.kubernetes.io/restartedAt: "{timestamp}"\n'
        content = re.sub(pattern, add_annotation, content)
    manifest_path.write_text(content)
    print(f"Updated {manifest_path.name}")

def main():
    deployments_dir = Path(__file__).parent / "deployments"
    count = 0
    for manifest in sorted(deployments_dir.glob("*.yaml")):
        add_restart_annotation(manifest)
        count += 1
    print(f"\nUpdated {count} deployment manifests")

if __name__ == "__main__":
    main()
