set -e
BASE_URL="https://huggingface.co/rhasspy/piper-voices/resolve/main/en/en_US/ryan/medium"
VOICE="en_US-ryan-medium"
for f in "${VOICE}.onnx" "${VOICE}.onnx.json"; do
  if [ ! -f "/data/${f}" ]; then
    echo "Downloading ${f}..."
    for i in 1 2 3; do
      wget -q -O "/data/${f}.tmp" "${BASE_URL}/${f}" && mv "/data/${f}.tmp" "/data/${f}" && break || sleep $((i*5))
    done
    [ -f "/data/${f}" ] || { echo "Failed to fetch ${f}"; exit 1; }
  else
    echo "Already present: ${f}"
  fi
done
