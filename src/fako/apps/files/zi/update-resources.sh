#!/bin/bash
# Update all agent deployments to use minimal resources
# Run from: apps/base/zi/
for file in deployments/*.yaml; do
  sed -i '' '
    s/cpu: 100m/cpu: 25m/g
    s/cpu: 200m/cpu: 50m/g
    s/cpu: 250m/cpu: 50m/g
    s/cpu: 500m/cpu: 200m/g
    s/cpu: 750m/cpu: 300m/g
    s/cpu: "1"/cpu: 500m/g
    s/memory: 256Mi/memory: 128Mi/g
    s/memory: 512Mi/memory: 256Mi/g
    s/memory: 1Gi/memory: 512Mi/g
    s/memory: 1.5Gi/memory: 768Mi/g
    s/memory: 2Gi/memory: 1Gi/g
  ' "$file"
done
echo "Updated resource allocations in all deployments"
