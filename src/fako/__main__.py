"""`python -m fako`."""

import sys

from fako.cli.main import main

sys.exit(main())
