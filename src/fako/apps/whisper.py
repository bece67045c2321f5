"""Whisper: faster-whisper speech-to-text behind the Wyoming protocol (Home Assistant voice).

Runs on aitower's GPU (retired host, app switched off but modelled); exposed on NodePort
30300 (Wyoming TCP 10300); keeps its models on a 10Gi NFS claim; tuned through the
`whisper-gpu-configmap`. No secrets. Same shape as parakeet.
"""

from __future__ import annotations

from fako import k8s
from fako.apps.parakeet import wyoming_gpu
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import env, env_from
from fako.tree import AppConstruct

CONFIG = {  # whisper-gpu-configmap, read whole as env
    "BEAM_SIZE": "1", "COMPUTE_TYPE": "float16", "HF_HOME": "/data/.cache", "LANGUAGE": "en",
    "MAX_SPEECH_DURATION_S": "30", "MIN_SPEECH_DURATION_MS": "250", "MODEL": "large",
    "NVIDIA_DRIVER_CAPABILITIES": "compute,utility", "SPEECH_PAD_MS": "400", "TRANSFORMERS_CACHE": "/data/.cache",
    "VAD_THRESHOLD": "0.5", "WYOMING_URI": "tcp://0.0.0.0:10300",
}
CUDA_ENV: dict[str, str | k8s.EnvVarSource] = {
    "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1",
    "PYTORCH_CUDA_ALLOC_CONF": "max_split_size_mb:64,garbage_collection_threshold:0.8,expandable_segments:False",
    "CUDA_LAUNCH_BLOCKING": "1", "TORCH_CUDA_EMPTY_CACHE_INTERVAL": "1", "TORCH_CUDA_ARCH_LIST": "7.5;8.0;8.6",
}


class Whisper(AppConstruct):
    """Wyoming faster-whisper (large model) on one GPU."""

    name = "whisper"

    def build(self) -> None:
        ConfigMap(self, "config", ConfigMapSpec(name="whisper-gpu-configmap", data=CONFIG))
        # NodePort 30300, claim whisper-models 10Gi, requests 3000m CPU / 4Gi (see parakeet.wyoming_gpu)
        wyoming_gpu(self, "whisper-gpu", 30300, "whisper-models", "10Gi", "3000m", "4Gi", service_port="wyoming",
                    name="whisper", image="ghcr.io/slackr31337/wyoming-whisper-gpu:v2025.01.4", env=env(CUDA_ENV),
                    env_from=env_from(config_maps=["whisper-gpu-configmap"]))
