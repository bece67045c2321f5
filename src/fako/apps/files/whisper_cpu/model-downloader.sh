echo "Fixing permissions on existing cache..."
chmod -R u+rwX /home/ubuntu/.cache/huggingface/hub 2>/dev/null || true
echo "Downloading Whisper model..."
python3 -c "
from huggingface_hub import snapshot_download
model_id = 'Systran/faster-distil-whisper-large-v3'
print(f'Downloading {model_id}...')
snapshot_download(repo_id=model_id, repo_type='model')
print(f'Successfully downloaded {model_id}')
"
echo "Model download complete"
