echo "Model manager starting..."
sleep 60

export OLLAMA_HOST=http://localhost:11434

# Download granite3.3:2b model (primary model - works well with voice pipelines)
echo "Pulling granite3.3:2b model..."
ollama pull granite3.3:2b || echo "Failed to pull granite3.3:2b"

# Download cogito:3b model (secondary model)
# NOTE: cogito:3b may expose function/tool calling in responses which can interfere
# with voice assistant pipelines. Use granite3.3:2b for voice-based interactions.
echo "Pulling cogito:3b model..."
ollama pull cogito:3b || echo "Failed to pull cogito:3b"

# Pre-load granite3.3:2b model as primary (preferred for voice pipelines)
# This model provides clean responses without exposing internal tools/functions
echo "Pre-loading granite3.3:2b model to memory..."
ollama run granite3.3:2b "Initialize" || echo "Failed to pre-load granite3.3:2b"

echo "Model setup complete. Primary model granite3.3:2b (voice-optimized) is loaded with environment configurations:"
echo "- Context: 8192 (from OLLAMA_CONTEXT_LENGTH)"
echo "- Batch: 256 (from OLLAMA_BATCH_SIZE)"
echo "- GPU Layers: 999 (from OLLAMA_GPU_LAYERS)"
echo "- Keep Alive: 24h (from OLLAMA_KEEP_ALIVE)"
echo ""
echo "Available models:"
ollama list

# Simple heartbeat loop (optional since OLLAMA_KEEP_ALIVE=24h handles this)
while true; do
  sleep 300  # 5 minutes
  echo "Model manager heartbeat - granite3.3:2b should remain loaded via OLLAMA_KEEP_ALIVE=24h"
  # Check if primary model is still loaded
  ollama list | grep -q "granite3.3:2b" || {
    echo "Primary model granite3.3:2b not found in list, attempting to reload..."
    ollama run granite3.3:2b "Initialize" > /dev/null 2>&1
  }
done
