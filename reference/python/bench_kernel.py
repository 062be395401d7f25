"""Kernel latency through jupyter_client: start -> kernel_info_reply, and the `1+1` round trip (execute_request ->
execute_reply and iopub idle), for each kernel named on the command line, in the same run.

With --python-cells KERNEL, that kernel (Folk.Lab's) also runs Python cells: the first `#!python` cell, which starts
its Python kernel, and the `#!python 1+1` round trip, relayed through it.

Run: /usr/bin/python3 bench_kernel.py --kernels folk-csharp python3 [--python-cells folk-csharp] [--starts 5] [--trips 50]
(JUPYTER_PATH must reach the kernelspecs). Prints one JSON object: {kernel: {"ready_s": [...], "trip_ms": [...],
"python_start_s": [...], "python_trip_ms": [...]}} (the last two for --python-cells only).
"""
import argparse, json, time

import jupyter_client


def round_trip(kc, code):
    start = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernels", nargs="+", required=True)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--trips", type=int, default=50)
    parser.add_argument("--python-cells", default=None)
    args = parser.parse_args()
    results = {k: {"ready_s": [], "trip_ms": [], "python_start_s": [], "python_trip_ms": []} for k in args.kernels}
    for _ in range(args.starts):
        for kernel in args.kernels:  # interleaved, so both sides see the same machine load
            start = time.perf_counter()
            km, kc = jupyter_client.manager.start_new_kernel(kernel_name=kernel, startup_timeout=60)
            results[kernel]["ready_s"].append(time.perf_counter() - start)
            try:
                round_trip(kc, "1+1")  # the first cell pays for loading the compiler; not a round trip
                time.sleep(0.5)
                results[kernel]["trip_ms"] += [1000 * round_trip(kc, "1+1") for _ in range(args.trips)]
                if kernel == args.python_cells:
                    results[kernel]["python_start_s"].append(round_trip(kc, "#!python\n1+1"))
                    time.sleep(0.5)
                    results[kernel]["python_trip_ms"] += [1000 * round_trip(kc, "#!python\n1+1") for _ in range(args.trips)]
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
