"""The apps of the staging cluster: every module in `fako.apps`, and which are switched off.

Adding an app is adding its module under `src/fako/apps/`; nothing else registers it.
`OFF` lists the apps the cluster keeps modelled but does not run (they are commented out
in the real cluster): `fako synth` leaves them out, `fako synth --include-disabled`
renders them too. A name here that no module defines is an error.
"""

from __future__ import annotations

import fako.apps
from fako.definition import discover

__all__ = ["APPS", "OFF"]

OFF = frozenset(
    {
        "amig-erp",
        "audio-workflows",
        "audiobookshelf",
        "backstage",
        "claude-code",
        "connor-birthday",
        "donetick",
        "exo",
        "gpustack-proxy",
        "kokoro",
        "linkding",
        "n3xis",
        "n8n-migration",
        "nick-brothers",
        "node-labeling",
        "ollama",
        "ollama-jetson",
        "ollama-jetson2",
        "openwakeword",
        "oura-dashboard",
        "paperless-ngx",
        "parakeet",
        "piper",
        "piper-v13",
        "pixie",
        "voice-pipeline-test",
        "wger",
        "whisper",
        "whisper-cpu",
    }
)

APPS = discover(fako.apps, disabled=OFF)
