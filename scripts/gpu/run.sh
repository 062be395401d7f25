#!/usr/bin/env bash
# Runs the packed folk-lab on a machine whose PyTorch brings the libtorch (CUDA included): the libraries in
# torch/lib are loaded before TorchSharp starts (FOLK_LAB_LIBTORCH). Usage: ./run.sh env --probe-device
#                                                                              ./run.sh pretrain --device cuda ...
# PYTHON selects the interpreter whose torch to use (default: python3); FOLK_LAB_LIBTORCH set by hand wins.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${FOLK_LAB_LIBTORCH:-}" ]; then
  FOLK_LAB_LIBTORCH="$("${PYTHON:-python3}" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')" || {
    echo "run.sh: no PyTorch found for ${PYTHON:-python3}; set PYTHON or FOLK_LAB_LIBTORCH to a libtorch lib folder." >&2
    exit 2
  }
fi
export FOLK_LAB_LIBTORCH
# the PyTorch side of `folk-lab bench` runs in the same Python whose libtorch Folk.Lab uses
export FOLK_LAB_PYTHON="${FOLK_LAB_PYTHON:-$(command -v "${PYTHON:-python3}")}"
export LD_LIBRARY_PATH="$FOLK_LAB_LIBTORCH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DOTNET_gcServer=0
exec "$here/folk-lab" "$@"
