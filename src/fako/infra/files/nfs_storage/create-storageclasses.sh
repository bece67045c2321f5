set -e

# Wait for the secret to be available
echo "Waiting for nfs-config secret..."
while ! kubectl get secret nfs-config -n infrastructure >/dev/null 2>&1; do
  echo "Secret not found, waiting..."
  sleep 5
done

# Get NFS configuration from secret
NFS_SERVER=$(kubectl get secret nfs-config -n infrastructure -o jsonpath='{.data.NFS_SERVER}' | base64 -d)
NFS_STORAGE_PATH=$(kubectl get secret nfs-config -n infrastructure -o jsonpath='{.data.NFS_STORAGE_PATH}' | base64 -d)
NFS_DB_PATH=$(kubectl get secret nfs-config -n infrastructure -o jsonpath='{.data.NFS_DB_PATH}' | base64 -d)
NFS_BACKUP_PATH=$(kubectl get secret nfs-config -n infrastructure -o jsonpath='{.data.NFS_BACKUP_PATH}' | base64 -d)

# Create security logs path if not in secret
NFS_SECURITY_LOGS_PATH="${NFS_STORAGE_PATH}/security-logs"

echo "NFS Server: $NFS_SERVER"
echo "Creating StorageClasses..."

# Create nfs-csi-v2 StorageClass
cat <<EOF | kubectl apply -f -
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-csi-v2
provisioner: nfs.csi.k8s.io
parameters:
  server: "$NFS_SERVER"
  share: "$NFS_STORAGE_PATH"
reclaimPolicy: Retain
allowVolumeExpansion: true
mountOptions:
  - nfsvers=3
  - nolock
EOF

# Create nfs-postgres-v2 StorageClass
# Using NFSv3 for compatibility
# NOTE: NFS export must be configured with appropriate UID/GID permissions
# For CloudNativePG: Either use no_root_squash/no_all_squash, or
# all_squash with anonuid=26,anongid=26 (postgres user)
cat <<EOF | kubectl apply -f -
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-postgres-v2
  annotations:
    storageclass.kubernetes.io/notes: "Requires NFS export with UID 26 (postgres) permissions"
provisioner: nfs.csi.k8s.io
parameters:
  server: "$NFS_SERVER"
  share: "$NFS_DB_PATH"
reclaimPolicy: Retain
allowVolumeExpansion: true
mountOptions:
  - nfsvers=3
  - nolock
  - hard
  - intr
  - rw
EOF

# Create nfs-backup StorageClass
cat <<EOF | kubectl apply -f -
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-backup
provisioner: nfs.csi.k8s.io
parameters:
  server: "$NFS_SERVER"
  share: "$NFS_BACKUP_PATH"
reclaimPolicy: Retain
allowVolumeExpansion: true
mountOptions:
  - nfsvers=3
  - nolock
EOF

# Create backup PersistentVolume
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: PersistentVolume
metadata:
  name: k8s-backup-pv
  labels:
    app: k8s-backup
    type: nfs-storage
spec:
  capacity:
    storage: 500Gi
  accessModes:
    - ReadWriteMany
  nfs:
    server: $NFS_SERVER
    path: $NFS_BACKUP_PATH
  persistentVolumeReclaimPolicy: Retain
EOF

# Create nfs-security-logs StorageClass
cat <<EOF | kubectl apply -f -
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-security-logs
  labels:
    app.kubernetes.io/component: security
    app.kubernetes.io/part-of: logging
provisioner: nfs.csi.k8s.io
parameters:
  server: "$NFS_SERVER"
  share: "$NFS_SECURITY_LOGS_PATH"
reclaimPolicy: Retain
allowVolumeExpansion: true
mountOptions:
  - nfsvers=3
  - nolock
  - hard
  - rw
EOF

echo "StorageClasses created successfully!"
