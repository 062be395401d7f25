"""Kernel latency through jupyter_client: start -> kernel_info_reply, and the `1+1` round trip (execute_request ->
execute_reply and iopub idle), for each kernel named on the command line, in the same run.

With --polyglot KERNEL, that kernel (Folk.Lab's) also runs F# and Python cells: the first `#!fsharp` cell, which
starts its F# session, and the first `#!python` cell, which starts its Python kernel, then each language's `1+1` round
trip. Both kernels also move a slider widget from the client, as a front end does, and time each move until the kernel
is idle again (ipykernel needs ipywidgets: python3-ipywidgets).

Run: /usr/bin/python3 bench_kernel.py --kernels folk-csharp python3 [--polyglot folk-csharp] [--starts 5] [--trips 50]
(JUPYTER_PATH must reach the kernelspecs). Prints one JSON object: {kernel: {"ready_s": [...], "trip_ms": [...], "widget_ms": [...],
"fsharp_start_s": [...], "fsharp_trip_ms": [...], "python_start_s": [...], "python_trip_ms": [...]}} (the last four
for --polyglot only).
"""
import argparse, json, time

import jupyter_client

WIDGET_CELLS = {  # a slider with a handler, displayed; the kernel's comm_open carries its comm id
    "python3": "import ipywidgets\nslider = ipywidgets.IntSlider()\nseen = []\nslider.observe(lambda change: seen.append(change['new']), 'value')\ndisplay(slider)",
    "folk": "var slider = new Folk.Lab.Interactive.Widgets.IntSlider(0, 0, 1000);\nvar seen = new List<int>();\nslider.Changed += seen.Add;\ndisplay(slider);",
}


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


def widget_trips(kc, kernel, trips):
    """Moves a displayed slider from the client as a front end does (comm_msg, backbone) and times each move until the
    kernel is idle again, its handler run; [] where the kernel has no widgets (ipykernel without ipywidgets)."""
    msg_id = kc.execute(WIDGET_CELLS["python3" if kernel == "python3" else "folk"])
    slider = None
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "comm_open" and msg["content"]["data"].get("_model_name") == "IntSliderModel":
            slider = msg["content"]["comm_id"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    if slider is None:
        return []
    times = []
    for value in range(1, trips + 1):
        start = time.perf_counter()
        msg = kc.session.msg("comm_msg", {"comm_id": slider, "data": {"method": "backbone", "sync_data": {"value": value}}})
        kc.shell_channel.send(msg)
        while True:
            reply = kc.get_iopub_msg(timeout=60)
            if (reply["parent_header"].get("msg_id") == msg["header"]["msg_id"] and reply["msg_type"] == "status"
                    and reply["content"]["execution_state"] == "idle"):
                times.append(1000 * (time.perf_counter() - start))
                break
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernels", nargs="+", required=True)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--trips", type=int, default=50)
    parser.add_argument("--polyglot", default=None)
    args = parser.parse_args()
    languages = ("fsharp", "python")
    results = {k: {key: [] for key in ["ready_s", "trip_ms", "widget_ms"] + [f"{l}_{m}" for l in languages for m in ("start_s", "trip_ms")]}
               for k in args.kernels}
    for _ in range(args.starts):
        for kernel in args.kernels:  # interleaved, so both sides see the same machine load
            start = time.perf_counter()
            km, kc = jupyter_client.manager.start_new_kernel(kernel_name=kernel, startup_timeout=60)
            results[kernel]["ready_s"].append(time.perf_counter() - start)
            try:
                round_trip(kc, "1+1")  # the first cell pays for loading the compiler; not a round trip
                time.sleep(0.5)
                results[kernel]["trip_ms"] += [1000 * round_trip(kc, "1+1") for _ in range(args.trips)]
                results[kernel]["widget_ms"] += widget_trips(kc, kernel, args.trips)
                for language in languages if kernel == args.polyglot else ():
                    cell = f"#!{language}\n1+1"
                    results[kernel][f"{language}_start_s"].append(round_trip(kc, cell))
                    time.sleep(0.5)
                    results[kernel][f"{language}_trip_ms"] += [1000 * round_trip(kc, cell) for _ in range(args.trips)]
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
