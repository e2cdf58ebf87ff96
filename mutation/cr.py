"""cosmic-ray with Sifra's operators: `python mutation/cr.py <cosmic-ray arguments>`.

cosmic-ray finds operator providers through entry points; this wrapper adds the provider of
mutation/operators.py to the table before the command line runs, so that `init` lists its
operators and the local distributor's `exec` can apply them, without packaging them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cosmic_ray.plugins
from cosmic_ray.cli import cli
from operators import Provider

cosmic_ray.plugins.OPERATOR_PROVIDERS["sifra"] = Provider()

if __name__ == "__main__":
    sys.exit(cli())
