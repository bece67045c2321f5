"""Recognising credentials in text, with the rule set of Yelp's `detect-secrets`.

fako does not invent secret patterns: it takes the regular expressions of the
`detect-secrets` plugins that look for a credential's own shape (AWS access keys,
GitHub/GitLab/Slack/Stripe/OpenAI tokens, private key blocks, JWTs, URLs with a password,
...) and runs them over rendered strings. The plugins that guess by entropy or by a
keyword next to a value are left out: on a cluster's configuration (hashes, UUIDs,
base64 config) they mostly find things that are not secrets; the keyword case is covered
by `fako.validation.secrets` looking at env var names instead.

`detect-secrets` drives its plugins line by line with filters (seconds for a cluster);
its patterns applied once per distinct string cost a few milliseconds per hundred objects.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fako.cachestore import CacheStore

__all__ = ["SCANNED", "remember_patterns", "secret_kinds"]

SCANNED = (
    "AWS Access Key",
    "Artifactory Credentials",
    "Azure Storage Account access key",
    "Basic Auth Credentials",
    "Discord Bot Token",
    "GitHub Token",
    "GitLab Token",
    "JSON Web Token",
    "Mailchimp Access Key",
    "NPM tokens",
    "OpenAI Token",
    "Private Key",
    "PyPI Token",
    "SendGrid API Key",
    "Slack Token",
    "Square OAuth Secret",
    "Stripe Access Key",
    "Telegram Bot Token",
    "Twilio API Key",
)
"""The `detect-secrets` secret types fako looks for (the plugins' `secret_type` names)."""

_MIN_LENGTH = 16
"""No credential these patterns know is shorter; shorter strings are not scanned."""


_loaded: tuple[tuple[str, re.Pattern[str]], ...] | None = None
_ENTRY = "fako-secret-patterns/1"


def _from_plugins() -> tuple[tuple[str, re.Pattern[str]], ...]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    plugins: dict[str, type] = get_mapping_from_secret_type_to_class()
    found: list[tuple[str, re.Pattern[str]]] = []
    for kind in SCANNED:
        plugin = plugins.get(kind)
        denylist = getattr(plugin, "denylist", None)
        if not denylist:
            raise RuntimeError(f"detect-secrets no longer has the {kind!r} plugin's patterns")
        found.extend((kind, pattern) for pattern in denylist)
    return tuple(found)


def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    global _loaded
    if _loaded is None:
        _loaded = _from_plugins()
    return _loaded


def _installed() -> str | None:
    """The installed detect-secrets, as the name of its `.dist-info` folder and where it is
    (what `importlib.metadata` reads, without its import cost); None when not found."""
    spec = importlib.util.find_spec("detect_secrets")
    if spec is None or not spec.submodule_search_locations:
        return None
    site = Path(spec.submodule_search_locations[0]).parent
    found = sorted(str(p) for p in site.glob("detect_secrets-*.dist-info"))
    return found[0] if len(found) == 1 else None


def remember_patterns(store: CacheStore) -> None:
    """Take the patterns from `store` when it holds those of the installed detect-secrets,
    else read them from its plugins and store them there.

    Importing detect-secrets (its plugins, filters and `requests`) costs about a tenth of
    a second; a render that reuses most of its units from the cache need not pay it.
    """
    global _loaded
    installed = _installed()
    if installed is None:
        return
    key = hashlib.sha256("\0".join([_ENTRY, installed, *SCANNED]).encode()).hexdigest()
    entry = store.read_json("imports", key)
    if (
        isinstance(entry, list)
        and entry
        and all(
            isinstance(e, list) and len(e) == 3 and e[0] in SCANNED and isinstance(e[1], str) and type(e[2]) is int
            for e in entry
        )
    ):
        try:
            _loaded = tuple((kind, re.compile(source, flags)) for kind, source, flags in entry)
            return
        except (re.error, ValueError):
            pass
    patterns = _patterns()
    store.write_json("imports", key, [[kind, p.pattern, p.flags] for kind, p in patterns])


@functools.lru_cache(maxsize=65536)
def secret_kinds(text: str) -> tuple[str, ...]:
    """The kinds of credential `text` contains (empty when none), e.g. `("GitHub Token",)`."""
    if len(text) < _MIN_LENGTH:
        return ()
    return tuple(dict.fromkeys(kind for kind, pattern in _patterns() if pattern.search(text)))
