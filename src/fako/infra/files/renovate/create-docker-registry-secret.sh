# Get credentials from the simple secret
USERNAME=$(kubectl get secret dockerhub-credentials -n renovate -o jsonpath='{.data.username}' | base64 -d)
PASSWORD=$(kubectl get secret dockerhub-credentials -n renovate -o jsonpath='{.data.password}' | base64 -d)

# Delete existing secret if it exists
kubectl delete secret dockerhub-registry -n renovate --ignore-not-found=true

# Create the docker registry secret with proper escaping
kubectl create secret docker-registry dockerhub-registry \
  --docker-server=https://index.docker.io/v1/ \
  --docker-username="${USERNAME}" \
  --docker-password="${PASSWORD}" \
  --namespace=renovate \
  --dry-run=client -o yaml | kubectl apply -f -
