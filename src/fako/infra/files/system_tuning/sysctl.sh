# Increase inotify limits
sysctl -w fs.inotify.max_user_watches=524288
sysctl -w fs.inotify.max_user_instances=512
sysctl -w fs.file-max=2097152

# Keep container running
while true; do
  sleep 86400
done
