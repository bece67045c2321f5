"""`fako new app NAME`: write a new app module, render it in the whole cluster, say what is next.

fako new app hello --host hello.example.org                      # Deployment, Service, Ingress
fako new app nightly --schedule "0 3 * * *" --aws-secret API_TOKEN=nightly/api#token
fako new app whisper --gpu nvidia --port 8000 --database whisper --off

Writes `src/fako/apps/<name>.py` (apps are discovered: nothing else registers it; `--off`
adds the name to OFF in src/fako/clusters/staging_apps.py), then renders the app checked
against the whole cluster (`fako synth --app NAME -o -`); when that fails the files are put
back as they were and the command exits 1. Refuses a name an app already has, a name that
is not a DNS label, a host another app answers on and a database another app owns.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from fako.cli import ui
from fako.cli.options import common
from fako.errors import FakoError, UsageError
from fako.scaffold import AppSketch

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako new app` to the command line."""
    p = sub.add_parser(
        "new",
        parents=[common()],
        help="write a new app module (fako new app NAME ...)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    a = kinds.add_parser(
        "app", parents=[common()], help="a new app module", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    a.add_argument("name", metavar="NAME", help="the app's name: a DNS label, also its namespace")
    a.add_argument(
        "--image", default=AppSketch.image, help=f"container image (default: {AppSketch.image}, a placeholder)"
    )
    a.add_argument("--port", type=int, help="container port, with a Service (default 8080 when --host is given)")
    a.add_argument("--host", action="append", default=[], metavar="HOST", help="Ingress host (repeatable)")
    a.add_argument(
        "--database", action="append", default=[], metavar="DB", help="own a database in the shared Postgres"
    )
    a.add_argument("--gpu", metavar="POOL", help="run on GPU pool POOL (e.g. nvidia)")
    a.add_argument("--gpus", type=int, default=1, help="GPUs per pod with --gpu (default: 1)")
    a.add_argument(
        "--aws-secret", action="append", default=[], metavar="ENV=key#property",
        help="env var ENV from AWS Secrets Manager (repeatable)",
    )  # fmt: skip
    a.add_argument("--schedule", metavar="CRON", help="a CronJob on this schedule instead of a Deployment")
    a.add_argument("--off", action="store_true", help="add the app switched off (OFF in staging_apps.py)")
    a.add_argument("--cluster", default="staging", help="cluster to check against (default: staging)")
    a.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    a.set_defaults(func=run)


def _pool_constant(pool: str) -> str:
    from fako.patterns import nodepools
    from fako.patterns.gpu import GpuNodePool

    pools = {v.spec.name: k for k, v in vars(nodepools).items() if isinstance(v, GpuNodePool)}
    live = sorted(n for n in pools if not getattr(nodepools, pools[n]).spec.retired)
    if pool not in pools:
        raise UsageError(f"--gpu {pool!r}: no GPU pool of that name; the pools are {', '.join(live)}")
    if getattr(nodepools, pools[pool]).spec.retired:
        raise UsageError(f"--gpu {pool!r}: that pool is retired (its nodes left); use {', '.join(live)}")
    return pools[pool]


def _conflicts(cluster_name: str, name: str, hosts: list[str], databases: list[str]) -> list[str]:
    """Why the app cannot be added to the cluster as it is (name, hosts, databases taken)."""
    from fako.definition import build
    from fako.synth import load_definition
    from fako.topology import hosts as hosts_of

    definition = load_definition(cluster_name)
    found: list[str] = []
    units = [u.app for layer in definition.layers for u in layer.units]
    if any(app.name == name for app in units):
        found.append(f"an app named {name!r} exists already (`fako apps` lists them)")
    owners = {db: app.name for app in units for db in app.databases}
    found += [
        f"database {db!r} is owned by app {owners[db]!r}: pick another name, or share it in the module "
        f"(`shared_databases = ({db!r},)`)"
        for db in databases
        if db in owners
    ]
    if hosts:
        claimed = {h.hostname: key[1] for key, hs in hosts_of(build(definition, include_disabled=True)).items()
                   for h in hs}  # fmt: skip
        found += [f"host {h!r} is claimed by app {claimed[h]!r}" for h in hosts if h in claimed]
    return found


def _render(name: str) -> tuple[int, str]:
    """Render the app checked against the whole cluster, in a fresh process (it discovers the new module)."""
    import yaml

    proc = subprocess.run(
        [sys.executable, "-m", "fako", "synth", "--app", name, "-o", "-"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    if proc.returncode != 0:
        lines = [
            line.removeprefix("fako: ")
            for line in proc.stderr.strip().splitlines()
            if line != "nothing was written"  # synth's own words; this command puts its files back
        ]
        raise FakoError("the new app does not render clean (its files are put back):\n" + "\n".join(lines))
    return sum(1 for doc in yaml.safe_load_all(proc.stdout) if doc), proc.stderr


def _relative(path: Path) -> str:
    from fako.project import project_root

    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)


def run(args: argparse.Namespace) -> int:
    """Check, write, render; roll back when the render fails."""
    import fako.apps
    import fako.clusters.staging_apps
    from fako.offtable import add_off
    from fako.scaffold import AwsKey, app_module, class_name, module_name, sketch_problems

    sketch = AppSketch(
        name=args.name,
        image=args.image,
        port=args.port,
        hosts=tuple(args.host),
        databases=tuple(args.database),
        gpu_pool=_pool_constant(args.gpu) if args.gpu else None,
        gpus=args.gpus,
        aws=tuple(AwsKey.parse(text) for text in args.aws_secret),
        schedule=args.schedule,
    )
    problems = sketch_problems(sketch)
    if problems:
        raise FakoError("cannot add the app:\n  " + "\n  ".join(problems))
    module = Path(fako.apps.__path__[0]) / f"{module_name(args.name)}.py"
    if module.exists():
        raise FakoError(f"cannot add the app: {_relative(module)} exists already")
    problems = _conflicts(args.cluster, args.name, list(args.host), list(args.database))
    if problems:
        raise FakoError("cannot add the app:\n  " + "\n  ".join(problems))
    table = Path(fako.clusters.staging_apps.__file__)
    before = table.read_text()
    edited = add_off(before, args.name, where=_relative(table)) if args.off else before
    module.write_text(app_module(sketch))
    try:
        if edited != before:
            table.write_text(edited)
        objects, _ = _render(args.name)
    except BaseException:
        module.unlink()
        table.write_text(before)
        raise
    rel = _relative(module)
    steps = [
        f"edit {rel}: the image, env, probes and resources are a starting point",
        f"fako synth --app {args.name} -o -   (its YAML, checked against the whole cluster)",
        "fako validate   (the whole cluster)",
    ]
    if sketch.aws:
        keys = sorted({k.ref.partition("#")[0] for k in sketch.aws})
        steps.append(f"create the AWS Secrets Manager key{'s' if len(keys) > 1 else ''} {', '.join(keys)}")
    if args.off:
        steps.append(f"switch it on: remove {args.name!r} from OFF in {_relative(table)}")
    steps.append(f"git add {rel}{' ' + _relative(table) if args.off else ''} && git commit")
    if args.format == "json":
        data = {
            "app": args.name,
            "class": class_name(args.name),
            "module": rel,
            "off": bool(args.off),
            "objects": objects,
            "next": steps,
        }
        sys.stdout.write(json.dumps(data, indent=1) + "\n")
    else:
        print(f"wrote {rel} (class {class_name(args.name)}, namespace {args.name}); next:")
        for i, step in enumerate(steps, 1):
            print(f"  {i}. {step}")
    state = "switched off" if args.off else "switched on"
    ui.info(f"added app {args.name} ({state}): {ui.plural(objects, 'object')}, rendered and validated clean")
    return 0
