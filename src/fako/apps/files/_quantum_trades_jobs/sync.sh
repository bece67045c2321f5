echo "Syncing trades to Obsidian journal..."
curl -sf -X POST "http://trading-service:8005/api/trading/api/v1/orders/sync-journal" \
  -H "Content-Type: application/json" \
  --connect-timeout 10 \
  --max-time 60
echo ""
echo "Sync complete"
