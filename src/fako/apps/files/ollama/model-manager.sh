echo "Model manager starting..."
sleep 60

export OLLAMA_HOST=http://localhost:11434

echo "Downloading models for RTX 5060..."

# PRIORITY 1: qwen3:8b - Primary Default Model
echo ""
echo "=== PRIMARY DEFAULT MODEL ==="
ollama pull qwen3:8b || echo "Failed qwen3:8b"

# PRIORITY 2: Home Assistant specialized models
echo ""
echo "=== HOME ASSISTANT SPECIALIZED MODELS ==="
# ollama pull granite3-moe:1b || echo "Failed granite3-moe:1b"
ollama pull granite3.3:8b || echo "Failed granite3.3:8b"

# PRIORITY 2: Latest Gemma models
echo ""
echo "=== GEMMA 3 MODELS ==="
# ollama pull gemma2:2b || echo "Failed gemma2:2b"
# ollama pull gemma2:9b || echo "Failed gemma2:9b"  # Larger model for RTX 5070

# PRIORITY 3: Small efficient models
echo ""
echo "=== SMALL EFFICIENT MODELS (1-4B) ==="
ollama pull qwen2.5:0.5b || echo "Failed qwen2.5:0.5b"
ollama pull qwen3:4b || echo "Failed qwen3:4b"
# ollama pull llama3.2:3b || echo "Failed llama3.2:3b"
# ollama pull phi3:mini || echo "Failed phi3:mini"

# PRIORITY 4: Medium models - RTX 5060 can handle these well
echo ""
echo "=== MEDIUM MODELS (7-8B) ==="
ollama pull llama3.1:8b || echo "Failed llama3.1:8b"
ollama pull deepseek-coder:6.7b-instruct || echo "Failed deepseek-coder:6.7b-instruct"

# PRIORITY 4.5: Enhanced DeepSeek R1 Coder for autonomous agents
echo ""
echo "=== DEEPSEEK R1 CODER TOOLS (Enhanced for Cline) ==="
ollama pull ishumilin/deepseek-r1-coder-tools:14b || echo "Failed ishumilin/deepseek-r1-coder-tools:14b"
ollama pull deepseek-r1:14b || echo "Failed deepseek-r1:14b"
# ollama pull mistral:7b-instruct-v0.3-q5_K_M || echo "Failed mistral:7b"
# ollama pull qwen2.5:7b-instruct-q5_K_M || echo "Failed qwen2.5:7b"
# ollama pull orieg/gemma3-tools:4b || echo "Failed gemma3-tools:4b"

# PRIORITY 5: Larger models - RTX 5060 has the memory
echo ""
echo "=== LARGER MODELS (13B+) ==="
ollama pull qwen:32b || echo "Failed qwen:32b"
# ollama pull llama2:13b-chat-q4_K_M || echo "Failed llama2:13b"
# ollama pull deepseek-r1:14b || echo "Failed deepseek-r1:14b"
# ollama pull phi-4:latest || echo "Failed phi-4"
# ollama pull orieg/gemma3-tools:27b || echo "Failed gemma3-tools:27b"
# ollama pull orieg/gemma3-tools:12b || echo "Failed gemma3-tools:12b"

# PRIORITY 6: Even larger models for RTX 5060
echo ""
echo "=== HIGH-END MODELS ==="
# ollama pull mixtral:8x7b-instruct-v0.1-q3_K_M || echo "Failed mixtral"
# ollama pull llama3.3:latest || echo "Failed llama3.3 70B"

echo "Model download complete."
ollama list

# Pre-load qwen3:8b model into GPU memory and keep for 24h
echo ""
echo "=== PRE-LOADING PRIMARY MODEL ==="
echo "Pre-loading qwen3:8b model into GPU memory..."
ollama run qwen3:8b "Initialize model in GPU memory" || echo "Failed to pre-load qwen3:8b"

echo "qwen3:8b model loaded with 24h keep-alive (OLLAMA_KEEP_ALIVE=24h from config)"
echo "Model will remain in GPU memory for 24 hours"

while true; do
  sleep 600
  echo "Model manager heartbeat..."
  # Verify qwen3:8b is still loaded
  ollama list | grep -q "qwen3:8b" || {
    echo "Primary model qwen3:8b not found, reloading..."
    ollama run qwen3:8b "Reload into GPU memory" > /dev/null 2>&1
  }
done
