# Create GHCR registry secret
GHCR_USERNAME=$(kubectl get secret ghcr-credentials -n connor-birthday -o jsonpath='{.data.username}' | base64 -d)
GHCR_PASSWORD=$(kubectl get secret ghcr-credentials -n connor-birthday -o jsonpath='{.data.password}' | base64 -d)
kubectl delete secret ghcr-registry -n connor-birthday --ignore-not-found=true
kubectl create secret docker-registry ghcr-registry \
  --docker-server=ghcr.io \
  --docker-username="${GHCR_USERNAME}" \
  --docker-password="${GHCR_PASSWORD}" \
  --namespace=connor-birthday

# Create DockerHub registry secret
DH_USERNAME=$(kubectl get secret dockerhub-credentials -n connor-birthday -o jsonpath='{.data.username}' | base64 -d)
DH_PASSWORD=$(kubectl get secret dockerhub-credentials -n connor-birthday -o jsonpath='{.data.password}' | base64 -d)
kubectl delete secret dockerhub-registry -n connor-birthday --ignore-not-found=true
kubectl create secret docker-registry dockerhub-registry \
  --docker-server=https://index.docker.io/v1/ \
  --docker-username="${DH_USERNAME}" \
  --docker-password="${DH_PASSWORD}" \
  --namespace=connor-birthday
