#!/usr/bin/env bash
# Install docgen on a Debian/Ubuntu machine: system packages when missing, Python packages in .venv.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# the font list is read once into a variable: `fc-list | grep -q` under pipefail fails whenever
# grep stops reading early and fc-list dies of SIGPIPE, which made installed fonts look missing
fonts="$(fc-list 2>/dev/null || true)"
grep -q "Noto Serif CJK SC" <<<"$fonts" || need+=(fonts-noto-cjk)
# fallback faces for what CJK fonts lack: Arabic and Hebrew (DejaVu), emoji (Symbola)
grep -q "DejaVu Sans" <<<"$fonts" || need+=(fonts-dejavu-core)
grep -qi "Symbola" <<<"$fonts" || need+=(fonts-symbola)
# LibreOffice's Python bridge: lets docgen keep LibreOffice running and feed it one document at a time
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "docgen needs these system packages: ${need[*]}" >&2
      echo "This user is not root and there is no sudo. Ask an administrator to run:" >&2
      echo "  apt-get update && apt-get install -y --no-install-recommends ${need[*]} fontconfig" >&2
      echo "then run this script again." >&2
      exit 1
    fi
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'
echo "docgen installed: $(.venv/bin/docgen --version)"
