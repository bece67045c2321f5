set -e
echo "=== Building voice pipeline test application ==="

# Clear previous build (if any)
rm -rf /app-data/* || true

# Install dependencies to app-data PVC
echo "Installing dependencies..."
pip install --target=/app-data/lib --no-cache-dir \
  'markupsafe<3.0' \
  flask \
  requests \
  gunicorn \
  opentelemetry-api \
  opentelemetry-sdk \
  opentelemetry-instrumentation-flask \
  opentelemetry-instrumentation-requests \
  opentelemetry-instrumentation-logging \
  opentelemetry-exporter-otlp \
  opentelemetry-exporter-otlp-proto-grpc

# Copy source code from ConfigMap to PVC
echo "Copying source code..."
cp /source/app.py /app-data/
cp /source/test_runner.py /app-data/
cp /otel/otel_config.py /app-data/

# Create gunicorn config
cat > /app-data/gunicorn.conf.py <<EOF
bind = "0.0.0.0:8080"
workers = 1
threads = 2
worker_class = "sync"
worker_connections = 100
max_requests = 100
max_requests_jitter = 10
timeout = 120
keepalive = 5
preload_app = True
EOF

# Set proper permissions (without chown since we're running as non-root)
chmod -R 755 /app-data

echo "=== Build complete ==="
echo "Contents of /app-data:"
ls -la /app-data/
