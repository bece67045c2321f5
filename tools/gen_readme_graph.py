"""Write `fako graph` (Mermaid) into README.md between `<!-- graph:begin -->` and `<!-- graph:end -->`.

    .venv/bin/python tools/gen_readme_graph.py          # rewrite the block
    .venv/bin/python tools/gen_readme_graph.py --check  # exit 1 when it is stale

tests/test_cli_graph.py checks the block equals the command's output.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"<!-- graph:begin -->\n.*?<!-- graph:end -->", re.S)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 when the README's block is stale")
    args = parser.parse_args()
    fako = Path(sys.executable).parent / "fako"
    proc = subprocess.run([str(fako), "graph", "-q"], capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        return 1
    text = README.read_text()
    if not BLOCK.search(text):
        print("README.md has no <!-- graph:begin --> ... <!-- graph:end --> block", file=sys.stderr)
        return 1
    block = f"<!-- graph:begin -->\n```mermaid\n{proc.stdout}```\n<!-- graph:end -->"
    new = BLOCK.sub(lambda _: block, text)
    if args.check:
        if new != text:
            print("README.md's cluster graph is stale: run tools/gen_readme_graph.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
