"""`docgen build` of this checkout against the same command of an earlier commit, interleaved on
the sample data, as a user runs it (process start to exit).

  --force       every output made again
  no-op         nothing changed since the last build
  no-op, touched   (earlier commits with a stat snapshot only) a data file touched, content the same

Usage: .venv/bin/python bench/compare_commit.py BASE_COMMIT [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def timed(src: Path, data: Path, out: Path, *extra: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(src))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.monotonic()
    subprocess.run([PYTHON, "-m", "docgen.cli", "build", "--data", str(data), "--out", str(out), *extra],
                   env=env, cwd=src.parent, check=True, capture_output=True, timeout=1800)
    return time.monotonic() - start


def only_agreements(text: str, ids: set[str]) -> str:
    """agreements.yaml without the agreements whose id is not in `ids` (agreements added to the
    sample since the base commit, e.g. the draft renewal hx-2027), so both commits make the same
    documents."""
    head, *blocks = re.split(r"(?m)^(?=  - id: )", text)
    return head + "".join(b for b in blocks if re.match(r"  - id: (\S+)", b).group(1) in ids)  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docgen-compare-"))
    base = work / "base"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(base), args.base], check=True)
    try:
        trees = {"base": base, "now": ROOT}
        results: dict[str, dict[str, list[float]]] = {k: {"force": [], "noop": [], "touched": []} for k in trees}
        base_ids = set(re.findall(r"^  - id: (\S+)$", (base / "data/agreements.yaml").read_text(encoding="utf-8"),
                                  re.MULTILINE))
        for name, tree in trees.items():  # a first build of each, to fill caches and output folders
            shutil.copytree(tree / "data", work / f"data-{name}")  # each commit with its own sample data
            agreements = work / f"data-{name}" / "agreements.yaml"  # drafts: --force makes every output
            agreements.write_text(only_agreements(agreements.read_text(encoding="utf-8"), base_ids)
                                  .replace("    status: signed\n", "").replace("    status: draft\n", ""),
                                  encoding="utf-8")
            timed(tree / "src", work / f"data-{name}", work / f"out-{name}", "--force")
        for r in range(args.rounds):
            for name, tree in trees.items():
                data, out = work / f"data-{name}", work / f"out-{name}"
                results[name]["force"].append(timed(tree / "src", data, out, "--force"))
                results[name]["noop"].append(timed(tree / "src", data, out))
                os.utime(data / "client.yaml")
                results[name]["touched"].append(timed(tree / "src", data, out))
            print(f"round {r + 1}: " + "; ".join(f"{n} " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in res.items())
                                                 for n, res in results.items()))
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        print(f"\n| `docgen build` on the sample data | {args.base} | {commit} |")
        print("| --- | --- | --- |")
        labels = {"force": "`--force` (48 outputs)", "noop": "no-op", "touched": "no-op, a data file touched"}
        for key, label in labels.items():
            print(f"| {label} | {statistics.median(results['base'][key]):.2f} s | "
                  f"{statistics.median(results['now'][key]):.2f} s |")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
