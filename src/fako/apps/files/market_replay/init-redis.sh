set -ex
# Generate redis config based on ordinal
HOSTNAME=$(hostname)
ORDINAL=${HOSTNAME##*-}

cp /config/redis.conf /data/redis.conf

if [ "$ORDINAL" != "0" ]; then
  echo "replicaof redis-0.redis-headless.market-replay.svc.cluster.local 6379" >> /data/redis.conf
fi
