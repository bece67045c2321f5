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
The patterns are read from `fako.secretpatterns`, which `tools/gen_secret_patterns.py`
generates from the installed detect-secrets (a test checks they still agree): importing
detect-secrets itself would cost every render about a tenth of a second.
"""

from __future__ import annotations

import functools
import re

from fako.secretpatterns import PATTERNS

__all__ = ["SCANNED", "secret_kinds"]

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


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern, flags)) for kind, pattern, flags in PATTERNS if kind in SCANNED)


@functools.lru_cache(maxsize=65536)
def secret_kinds(text: str) -> tuple[str, ...]:
    """The kinds of credential `text` contains (empty when none), e.g. `("GitHub Token",)`."""
    if len(text) < _MIN_LENGTH:
        return ()
    return tuple(dict.fromkeys(kind for kind, pattern in _patterns() if pattern.search(text)))
