"""Run docgen from a checkout: `python cli.py --help` (same as the `docgen` command)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from docgen.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
