echo "Checking if umami database exists..."
PGPASSWORD="$POSTGRES_PASSWORD" psql -h postgres-cluster-rw.postgres.svc.cluster.local -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'umami'" | grep -q 1
if [ $? -eq 0 ]; then
  echo "Database 'umami' already exists"
else
  echo "Creating database 'umami'..."
  PGPASSWORD="$POSTGRES_PASSWORD" psql -h postgres-cluster-rw.postgres.svc.cluster.local -U postgres -d postgres -c "CREATE DATABASE umami"
  echo "Granting privileges to app user..."
  PGPASSWORD="$POSTGRES_PASSWORD" psql -h postgres-cluster-rw.postgres.svc.cluster.local -U postgres -d umami -c "GRANT ALL PRIVILEGES ON DATABASE umami TO app"
  PGPASSWORD="$POSTGRES_PASSWORD" psql -h postgres-cluster-rw.postgres.svc.cluster.local -U postgres -d umami -c "GRANT ALL ON SCHEMA public TO app"
  echo "Database 'umami' created successfully"
fi
