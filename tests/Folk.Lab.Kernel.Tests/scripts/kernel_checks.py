"""Drives the Folk.Lab C# kernel through jupyter_client (Debian's python3-jupyter-client 7.4.9) for the kernel tests.

Run: /usr/bin/python3 kernel_checks.py CHECK [--kernel NAME] [--count N]   (JUPYTER_PATH must point at the kernelspec)
CHECK is one of CHECKS below (streaming, interrupt, forged, memory, latency, introspection, nuget, shutdown, restart, stdin,
widgets). Prints one JSON object with what was measured; the C# test
asserts on it.
"""
import argparse, json, os, signal, sys, tempfile, time

import jupyter_client
from jupyter_client.session import Session


def run(kc, code, timeout=60):
    """Executes code; returns (reply content, [(seconds since send, msg_type, content)] of its iopub messages)."""
    start = time.monotonic()
    return collect(kc, kc.execute(code), timeout, start)


def collect(kc, msg_id, timeout=60, start=None):
    """The reply content and iopub outputs of a request already sent, timed from start (or from now)."""
    outputs = iopub_until_idle(kc, msg_id, timeout, start)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], outputs


def iopub_until_idle(kc, msg_id, timeout=60, start=None):
    """[(seconds since start, msg_type, content)] of the iopub messages parented to msg_id, up to its idle status."""
    start = time.monotonic() if start is None else start
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return outputs
        if msg["msg_type"] != "status":
            outputs.append((time.monotonic() - start, msg["msg_type"], msg["content"]))


