# Get the base URL from the secret
BASE_URL=$(kubectl get secret gpustack-endpoint -n gpustack-proxy -o jsonpath='{.data.GPUSTACK_BASE_URL}' | base64 -d)

# Extract IP and port from the URL (format: http://IP:PORT/path)
IP=$(echo $BASE_URL | sed -E 's|https?://([^:/]+)(:[0-9]+)?/.*|\1|')
PORT=$(echo $BASE_URL | sed -E 's|https?://[^:]+:([0-9]+)/.*|\1|' | grep -E '^[0-9]+$' || echo "80")

echo "Extracted IP: $IP, Port: $PORT from URL: $BASE_URL"

# Create or update the Endpoints
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Endpoints
metadata:
  name: gpustack
  namespace: gpustack-proxy
subsets:
- addresses:
  - ip: $IP
  ports:
  - port: $PORT
    protocol: TCP
    name: http
EOF

echo "Endpoints configured successfully"
