set -euo pipefail

echo "=== Postgres → S3 archive, $(date -u +%FT%TZ) ==="

# 1. Locate the newest local backup directory.
LATEST=$(ls -1d "${BACKUP_DIR}"/*/ 2>/dev/null | sort | tail -1 || true)
if [ -z "${LATEST}" ]; then
  echo "FATAL: no backup directories under ${BACKUP_DIR} — the 02:00 dump job did not run" >&2
  exit 1
fi
LATEST="${LATEST%/}"
STAMP=$(basename "${LATEST}")
echo "Newest local backup: ${STAMP}"

# 2. Staleness guard — a stale upload that reports success is worse
#    than a loud failure, because it hides that dumps have stopped.
if [ -z "$(find "${LATEST}" -maxdepth 0 -mmin "-${MAX_AGE_MINUTES}")" ]; then
  echo "FATAL: newest backup ${STAMP} is older than ${MAX_AGE_MINUTES} minutes — refusing to archive a stale copy" >&2
  exit 1
fi

# 3. Completion gate — the 02:00 job writes COMPLETE as its last act,
#    after every database, the roles, the cluster dump and the
#    manifest are on disk. Without this check the two failure modes
#    below both upload an incomplete backup and exit 0:
#      - the dump died partway (set -e) through its 17-database loop,
#        leaving a directory with only the first few dumps in it
#      - the dump is still running right now, and the files are
#        being written underneath us
#    Neither is detectable from the dump files themselves: a
#    half-written .dump still starts with a valid PGDMP header.
if [ ! -f "${LATEST}/COMPLETE" ]; then
  echo "FATAL: ${STAMP} has no COMPLETE sentinel — the 02:00 dump either failed partway or is still running. Refusing to archive a partial backup." >&2
  exit 1
fi
echo "Completion sentinel present — the local dump finished cleanly"

# 4. Integrity gate — every custom-format dump must be non-empty and
#    carry the real pg_dump magic header. Note this checks the magic
#    number only: it catches an empty or non-pg_dump file, not a
#    dump truncated after its first 5 bytes. Real verification needs
#    `pg_restore -l`, and pg_restore is not present in this image.
#    The COMPLETE sentinel above is what actually rules out
#    truncation, by proving the writer ran to completion.
DUMPS=0
for f in "${LATEST}"/*.dump; do
  [ -e "${f}" ] || continue
  if [ ! -s "${f}" ]; then
    echo "FATAL: ${f} is empty" >&2; exit 1
  fi
  if [ "$(head -c 5 "${f}")" != "PGDMP" ]; then
    echo "FATAL: ${f} is missing the PGDMP header — dump is corrupt or truncated" >&2; exit 1
  fi
  DUMPS=$((DUMPS + 1))
done
if [ "${DUMPS}" -eq 0 ]; then
  echo "FATAL: ${STAMP} contains no .dump files" >&2; exit 1
fi
echo "Verified ${DUMPS} dump file(s) — all non-empty with valid PGDMP headers"

# 5. Upload. Partitioned by year/month so the bucket stays browsable
#    and the lifecycle rule (30d → Glacier IR, expire 365d) applies.
DEST="s3://${S3_BUCKET}/${S3_PREFIX}/$(date -u +%Y/%m)/${STAMP}"
echo "Uploading ${LATEST} → ${DEST}"
aws s3 cp "${LATEST}" "${DEST}/" --recursive --only-show-errors

# 6. Verify the archive from S3's side, not from the exit code alone.
LOCAL_COUNT=$(find "${LATEST}" -type f | wc -l | tr -d ' ')
REMOTE_COUNT=$(aws s3 ls "${DEST}/" | grep -c . || true)
echo "Local files: ${LOCAL_COUNT}  Remote objects: ${REMOTE_COUNT}"
if [ "${REMOTE_COUNT}" -ne "${LOCAL_COUNT}" ]; then
  echo "FATAL: uploaded ${REMOTE_COUNT} objects but expected ${LOCAL_COUNT}" >&2; exit 1
fi

BYTES=$(du -sh "${LATEST}" | cut -f1)
echo "=== Archive OK: ${DEST} (${LOCAL_COUNT} objects, ${BYTES}) at $(date -u +%FT%TZ) ==="
