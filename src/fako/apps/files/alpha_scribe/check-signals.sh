echo "Checking signals service..."
for i in 1 2 3 4 5; do
  wget -q --timeout=5 --spider http://signals-service:8002/health && break
  echo "Retry $i: signals not ready..."
  sleep 5
done
wget -q --spider http://signals-service:8002/health || exit 1
echo "Signals service healthy!"
