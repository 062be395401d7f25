#!/usr/bin/env bash
# NCCL on one GPU (world size 1), through the packed folk-lab: finds libnccl.so.2 (FOLK_LAB_NCCL, else beside the
# PyTorch libtorch run.sh selects, else the system loader), makes a one-rank communicator on cuda:0, and checks
# all-reduce (float32, bfloat16), a slice's device address, broadcast and a barrier. Exit 0 when all pass; otherwise
# the reason on stderr (every NCCL path tried, or the NCCL call that failed) and exit 1.
# Usage, in the unpacked folk-lab folder: PYTHON=/path/to/venv/bin/python ./nccl-check.sh
# NCCL_DEBUG defaults to WARN here so that NCCL's own account of a failure is printed too.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export NCCL_DEBUG="${NCCL_DEBUG:-WARN}"
exec "$here/run.sh" env --probe-nccl "$@"
