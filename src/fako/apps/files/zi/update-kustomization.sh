#!/bin/bash
# Update kustomization.yaml with all deployment and service manifests
# Run from: apps/base/zi/
set -e
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
DEPLOYMENTS=($(ls -1 "${SCRIPT_DIR}/deployments/"*.yaml | sort | xargs -n1 basename))
SERVICES=($(ls -1 "${SCRIPT_DIR}/services/"*.yaml | sort | xargs -n1 basename))
echo "Found ${#DEPLOYMENTS[@]} deployments and ${#SERVICES[@]} services"
echo ""
echo "# Agent deployments"
for d in "${DEPLOYMENTS[@]}"; do echo "  - deployments/${d}"; done
echo ""
echo "# Agent services"
for s in "${SERVICES[@]}"; do echo "  - services/${s}"; done
