#!/usr/bin/env bash
# Install docgen on a Debian/Ubuntu machine: system packages when missing, Python packages in .venv.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -q "Noto Serif CJK SC" || need+=(fonts-noto-cjk)
# fallback faces for what CJK fonts lack: Arabic and Hebrew (DejaVu), emoji (Symbola)
fc-list 2>/dev/null | grep -q "DejaVu Sans" || need+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi "Symbola" || need+=(fonts-symbola)
# LibreOffice's Python bridge: lets docgen keep LibreOffice running and feed it one document at a time
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'
echo "docgen installed: $(.venv/bin/docgen --version)"
