# Install jq if not available
if ! command -v jq &> /dev/null; then
  apt-get update && apt-get install -y jq
fi

# Run the cleanup script
bash /scripts/cleanup.sh
