echo "Model manager starting..."
sleep 60

export OLLAMA_HOST=http://localhost:11434

# Download qwen3:4b model
echo "Pulling qwen3:4b model..."
ollama pull qwen3:4b || echo "Failed to pull qwen3:4b"

# Pre-load qwen3:4b model
echo "Pre-loading qwen3:4b model to memory..."
ollama run qwen3:4b "Initialize" || echo "Failed to pre-load qwen3:4b"

echo "Model setup complete. qwen3:4b model is loaded with environment configurations:"
echo "- Context: 8192 (from OLLAMA_CONTEXT_LENGTH)"
echo "- Batch: 256 (from OLLAMA_BATCH_SIZE)"
echo "- GPU Layers: 999 (from OLLAMA_GPU_LAYERS)"
echo "- Keep Alive: 24h (from OLLAMA_KEEP_ALIVE)"
echo ""
echo "Available models:"
ollama list

# Simple heartbeat loop
while true; do
  sleep 300  # 5 minutes
  echo "Model manager heartbeat - qwen3:4b should remain loaded via OLLAMA_KEEP_ALIVE=24h"
  # Check if model is still loaded
  ollama list | grep -q "qwen3:4b" || {
    echo "Model qwen3:4b not found in list, attempting to reload..."
    ollama run qwen3:4b "Initialize" > /dev/null 2>&1
  }
done