def rss_kib(km):
    with open(f"/proc/{km.provisioner.process.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def streaming(km, kc, args):
    """The cell prints "before", then waits for a file that this client writes only once "before" has reached it, then
    prints "after": a kernel that held stdout back until the cell ended would never be answered, and its cell would
    print "gave up" after 60 s instead. No clock decides the outcome."""
    gate = os.path.join(tempfile.mkdtemp(prefix="folk-lab-stream-"), "gate")
    code = (f'Console.WriteLine("before"); var gate = @"{gate}"; var waited = System.Diagnostics.Stopwatch.StartNew(); '
            'while (!File.Exists(gate) && waited.Elapsed.TotalSeconds < 60) Thread.Sleep(10); '
            'Console.WriteLine(File.Exists(gate) ? "after" : "gave up");')
    msg_id = kc.execute(code)
    streams = []
    while True:
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            streams.append(msg["content"]["text"])
            if "before" in msg["content"]["text"] and not os.path.exists(gate):
                open(gate, "w").close()
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    if os.path.exists(gate):
        os.remove(gate)
    os.rmdir(os.path.dirname(gate))
    return {"status": reply["content"]["status"], "streams": streams}


def interrupt(km, kc, args):
    result = {}
    run(kc, "1 + 1")  # compiler warm
    for name, code in [("cooperative", 'Console.WriteLine("running"); while (true) { Cancellation.ThrowIfCancellationRequested(); Thread.Sleep(10); }'),
                       ("ignoring", 'Console.WriteLine("running"); while (true) { Thread.SpinWait(1000); }')]:
        msg_id = kc.execute(code)
        while True:  # interrupt only once the loop runs (not while the cell still compiles)
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                break
        time.sleep(0.5)
        sent = time.monotonic()
        km.interrupt_kernel()
        while True:
            reply = kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        result[name] = {"status": reply["content"]["status"], "ename": reply["content"].get("ename"),
                        "seconds": round(time.monotonic() - sent, 3)}
    km.signal_kernel(signal.SIGINT)
    time.sleep(0.3)
    reply, outputs = run(kc, "1 + 1")
    result["after"] = {"alive": km.is_alive(), "status": reply["status"],
                       "value": [c["data"]["text/plain"] for _, kind, c in outputs if kind == "execute_result"]}
    return result


def forged(km, kc, args):
    attacker = Session(key=b"not-the-key", session=kc.session.session)
    message = attacker.msg("execute_request", {"code": "var forged = 1;", "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    attacker.send(kc.shell_channel.socket, message)
    unsigned = Session(key=b"", session=kc.session.session)
    unsigned.send(kc.shell_channel.socket, unsigned.msg("kernel_info_request", {}))
    time.sleep(0.5)
    reply, outputs = run(kc, "forged")
    info_id = kc.kernel_info()
    info = kc.get_shell_msg(timeout=30)
    return {"forged_reply_seen": reply.get("status") == "ok",
            "next_status": reply["status"], "next_ename": reply.get("ename"),
            "kernel_info_answered": info["parent_header"]["msg_id"] == info_id,
            "language": info["content"]["language_info"]["name"]}


def memory(km, kc, args):
    warm = 50
    for i in range(warm):
        run(kc, f"var w{i} = new int[] {{ {i} }}; w{i}[0] + 1")
    before = rss_kib(km)
    start = time.monotonic()
    for i in range(args.count):
        reply, _ = run(kc, f"var v{i} = new int[] {{ {i} }}; v{i}[0] * 2")
        assert reply["status"] == "ok", reply
    return {"count": args.count, "rss_before_kib": before, "rss_after_kib": rss_kib(km),
            "seconds": round(time.monotonic() - start, 2)}


def latency(km, kc, args):
    samples = []
    run(kc, "1+1")
    for _ in range(args.count):
        start = time.monotonic()
        run(kc, "1+1")
        samples.append(time.monotonic() - start)
    samples.sort()
    return {"median_ms": round(1000 * samples[len(samples) // 2], 2)}


def stdin(km, kc, args):
    """Console.ReadLine() and password() ask the front end over the stdin channel (input_request, answered with
    input_reply); with allow_stdin false, ReadLine reads end-of-file and password() says why it cannot ask; an
    interrupt ends a cell that waits for an answer."""
    result = {}
    run(kc, "1 + 1")  # compiler warm
    cases = [("line", 'Console.Write("name? "); var line = Console.ReadLine(); line.ToUpperInvariant()', "folk"),
             ("password", 'var secret = password("Key: "); secret.Length', "s3cret!")]
    for name, code, answer in cases:
        msg_id = kc.execute(code, allow_stdin=True)
        request = kc.get_stdin_msg(timeout=60)
        kc.input(answer)
        reply, outputs = collect(kc, msg_id)
        result[name] = {"prompt": request["content"]["prompt"], "password": request["content"]["password"],
                        "parent_is_execute": request["parent_header"].get("msg_id") == msg_id,
                        "status": reply["status"],
                        "value": [c["data"]["text/plain"] for _, kind, c in outputs if kind == "execute_result"],
                        "streams": "".join(c["text"] for _, kind, c in outputs if kind == "stream")}
    msg_id = kc.execute('Console.ReadLine() is null', allow_stdin=False)
    reply, outputs = collect(kc, msg_id)
    result["not_allowed_readline"] = [c["data"]["text/plain"] for _, kind, c in outputs if kind == "execute_result"]
    msg_id = kc.execute('password()', allow_stdin=False)
    reply, _ = collect(kc, msg_id)
    result["not_allowed_password"] = {"status": reply["status"], "evalue": reply.get("evalue", "")}
    msg_id = kc.execute('Console.ReadLine()', allow_stdin=True)
    kc.get_stdin_msg(timeout=60)  # the cell now waits for an answer that never comes
    km.interrupt_kernel()
    reply, _ = collect(kc, msg_id)
    result["interrupted"] = {"status": reply["status"], "ename": reply.get("ename")}
    reply, outputs = run(kc, "2 + 2")
    result["after"] = [c["data"]["text/plain"] for _, kind, c in outputs if kind == "execute_result"]
    return result


def comm(kc, msg_type, content):
    """Sends a comm message on shell, as a widget front end does; returns its id and the iopub messages it caused
    [(msg_type, content)] (comm messages have no reply)."""
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    msg_id = msg["header"]["msg_id"]
    return msg_id, [(kind, c) for _, kind, c in iopub_until_idle(kc, msg_id)]


def widgets(km, kc, args):
    """The widget protocol of the classic front end (jupyter-js-widgets 2.1): the version comm is answered; displaying
    a slider opens its comm (layout and style first) with the whole state and asks for a view; a front-end change runs
    the handler, whose output an Output widget claims by msg_id; comm_info lists the open comms; a button's click
    arrives as a custom message."""
    result = {}
    run(kc, "1 + 1")
    _, version = comm(kc, "comm_open", {"comm_id": "version-check", "target_name": "jupyter.widget.version", "data": {}})
    result["version_reply"] = [c["data"] for kind, c in version if kind == "comm_msg"]
    _, outputs = run(kc, "\n".join([
        "using Folk.Lab.Interactive.Widgets;",
        "var slider = new IntSlider(3, 0, 10, description: \"radius\");",
        "var output = new Output();",
        "var seen = new List<int>();",
        "slider.Changed += v => { seen.Add(v); output.Replace($\"radius is {v}\"); Console.WriteLine(\"handled \" + v); };",
        "var button = new Button(\"go\");",
        "var clicks = 0;",
        "button.Clicked += _ => clicks++;",
        "display(Box.Vertical(slider, output, button));"]))
    opens = [c for _, kind, c in outputs if kind == "comm_open"]
    result["opens"] = [{"target": c["target_name"], "model": c["data"]["_model_name"], "module": c["data"]["_model_module"],
                        "version": c["data"]["_model_module_version"], "keys": sorted(c["data"])} for c in opens]
    slider = next(c for c in opens if c["data"]["_model_name"] == "IntSliderModel")
    result["slider_state"] = {k: slider["data"][k] for k in ("value", "min", "max", "step", "description", "layout", "style")}
    result["opened_ids"] = [c["comm_id"] for c in opens]
    result["display_messages"] = [c["comm_id"] for _, kind, c in outputs if kind == "comm_msg" and c["data"].get("method") == "display"]
    result["display_data"] = [c["data"] for _, kind, c in outputs if kind == "display_data"]
    output_id = next(c["comm_id"] for c in opens if c["data"]["_model_name"] == "OutputModel")
    button_id = next(c["comm_id"] for c in opens if c["data"]["_model_name"] == "ButtonModel")
    result["moved_id"], moved = comm(kc, "comm_msg", {"comm_id": slider["comm_id"], "data": {"method": "backbone", "sync_data": {"value": 7}}})
    result["moved"] = [{"type": kind, "comm": c.get("comm_id"), "data": c.get("data"), "text": c.get("text")} for kind, c in moved]
    comm(kc, "comm_msg", {"comm_id": button_id, "data": {"method": "custom", "content": {"event": "click"}}})
    info = request(kc, lambda c: c.comm_info(target_name="jupyter.widget"))
    result["comm_info"] = sorted(info["comms"])
    _, outputs = run(kc, "$\"{string.Join(',', seen)} {slider.Value} {clicks} {output.Current}\"")
    result["after"] = [c["data"]["text/plain"] for _, kind, c in outputs if kind == "execute_result"]
    result["output_id"] = output_id
    return result


def request(kc, send, timeout=120):
    """Sends a shell request (send(kc) returns its msg_id) and returns the reply content."""
    msg_id = send(kc)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def complete(kc, code, cursor=None):
    reply = request(kc, lambda c: c.complete(code, len(code) if cursor is None else cursor))
    return {"status": reply["status"], "matches": reply["matches"], "cursor_start": reply["cursor_start"],
            "cursor_end": reply["cursor_end"]}


def introspection(km, kc, args):
    """complete_request, inspect_request, is_complete_request and kernel_info_request, all in one kernel."""
    declared, _ = run(kc, "var data = new List<int>();")
    middle = "var n = data.Cou\nConsole.WriteLine(n);"
    result = {
        "declared": declared["status"],
        "complete": {
            "data.Ad": complete(kc, "data.Ad"),
            "Console.Wri": complete(kc, "Console.Wri"),
            "middle": complete(kc, middle, middle.index("Cou") + 3),
            "after_dot": complete(kc, "data."),
        },
        "inspect": {
            "Console.WriteLine": request(kc, lambda c: c.inspect("Console.WriteLine", len("Console.WriteLine"))),
            "inside": request(kc, lambda c: c.inspect('Console.WriteLine("x");', 12)),
            "variable": request(kc, lambda c: c.inspect("data", 4)),
            "unknown": request(kc, lambda c: c.inspect("notDeclaredAnywhere", 10)),
        },
        "is_complete": {code: request(kc, lambda c: c.is_complete(code)) for code in
                        ["var x = 1;", "if (true) {", "if (true) {\n    if (false) {", "1 + 1", "var y = (1 + ", "var z = 1; }", "int 3x = 4;", ""]},
        "kernel_info": request(kc, lambda c: c.kernel_info()),
    }
    after, outputs = run(kc, "data.Count")
    result["after"] = {"status": after["status"], "value": [c["data"]["text/plain"] for _, kind, c in outputs if kind == "execute_result"]}
    return result


def nuget(km, kc, args):
    """#r "nuget: ..." of a package in the machine's NuGet cache, then one that does not exist."""
    result = {}
    for name, code in [("before", '"hello_world".Humanize()'),
                       ("good", '#r "nuget: Humanizer.Core, 2.14.1"\nusing Humanizer;'),
                       ("use", '"hello_world".Humanize()'),
                       ("bad", '#r "nuget: Folk.Lab.NoSuchPackage.Anywhere, 1.0.0"'),
                       ("after", '"some_title_text".Humanize(LetterCasing.Title)')]:
        start = time.monotonic()
        reply, outputs = run(kc, code, timeout=300)
        result[name] = {"status": reply["status"], "ename": reply.get("ename"), "evalue": reply.get("evalue"),
                        "seconds": round(time.monotonic() - start, 2),
                        "value": [c["data"]["text/plain"] for _, kind, c in outputs if kind == "execute_result"],
                        "errors": [{"ename": c["ename"], "evalue": c["evalue"], "traceback": c["traceback"]}
                                   for _, kind, c in outputs if kind == "error"],
                        "streams": [c["text"] for _, kind, c in outputs if kind == "stream"]}
    result["alive"] = km.is_alive()
    return result


def shutdown_and_wait(kc, process, restart):
    """Sends shutdown_request on the control channel; returns its reply and how the process then exited."""
    msg_id = kc.shutdown(restart=restart)
    start = time.monotonic()
    while True:
        msg = kc.get_control_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id:
            break
    try:
        code = process.wait(timeout=10)
    except Exception:
        code = None
    return {"msg_type": msg["msg_type"], "content": msg["content"], "exit_code": code,
            "exit_seconds": round(time.monotonic() - start, 3)}


def shutdown(km, kc, args):
    """shutdown_request (restart false): answered, then the process exits by itself."""
    return shutdown_and_wait(kc, km.provisioner.process, restart=False)


def restart(km, kc, args):
    """The client's restart path (KernelManager.restart_kernel sends shutdown_request with restart true, waits for the
    process to exit, starts a new one), then the restart=true reply itself, read on the control channel."""
    run(kc, "var before = 41;")
    old = km.provisioner.process
    start = time.monotonic()
    km.restart_kernel(now=False)
    seconds = round(time.monotonic() - start, 3)
    status = km._shutdown_status.name  # ShutdownRequest: exited by itself; SigtermRequest/SigkillRequest: had to be stopped
    kc.wait_for_ready(timeout=60)
    new = km.provisioner.process
    reply, _ = run(kc, "before")
    again, outputs = run(kc, "1 + 1")
    result = {"old_exit_code": old.returncode, "old_pid": old.pid, "new_pid": new.pid, "shutdown_status": status,
              "restart_seconds": seconds, "before_ename": reply.get("ename"), "after_status": again["status"],
              "after_value": [c["data"]["text/plain"] for _, kind, c in outputs if kind == "execute_result"]}
    result["reply"] = shutdown_and_wait(kc, new, restart=True)
    return result

CHECKS = ["streaming", "interrupt", "forged", "memory", "latency", "introspection", "nuget", "shutdown", "restart", "stdin",
          "widgets"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("check", choices=CHECKS)
    parser.add_argument("--kernel", default="folk-csharp")
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    start = time.monotonic()
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=args.kernel, startup_timeout=60)
    ready = time.monotonic() - start
    try:
        result = globals()[args.check](km, kc, args)
        result["ready_seconds"] = round(ready, 3)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
