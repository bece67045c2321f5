echo "Triggering voice pipeline test at $(date)"
# Call the test endpoint and capture response
if wget -O- --post-data='{"timeout": 120}' \
  --header='Content-Type: application/json' \
  http://voice-pipeline-test.voice-pipeline-test:8080/test \
  2>&1; then
  echo "Test completed successfully"
else
  # Even if wget returns error (HTTP 207/500), consider it success
  # since the test ran and metrics were sent to New Relic
  echo "Test completed (may have detected pipeline issues)"
fi
echo "Test trigger completed at $(date)"
# Always exit successfully - actual test results are in New Relic
exit 0
