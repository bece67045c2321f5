echo "Checking service dependencies..."
wget -q --spider http://technicals-service:8001/health || exit 1
wget -q --spider http://signals-service:8002/health || exit 1
wget -q --spider http://trading-service:8005/health || exit 1
echo "All dependencies healthy!"
