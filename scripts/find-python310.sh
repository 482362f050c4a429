#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter, or explain what to install and exit 1.
# Rasa Open Source 3.6 supports Python 3.8-3.10 only, so the default python3 (3.11) won't do.
set -u
is310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }
for cand in "${PYTHON310:-}" python3.10; do
  [ -n "$cand" ] || continue
  path=$(command -v "$cand" 2>/dev/null) || continue
  if is310 "$path"; then echo "$path"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for path in "$root"/versions/3.10.*/bin/python /usr/local/bin/python3.10 /usr/bin/python3.10; do
  if [ -x "$path" ] && is310 "$path"; then echo "$path"; exit 0; fi
done
cat >&2 <<'MSG'
error: no Python 3.10 interpreter found.
Rasa Open Source 3.6 runs on Python 3.8-3.10 only. Install Python 3.10, e.g.
  pyenv install 3.10.13        (or: apt-get install python3.10 python3.10-venv)
or point PYTHON310 at one:  make run PYTHON310=/path/to/python3.10
MSG
exit 1
