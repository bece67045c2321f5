echo "Voice Manager Starting..."

# Simple monitoring - Piper already has the voices it needs
while true; do
  echo "Voice manager check at $(date)"
  
  # Check if essential voice still exists
  if [ -f /data/en_US-ryan-medium.onnx ]; then
    echo "✓ Essential voice present (ryan-high)"
  else
    echo "⚠ Essential voice missing (ryan-high)!"
  fi
  
  # List available voices
  echo "Available voices:"
  ls -la /data/*.onnx 2>/dev/null || echo "No voices found"
  
  # Sleep for 1 hour
  sleep 3600
done
