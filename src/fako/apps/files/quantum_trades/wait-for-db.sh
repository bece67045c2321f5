echo "Waiting for PostgreSQL to be ready..."
until nc -z postgres-cluster-rw.postgres 5432; do
  echo "PostgreSQL is not ready yet - sleeping"
  sleep 2
done
echo "PostgreSQL is ready!"
