TIMESTAMP=$(date +%Y%m%d-%H%M%S)
RESULT_FILE="/results/kube-bench-results-${TIMESTAMP}.json"
echo "Starting K3s CIS benchmark scan..."
echo "Results will be saved to ${RESULT_FILE}"

# Run kube-bench with K3s-specific benchmark
# K3s CIS 1.7 benchmark is designed for K3s distributions
kube-bench run --benchmark k3s-cis-1.7 \
  --json \
  --outputfile "${RESULT_FILE}" \
  --logtostderr 2>&1

EXIT_CODE=$?
echo "Scan completed with exit code: ${EXIT_CODE}"
echo "Results saved to: ${RESULT_FILE}"

# Also output a human-readable summary
echo ""
echo "=== Quick Summary ==="
kube-bench run --benchmark k3s-cis-1.7 2>/dev/null | tail -20

exit 0
