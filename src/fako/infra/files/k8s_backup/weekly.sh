# Weekly backup with PVC data export
export BACKUP_DIR="/backups/weekly"
export NAMESPACES="$(kubectl get ns -o name | cut -d/ -f2 | grep -v kube- | tr '\n' ' ')"
/scripts/backup.sh
