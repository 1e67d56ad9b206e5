#!/usr/bin/env python3
"""Issue 13's side-by-side benchmark: the keeper against a bare Camel Main (the floor), same JVM, same flags.

Runs N interleaved rounds of: floor, keeper logged out, keeper logged in (a token file and bench/stub_token_server.py
as the token server). Per run it measures:
  - ready_ms:   wall time from spawning `java` to the first 200 from GET /health (polled every 10 ms);
  - cpu_ready:  user+system CPU seconds of the JVM until then (/proc/PID/stat);
  - rss_mb:     resident memory (VmRSS) at the end of the idle window;
  - idle_cpu:   user+system CPU seconds over the idle window, per minute;
  - threads:    the JVM's thread count at the end of the idle window.
The idle window starts `settle` seconds after ready (the logged-in keeper's start-up refresh, JIT) and lasts `idle`
seconds. Prints the medians, the spread and the ratios keeper/floor as a markdown table; writes every run to runs.csv.

Not a test: asserts nothing. Driven by bench/side-by-side.sh, which builds the jars first.
"""
import argparse, csv, http.client, os, shlex, signal, socket, statistics, subprocess, sys, tempfile, time
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")
BENCH = Path(__file__).resolve().parent
MODES = ("floor", "keeper-out", "keeper-in")
FIGURES = (  # key, label, format, lower is better
    ("ready_ms", "start to first 200 on /health (ms)", "{:.0f}"),
    ("cpu_ready", "CPU used until then (s)", "{:.2f}"),
    ("rss_mb", "resident memory at the end of the idle window (MB)", "{:.1f}"),
    ("idle_cpu", "idle CPU (s per minute)", "{:.3f}"),
    ("threads", "threads", "{:.0f}"),
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ  # utime, stime (fields 14 and 15 of stat)


def status_field(pid, name):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise KeyError(name)


def get(port, path, timeout=2.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def clean_env():
    """The machine's environment less anything the keeper or Camel would read as a setting."""
    drop = ("YOTO_", "KEEPER_", "TOKEN_", "RAILWAY_", "CAMEL_", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop) and k not in ("PORT", "HOST")}


class App:
    """One way of starting a JVM: which jar, which settings, whether a token file is there."""

    def __init__(self, mode, jar, stub_port):
        self.mode, self.jar, self.stub_port = mode, jar, stub_port

    def prepare(self, work, port):
        env = clean_env()
        env.update(PORT=str(port), HOST="127.0.0.1")
        if self.mode != "floor":
            token_url = f"http://127.0.0.1:{self.stub_port}/oauth/token"
            env.update(YOTO_CLIENT_ID="bench-client", YOTO_TOKEN_URL=token_url,
                       YOTO_DEVICE_CODE_URL=f"http://127.0.0.1:{self.stub_port}/oauth/device/code")
        if self.mode == "keeper-in":
            (work / ".yoto_refresh_token").write_text("bench-rt-0\n")
        return env


def spawn(java, opts, app, work, port, log_name="app.log"):
    env = app.prepare(work, port)
    log = open(work / log_name, "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen([java, *opts, "-jar", str(app.jar)], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, t0, log


def wait_ready(proc, port, work, timeout=120.0, log_name="app.log"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the JVM exited with {proc.returncode} before it was ready:\n" + (work / log_name).read_text()[-4000:])
        try:
            if get(port, "/health", timeout=1.0) == 200:
                return time.monotonic()
        except OSError:
            pass
        time.sleep(0.01)
    sys.exit("not ready in time:\n" + (work / log_name).read_text()[-4000:])


def wait_log(work, text, timeout=60.0, log_name="app.log"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in (work / log_name).read_text(errors="replace"):
            return time.monotonic()
        time.sleep(0.02)
    sys.exit(f"'{text}' not logged in {timeout} s:\n" + (work / log_name).read_text()[-4000:])


def stop(proc, log):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log.close()


def measure(java, opts, app, settle, idle):
    with tempfile.TemporaryDirectory(prefix=f"sbs-{app.mode}-") as tmp:
        work, port = Path(tmp), free_port()
        proc, t0, log = spawn(java, opts, app, work, port)
        try:
            ready = wait_ready(proc, port, work)
            cpu_ready = cpu_seconds(proc.pid)
            run = {"mode": app.mode, "ready_ms": (ready - t0) * 1000, "cpu_ready": cpu_ready}
            if app.mode == "keeper-in":
                run["refreshed_ms"] = (wait_log(work, "Token refresh successful") - t0) * 1000
            time.sleep(max(0.0, ready + settle - time.monotonic()))
            c0, w0 = cpu_seconds(proc.pid), time.monotonic()
            time.sleep(idle)
            c1, w1 = cpu_seconds(proc.pid), time.monotonic()
            run["idle_cpu"] = (c1 - c0) / (w1 - w0) * 60
            run["rss_mb"] = status_field(proc.pid, "VmRSS") / 1024
            run["threads"] = status_field(proc.pid, "Threads")
            if proc.poll() is not None:
                sys.exit("the JVM died during the idle window:\n" + (work / "app.log").read_text()[-4000:])
            return run
        finally:
            stop(proc, log)


def train(java, opts, app, archive_opts, settle):
    """A training run that writes the class-data archive at exit: start, use the service a little, stop with SIGTERM."""
    with tempfile.TemporaryDirectory(prefix=f"sbs-train-{app.mode}-") as tmp:
        work, port = Path(tmp), free_port()
        proc, _, log = spawn(java, [*opts, *archive_opts], app, work, port)
        try:
            wait_ready(proc, port, work)
            if app.mode == "keeper-in":
                wait_log(work, "Token refresh successful")
            for path in ("/health", "/", "/auth/status", "/metrics", "/health"):
                try:
                    get(port, path)
                except OSError:
                    pass
            time.sleep(settle)
        finally:
            stop(proc, log)
        if proc.returncode not in (0, 143):
            print(f"warning: training run of {app.mode} exited {proc.returncode}", file=sys.stderr)


def shared_share(java, opts, app):
    """How many classes a start loads from the archive: (shared, total), from -Xlog:class+load in a separate run."""
    with tempfile.TemporaryDirectory(prefix=f"sbs-check-{app.mode}-") as tmp:
        work, port = Path(tmp), free_port()
        classlog = work / "class-load.txt"
        proc, _, log = spawn(java, [*opts, f"-Xlog:class+load=info:file={classlog}"], app, work, port)
        try:
            wait_ready(proc, port, work)
        finally:
            stop(proc, log)
        lines = classlog.read_text(errors="replace").splitlines()
        shared = sum(1 for line in lines if "shared objects file" in line or "AOT cache" in line)
        return shared, len(lines)


def java_feature(java):
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    for line in out.splitlines():
        if "java.specification.version" in line:
            return int(line.split("=")[1].strip())
    return 17


def archive_options(cds, archive, feature):
    """(training-run options, measured-run options) for a class-data-sharing mode."""
    if cds == "none":
        return None
    if cds == "static":  # JDK 13+: a dynamic archive on top of the JDK's base archive, written by a training run
        return [f"-XX:ArchiveClassesAtExit={archive}.jsa"], [f"-XX:SharedArchiveFile={archive}.jsa"]
    if cds == "aot":  # JDK 25: an AOT cache (classes loaded and linked, plus profiles) from a training run
        if feature < 25:
            sys.exit("CDS=aot needs JDK 25 or newer (JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java)")
        return [f"-XX:AOTCacheOutput={archive}.aot"], [f"-XX:AOTCache={archive}.aot"]
    sys.exit(f"unknown CDS mode {cds}: none, static or aot")


def fmt_row(label, fmt, floor, others):
    cells = [label, fmt.format(floor)]
    for value in others:
        cells += [fmt.format(value), f"{value / floor:.2f}" if floor else "-"]
    return "| " + " | ".join(cells) + " |"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of the idle window")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds from ready to the idle window")
    parser.add_argument("--java", default="java")
    parser.add_argument("--java-opts", default="", help="the same JVM options for every run")
    parser.add_argument("--keeper-training", default="in", choices=("in", "out"),
                        help="train the keeper's archive logged in (the refresh path archived too) or logged out")
    parser.add_argument("--cds", default="none", help="none | static (ArchiveClassesAtExit) | aot (JDK 25 AOT cache)")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--floor-jar", default=str(BENCH / "floor/target/camel-floor.jar"))
    parser.add_argument("--keeper-jar", default=str(BENCH.parent / "target/yoto-token-keeper.jar"))
    parser.add_argument("--out", default=str(BENCH / "out"), help="a folder for runs.csv and the archives")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    modes = [m for m in args.modes.split(",") if m]
    opts = shlex.split(args.java_opts)
    feature = java_feature(args.java)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    stub_port = free_port()
    stub = subprocess.Popen([sys.executable, str(BENCH / "stub_token_server.py"), str(stub_port)])
    try:
        apps = {m: App(m, Path(args.floor_jar if m == "floor" else args.keeper_jar).resolve(), stub_port) for m in modes}
        run_opts = {m: list(opts) for m in modes}
        archives = {}
        if args.cds != "none":
            # one archive per jar: the floor's and the keeper's (trained logged in, as bin/cds-train.sh does, or with
            # --keeper-training out: the logged-out start and pages only)
            for jar_mode in ("floor", f"keeper-{args.keeper_training}"):
                users = [m for m in modes if (m == "floor") == (jar_mode == "floor")]
                if not users:
                    continue
                base = out / f"{'floor' if jar_mode == 'floor' else 'keeper'}-jdk{feature}"
                training, using = archive_options(args.cds, base, feature)
                for stale in (Path(f"{base}.jsa"), Path(f"{base}.aot")):
                    stale.unlink(missing_ok=True)
                app = App(jar_mode, apps[users[0]].jar, stub_port)
                t = time.monotonic()
                train(args.java, opts, app, training, 1.0)
                print(f"archive for {jar_mode}: trained in {time.monotonic() - t:.1f} s", file=sys.stderr)
                for m in users:
                    run_opts[m] = [*opts, *using]
                shared, total = shared_share(args.java, run_opts[users[0]], apps[users[0]])
                archives[jar_mode] = (shared, total)
                print(f"archive for {jar_mode}: {shared} of {total} classes loaded from it at start", file=sys.stderr)

        runs = []
        for r in range(1, args.rounds + 1):
            for m in modes:
                run = measure(args.java, run_opts[m], apps[m], args.settle, args.idle)
                run["round"] = r
                runs.append(run)
                print(f"round {r} {m:10s} ready {run['ready_ms']:6.0f} ms  cpu {run['cpu_ready']:.2f} s  "
                      f"rss {run['rss_mb']:6.1f} MB  idle {run['idle_cpu']:.3f} s/min  threads {run['threads']}"
                      + (f"  refreshed {run['refreshed_ms']:.0f} ms" if "refreshed_ms" in run else ""), file=sys.stderr)
    finally:
        stub.terminate()
        stub.wait()

    with open(out / "runs.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["round", "mode", "ready_ms", "cpu_ready", "rss_mb", "idle_cpu", "threads",
                                               "refreshed_ms"])
        writer.writeheader()
        writer.writerows(runs)

    med = {m: {k: statistics.median(r[k] for r in runs if r["mode"] == m) for k, _, _ in FIGURES} for m in modes}
    spread = {m: {k: (min(r[k] for r in runs if r["mode"] == m), max(r[k] for r in runs if r["mode"] == m))
                  for k, _, _ in FIGURES} for m in modes}
    version = subprocess.run([args.java, "-version"], capture_output=True, text=True).stderr.splitlines()
    print(f"### {args.label or 'side by side'}: {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
          f"{version[1] if len(version) > 1 else version[0]}")
    print()
    print(f"JAVA_OPTS=`{args.java_opts}`, CDS={args.cds}, {args.rounds} interleaved rounds, idle window {args.idle:g} s "
          f"from {args.settle:g} s after ready; medians, ratio = keeper / floor")
    if archives:
        print()
        print("Classes loaded from the archive at start (a separate check run): "
              + ", ".join(f"{'floor' if k == 'floor' else 'keeper'} {s} of {t}" for k, (s, t) in archives.items()))
    print()
    others = [m for m in modes if m != "floor"]
    if "floor" in modes:
        print("| figure | floor | " + " | ".join(f"{m} | ratio" for m in others) + " |")
        print("|---|---:|" + "---:|---:|" * len(others))
        for key, label, fmt in FIGURES:
            print(fmt_row(label, fmt, med["floor"][key], [med[m][key] for m in others]))
        idle_diff = {m: (med[m]["idle_cpu"] - med["floor"]["idle_cpu"]) / 60 * 100 for m in others}
        print()
        print("idle CPU above the floor, % of one core: " + ", ".join(f"{m} {d:+.3f}" for m, d in idle_diff.items()))
    else:
        print("| figure | " + " | ".join(modes) + " |")
        print("|---|" + "---:|" * len(modes))
        for key, label, fmt in FIGURES:
            print("| " + " | ".join([label] + [fmt.format(med[m][key]) for m in modes]) + " |")
    print()
    print("spread (min-max): " + "; ".join(
        f"{m} ready {spread[m]['ready_ms'][0]:.0f}-{spread[m]['ready_ms'][1]:.0f} ms, "
        f"rss {spread[m]['rss_mb'][0]:.0f}-{spread[m]['rss_mb'][1]:.0f} MB" for m in modes))
    refreshes = [r["refreshed_ms"] for r in runs if "refreshed_ms" in r]
    if refreshes:
        print(f"keeper-in: first refresh done {statistics.median(refreshes):.0f} ms after spawn (median)")
    print(f"every run: {out / 'runs.csv'}")


if __name__ == "__main__":
    main()
