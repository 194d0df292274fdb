#!/usr/bin/env bash
# Create .venv with Python 3.12 (Mesa >= 3.5 needs it; plain python3 may be 3.11)
# and install jmsim with its test extra. Idempotent: re-running only updates.
set -euo pipefail
cd "$(dirname "$0")/.."
find_py() {
  for c in python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; assert sys.version_info[:2] >= (3, 12)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    v=$(pyenv versions --bare | grep -E '^3\.12' | tail -n1 || true)
    if [ -n "$v" ]; then echo "$(pyenv root)/versions/$v/bin/python3.12"; return 0; fi
  fi
  echo "error: Python 3.12 not found (install python3.12; Mesa >= 3.5 requires it)" >&2
  return 1
}
PY=$(find_py)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,cjk]" 2>&1 | grep -v "is ignored: it is neither" || true
# An editable install leaves jmsim's own modules uncompiled (pip compiles a regular
# install); compile them now, so a start-up never compiles them where bytecode writing
# is off (PYTHONDONTWRITEBYTECODE): ~0.04 s of every `jmsim` start.
.venv/bin/python -m compileall -q -j 0 sim scenarios viz >/dev/null
.venv/bin/python -c 'import mesa, simpy, sim; print(f"jmsim ready: mesa {mesa.__version__}, simpy {simpy.__version__}")'
