set -e

TIMESTAMP=$(date +%Y%m%d_%H%M%S)
BACKUP_PATH="${BACKUP_DIR}/${TIMESTAMP}"

echo "Starting backup at $(date)"
echo "Backup location: ${BACKUP_PATH}"

# Create backup directory
mkdir -p "${BACKUP_PATH}"

# Get list of all databases except templates
DATABASES=$(psql -t -c "SELECT datname FROM pg_database WHERE datistemplate = false AND datname != 'postgres';")

# Backup each database
for DB in $DATABASES; do
  echo "Backing up database: ${DB}"
  pg_dump -Fc "${DB}" > "${BACKUP_PATH}/${DB}.dump"
  echo "  ✓ ${DB} backed up successfully"
done

# Backup all database roles
echo "Backing up database roles..."
pg_dumpall --roles-only > "${BACKUP_PATH}/roles.sql"

# Backup complete cluster with pg_dumpall (includes globals, tablespaces, etc.)
#
# gzip is not cosmetic here. pg_dumpall emits PLAIN SQL, so this file
# is an uncompressed copy of data the per-database `pg_dump -Fc` files
# above already hold compressed. Measured 2026-08-18: it was several
# GB and accounted for ~90% of both the archive size and the S3 upload
# time, at which point a single file dominated the entire off-site
# backup window. Compressed it costs little and stays worth keeping as
# the plain-SQL belt-and-braces restore path.
echo "Backing up complete cluster (pg_dumpall, gzipped)..."
pg_dumpall | gzip -6 > "${BACKUP_PATH}/complete_cluster.sql.gz"
echo "  ✓ Complete cluster backup created ($(du -h "${BACKUP_PATH}/complete_cluster.sql.gz" | cut -f1))"

# Backup PostgreSQL configuration
echo "Backing up PostgreSQL configuration..."
psql -t -c "SHOW all;" > "${BACKUP_PATH}/postgres_config.txt"
psql -t -c "SELECT name, setting FROM pg_settings;" > "${BACKUP_PATH}/postgres_settings.sql"
echo "  ✓ PostgreSQL configuration backed up"

# Create a manifest file
cat > "${BACKUP_PATH}/manifest.txt" <<EOF
Backup Date: $(date)
PostgreSQL Version: $(psql -t -c "SELECT version();")
Databases Backed Up: $(echo $DATABASES | tr '\n' ' ')
Backup Format: Custom (pg_dump -Fc)
EOF

# Completion sentinel — written ONLY after every database, the roles,
# the full cluster dump and the manifest are on disk. `set -e` means
# reaching this line is proof the whole run succeeded.
#
# postgres-backup-s3 refuses to archive a directory without this file.
# Without the sentinel that job could not tell a finished backup from
# one still being written (this job took 46m28s on 2026-08-18, and the
# archive job runs on a fixed schedule, not on completion) or from one
# that died partway through — in both cases it would have uploaded an
# incomplete set of dumps and reported success.
touch "${BACKUP_PATH}/COMPLETE"

# Calculate backup size
BACKUP_SIZE=$(du -sh "${BACKUP_PATH}" | cut -f1)
echo "Backup completed. Size: ${BACKUP_SIZE}"

# Cleanup old backups (older than RETENTION_DAYS)
echo "Cleaning up backups older than ${RETENTION_DAYS} days..."
find "${BACKUP_DIR}" -mindepth 1 -maxdepth 1 -type d -mtime +${RETENTION_DAYS} -exec rm -rf {} \;

echo "Backup process completed successfully at $(date)"

# List current backups
echo "Current backups:"
ls -lh "${BACKUP_DIR}"
