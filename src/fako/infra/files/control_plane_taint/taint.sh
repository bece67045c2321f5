echo "Applying taint to control plane nodes..."
# Find and taint all control plane nodes
kubectl get nodes -l node-role.kubernetes.io/control-plane -o name | while read node; do
  kubectl taint nodes ${node#node/} node-role.kubernetes.io/control-plane=:NoSchedule --overwrite
  echo "Tainted ${node#node/}"
done
# Also taint specific node if it exists
if kubectl get node zz-macbookpro >/dev/null 2>&1; then
  kubectl taint nodes zz-macbookpro node-role.kubernetes.io/control-plane=:NoSchedule --overwrite
  echo "Tainted zz-macbookpro"
fi
