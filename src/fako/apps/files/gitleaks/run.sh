# Install additional tools
apk add --no-cache git jq bash openjdk11-jre

# Copy BFG from init container
cp /tools/bfg.jar /usr/local/bin/

# Run the cleanup script
bash /scripts/cleanup.sh
