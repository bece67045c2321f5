echo "Checking backend service..."
for i in 1 2 3 4 5; do
  wget -q --timeout=5 --spider http://backend-service:8000/api/health && break
  echo "Retry $i: backend not ready..."
  sleep 5
done
wget -q --spider http://backend-service:8000/api/health || exit 1
echo "Backend service healthy!"
