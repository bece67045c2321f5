echo "Monitoring results directory for new scan results..."
sleep 30  # Give kube-bench time to complete

# Wait for the result file
TIMEOUT=300
ELAPSED=0
while [ $ELAPSED -lt $TIMEOUT ]; do
  LATEST_FILE=$(ls -t /results/kube-bench-results-*.json 2>/dev/null | head -1)
  if [ -n "$LATEST_FILE" ] && [ -s "$LATEST_FILE" ]; then
    echo "Found latest scan result: $LATEST_FILE"
    echo "=== K3s CIS Benchmark Results ==="

    # Parse and display summary using basic tools
    echo "File size: $(wc -c < "$LATEST_FILE") bytes"
    echo ""
    echo "Results saved to: $LATEST_FILE"
    break
  fi
  sleep 5
  ELAPSED=$((ELAPSED + 5))
done

if [ $ELAPSED -ge $TIMEOUT ]; then
  echo "Timeout waiting for results file"
  exit 1
fi
