"""`fako secret edit APP NAME`: create or edit `secrets/<app>/<name>.sops.yaml` with the real sops.

fako secret edit n8n n8n-env          # opens $EDITOR on the decrypted Secret; saves it encrypted

A new file starts as a Secret named NAME in the app's namespace (so it renders with the
app: `SopsSecret(self, "env", SopsSecretSpec(name="NAME"))` in its module), encrypted for
the age recipient of the repository's `.sops.yaml`. Editing needs the age private key
(`SOPS_AGE_KEY_FILE` or ~/.config/sops/age/keys.txt); sops opens `$SOPS_EDITOR` or
`$EDITOR`. No value is ever printed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys

from fako.cli import ui
from fako.cli.options import common
from fako.errors import FakoError, UsageError

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako secret edit` to the command line."""
    p = sub.add_parser(
        "secret",
        parents=[common()],
        help="create or edit an app's encrypted Secret (fako secret edit APP NAME)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = actions.add_parser(
        "edit",
        parents=[common()],
        help="create or edit secrets/<app>/<name>.sops.yaml",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument("app", metavar="APP", help="the app the Secret belongs to")
    e.add_argument("name", metavar="NAME", help="the Secret's name")
    e.add_argument("--cluster", default="staging", help="cluster the app is in (default: staging)")
    e.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    e.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Find the app, check the name, hand the file to sops."""
    from fako.definition import build
    from fako.project import project_root
    from fako.secretedit import edit_secret
    from fako.synth import load_definition
    from fako.validation.names import dns1123_subdomain

    problems = dns1123_subdomain(args.name)
    if problems:
        raise FakoError(f"Secret name {args.name!r} {problems[0]}")
    definition = load_definition(args.cluster)
    units = {u.app.name: u.app for layer in definition.layers for u in layer.units}
    app = units.get(args.app)
    if app is None:
        close = difflib.get_close_matches(args.app, list(units), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; `fako apps` lists them"
        raise UsageError(f"no app named {args.app!r} in this cluster{hint}")
    namespace = app.namespace or app.name
    root = project_root()
    path = root / "secrets" / args.app / f"{args.name}.sops.yaml"
    result = edit_secret(root, path, name=args.name, namespace=namespace)
    rel = path.relative_to(root)
    referenced = False
    if path.exists():
        cluster = build(definition, include_disabled=True)
        referenced = any(o.sops_file is not None and o.sops_file == path.resolve() for o in cluster.objects)
    if args.format == "json":
        data = {
            "file": str(rel),
            "app": args.app,
            "namespace": namespace,
            "created": result.created,
            "changed": result.changed,
            "kept": path.exists(),
            "referenced": referenced,
        }
        sys.stdout.write(json.dumps(data, indent=1) + "\n")
    elif path.exists() and not referenced:
        print(
            f"{rel} is not used by app {args.app} yet: add "
            f'`SopsSecret(self, "{args.name}", SopsSecretSpec(name="{args.name}"))` to its build()'
        )
    if result.created and not result.changed:
        ui.info(f"nothing saved: {rel} was not created (the editor made no change)")
    elif not result.changed:
        ui.info(f"{rel} unchanged")
    else:
        verb = "created" if result.created else "updated"
        ui.info(f"{verb} {rel} (Secret {args.name} in namespace {namespace}), encrypted with .sops.yaml's recipient")
    return 0
