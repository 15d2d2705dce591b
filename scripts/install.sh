#!/usr/bin/env bash
# Install the assistant into ./.venv.
#   bash scripts/install.sh          the product: web chat, CLI, evals (no torch)
#   bash scripts/install.sh --test   plus what the tests need: the sentence-transformers extra
#                                    (torch pinned to the CPU build 2.13.0), Playwright and,
#                                    when absent, Debian's chromium (never a browser download)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip

if [[ "${1:-}" == "--test" ]]; then
  # torch first and pinned: anything else would pull a multi-GB CUDA build.
  .venv/bin/python -m pip install -q "torch==2.13.0"
  .venv/bin/python -m pip install -q -e ".[st,llm,test]"
  if [[ ! -x /usr/bin/chromium ]]; then
    SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
else
  .venv/bin/python -m pip install -q -e ".[llm]"
fi
echo "Đã cài đặt vào .venv"
