"""The apps of the staging cluster, in the order the cluster lists them, and which are on.

`enabled=False` keeps an app modelled but out of `dist/` (the cluster has it commented
out); `fako synth --include-disabled` renders it too.
"""

from __future__ import annotations

from fako.apps.ai_mastery_path import AiMasteryPath
from fako.apps.ai_news import AiNews
from fako.apps.alpha_scribe import AlphaScribe
from fako.apps.amig_erp import AmigErp
from fako.apps.audio_workflows import AudioWorkflows
from fako.apps.audiobookshelf import Audiobookshelf
from fako.apps.autobots import Autobots
from fako.apps.blog import Blog
from fako.apps.claude_usage_dashboard import ClaudeUsageDashboard
from fako.apps.cloudflare_tunnel import CloudflareTunnel
from fako.apps.connor_birthday import ConnorBirthday
from fako.apps.donetick import Donetick
from fako.apps.exo import Exo
from fako.apps.family_manager import FamilyManager
from fako.apps.fieldy_webhook import FieldyWebhook
from fako.apps.futures_trader import FuturesTrader
from fako.apps.ginger_hoa import GingerHoa
from fako.apps.gitleaks import Gitleaks
from fako.apps.gpustack_proxy import GpustackProxy
from fako.apps.headlamp import Headlamp
from fako.apps.housekeeping import Housekeeping
from fako.apps.hume_collector import HumeCollector
from fako.apps.ig_inbox_uploader import IgInboxUploader
from fako.apps.keycloak import Keycloak
from fako.apps.kokoro import Kokoro
from fako.apps.kube_bench import KubeBench
from fako.apps.langfuse import Langfuse
from fako.apps.linkding import Linkding
from fako.apps.market_replay import MarketReplay
from fako.apps.meal_tracker import MealTracker
from fako.apps.n8n import N8n
from fako.apps.node_labeling import NodeLabeling
from fako.apps.ollama import Ollama
from fako.apps.ollama_jetson import OllamaJetson
from fako.apps.ollama_jetson2 import OllamaJetson2
from fako.apps.ollama_webui import OllamaWebui
from fako.apps.open_webui import OpenWebui
from fako.apps.oura_agent import OuraAgent
from fako.apps.oura_collector import OuraCollector
from fako.apps.paperless_ngx import PaperlessNgx
from fako.apps.parakeet import Parakeet
from fako.apps.pgadmin import Pgadmin
from fako.apps.piper import Piper
from fako.apps.piper_v13 import PiperV13
from fako.apps.pixie import Pixie
from fako.apps.postgres_cluster import PostgresCluster
from fako.apps.postgres_recovery import PostgresRecovery
from fako.apps.pv_browser import PvBrowser
from fako.apps.remarkable_ocr import RemarkableOcr
from fako.apps.selfheal_harness import SelfhealHarness
from fako.apps.selfheal_test import SelfhealTest
from fako.apps.sftp_server import SftpServer
from fako.apps.soccer_banter import SoccerBanter
from fako.apps.social_media import SocialMedia
from fako.apps.thornus import Thornus
from fako.apps.umami import Umami
from fako.apps.unifi_clients import UnifiClients
from fako.apps.vault_gateway import VaultGateway
from fako.apps.vault_watchdog import VaultWatchdog
from fako.apps.voice_ingest import VoiceIngest
from fako.apps.voice_pipeline_test import VoicePipelineTest
from fako.apps.whisper import Whisper
from fako.apps.whisperx import Whisperx
from fako.apps.withings_collector import WithingsCollector
from fako.apps.zeroed import Zeroed
from fako.apps.zi import Zi
from fako.definition import Unit

__all__ = ["APPS"]

APPS = [
    Unit(AiMasteryPath),
    Unit(AiNews),
    Unit(AlphaScribe),
    Unit(AmigErp, enabled=False),
    Unit(AudioWorkflows, enabled=False),
    Unit(Audiobookshelf, enabled=False),
    Unit(Autobots),
    Unit(Blog),
    Unit(ClaudeUsageDashboard),
    Unit(CloudflareTunnel),
    Unit(ConnorBirthday, enabled=False),
    Unit(Donetick, enabled=False),
    Unit(Exo, enabled=False),
    Unit(FamilyManager),
    Unit(FieldyWebhook),
    Unit(FuturesTrader),
    Unit(GingerHoa),
    Unit(Gitleaks),
    Unit(GpustackProxy, enabled=False),
    Unit(Headlamp),
    Unit(Housekeeping),
    Unit(HumeCollector),
    Unit(IgInboxUploader),
    Unit(Keycloak),
    Unit(Kokoro, enabled=False),
    Unit(KubeBench),
    Unit(Langfuse),
    Unit(Linkding, enabled=False),
    Unit(MarketReplay),
    Unit(MealTracker),
    Unit(N8n),
    Unit(NodeLabeling, enabled=False),
    Unit(Ollama, enabled=False),
    Unit(OllamaJetson, enabled=False),
    Unit(OllamaJetson2, enabled=False),
    Unit(OllamaWebui),
    Unit(OpenWebui),
    Unit(OuraAgent),
    Unit(OuraCollector),
    Unit(PaperlessNgx, enabled=False),
    Unit(Parakeet, enabled=False),
    Unit(Pgadmin),
    Unit(Piper, enabled=False),
    Unit(PiperV13, enabled=False),
    Unit(Pixie, enabled=False),
    Unit(PostgresCluster),
    Unit(PostgresRecovery),
    Unit(PvBrowser),
    Unit(RemarkableOcr),
    Unit(SelfhealHarness),
    Unit(SelfhealTest),
    Unit(SftpServer),
    Unit(SoccerBanter),
    Unit(SocialMedia),
    Unit(Thornus),
    Unit(Umami),
    Unit(UnifiClients),
    Unit(VaultGateway),
    Unit(VaultWatchdog),
    Unit(VoiceIngest),
    Unit(VoicePipelineTest, enabled=False),
    Unit(Whisper, enabled=False),
    Unit(Whisperx),
    Unit(WithingsCollector),
    Unit(Zeroed),
    Unit(Zi),
]
