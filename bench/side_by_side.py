#!/usr/bin/python3
"""Issue 4's workloads in PyTorch and in CompiledNets, in one run, printed as one table.

    /usr/bin/python3 bench/side_by_side.py [--rebuild] [--skip-build] [--only ID,ID]

PyTorch side: Debian's PyTorch 1.13 with OpenBLAS (`apt-get install -y python3-torch
libopenblas0-pthread`), run as its users have it: the script re-executes itself without
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (presets that force OpenBLAS's AVX2 kernels), prints the core
OpenBLAS chose (openblas_get_corename), and gives each row the thread count the C# side uses
(torch.set_num_threads and openblas_set_num_threads); rows on two threads also show PyTorch on one,
and the ratio is taken against PyTorch's faster setting.

Rounds are interleaved: ROUNDS_EACH times, the C# quick run, then PyTorch's timings; each cell is the
median of the rounds with their min–max.

CompiledNets side: builds tests/CompiledNets.Benchmarks in Release and runs its `--quick` mode,
which times the same [Workload] methods BenchmarkDotNet measures and prints JSON lines.

Both sides time alike: warm up for at least 0.5 s (at least one call), then 5 rounds of calls
filling 0.25 s each (at least one call); the median round's time per call is reported.
Same shapes, batch sizes, data (real Fashion-MNIST scaled by 1/255 if installed, else seeded
random data of its shape), nn.CrossEntropyLoss, SGD(lr=0.01, momentum=0.9); inference under
torch.no_grad(). GFLOP/s use the flop count CompiledNets reports (tests/CompiledNets.Benchmarks/
Flops.cs): forward sum 2*in*out per sample; training sum 6*in*out - 2*in0*out0.

Nothing in CI runs this script; it is for people measuring the kernels.
"""

import argparse
import ctypes
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time

# PyTorch as its users have it: without this machine's OpenBLAS presets, which must be gone before OpenBLAS loads.
PRESETS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(name in os.environ for name in PRESETS):
    os.execve(sys.executable, [sys.executable, *sys.argv], {k: v for k, v in os.environ.items() if k not in PRESETS})

import torch  # noqa: E402  (after the environment is set)
from torch import nn  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT = os.path.join("tests", "CompiledNets.Benchmarks", "CompiledNets.Benchmarks.csproj")
FASHION_DIR = "/usr/share/datasets/fashion-mnist"

WARMUP_SECONDS, ROUND_SECONDS, ROUNDS = 0.5, 0.25, 5
ROUNDS_EACH = 3  # interleaved rounds of both sides

# Table rows in the order: workload id (the C# method name) and how to show its speed.
ROWS = [
    ("TrainBatch32", "samples"),
    ("TrainBatch1", "samples"),
    ("InferOneSample", "latency"),
    ("TabularTrainBatch16", "samples"),
    ("TabularInferOneSample", "latency"),
    ("OddTabularTrainBatch16", "samples"),
    ("OddTabularInferOneSample", "latency"),
    ("Epoch784x128x10OneThread", "epoch"),
    ("Epoch784x128x10TwoThreads", "epoch"),
    ("InferBatches1000TwoThreads", "images"),
    ("InferOneImage", "latency"),
    ("Epoch784x256x128x10OneThread", "epoch"),
    ("Epoch784x256x128x10TwoThreads", "epoch"),
    ("EpochFashionCnnOneThread", "epoch"),
    ("EpochOddFashionCnnOneThread", "epoch"),
    ("EpochClassicMlpOneThread", "epoch"),
    ("EpochClassicMlpTwoThreads", "epoch"),
    ("EpochOddMnistOneThread", "epoch"),
    ("EpochOddMnistTwoThreads", "epoch"),
    ("EpochOddFashionOneThread", "epoch"),
    ("EpochOddFashionTwoThreads", "epoch"),
    ("EpochOneThreadBusyCore", "epoch"),
    ("EpochTwoThreadsBusyCore", "epoch"),
]

# Rows PyTorch has no twin for: CompiledNets under a busy core, compared with its own one-thread row under the same load.
CSHARP_ONLY = {"EpochOneThreadBusyCore", "EpochTwoThreadsBusyCore"}


# ---------------------------------------------------------------- machine


def machine_lines(load_at_start):
    cpu = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            key = key.strip()
            if key in ("model name", "cpu family", "model", "flags") and key not in cpu:
                cpu[key] = value.strip()
    flags = cpu.get("flags", "").split()
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        f"CPU: {cpu.get('model name', '?')} (family {cpu.get('cpu family', '?')}, model {cpu.get('model', '?')}), "
        f"{os.cpu_count()} cores, {simd}, {memory_gib:.0f} GiB; Linux {platform.release()}",
        f"PyTorch {torch.__version__}, BLAS {loaded_blas()}, torch threads {torch.get_num_threads()}, "
        f"OpenBLAS core {OPENBLAS.openblas_get_corename().decode() if OPENBLAS else '(not OpenBLAS)'}, "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}",
        # Anything else running competes for the 2 cores; a load near 0 at the start means a quiet machine.
        "load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}, at end: {:.2f} {:.2f} {:.2f}".format(*load_at_start, *os.getloadavg()),
    ]


def loaded_blas():
    """The BLAS library torch actually loaded (reference BLAS is ~10x slower than OpenBLAS)."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "(none mapped)"


def openblas():
    """The OpenBLAS library torch loaded, through ctypes: its core name and a thread-count setter (None if absent)."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    with open("/proc/self/maps") as f:
        paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line})
    for path in paths:
        try:
            library = ctypes.CDLL(path)
            library.openblas_get_corename.restype = ctypes.c_char_p
            return library
        except (OSError, AttributeError):
            continue
    return None


OPENBLAS = None


def set_threads(threads):
    torch.set_num_threads(threads)
    if OPENBLAS is not None:
        OPENBLAS.openblas_set_num_threads(threads)


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


# ---------------------------------------------------------------- CompiledNets


def run_compiled_nets(args):
    if not args.skip_build:
        build = ["dotnet", "build", "-c", "Release", PROJECT, "-nologo", "-v", "q"]
        if args.rebuild:
            build.append("--no-incremental")
        print("building:", " ".join(build), file=sys.stderr)
        done = subprocess.run(build, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-2000:])
            sys.exit("the C# build failed (if in src/ or generator/, the kernels may be mid-rework: retry in a minute)")
    run = ["dotnet", "run", "-c", "Release", "--no-build", "--project", PROJECT, "--", "--quick"]
    if args.only:
        run += ["--only", args.only]
    print("running:", " ".join(run), file=sys.stderr)
    done = subprocess.run(run, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"the C# quick run failed with exit code {done.returncode}")
    info, results = {}, {}
    for line in done.stdout.splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        if record.get("type") == "info":
            info = record
        elif record.get("type") == "result":
            results[record["id"]] = record
    return info, results


def run_peak():
    """This machine's FMA limit in plain C# (the benchmark project's --peak mode), one thread and all."""
    run = ["dotnet", "run", "-c", "Release", "--no-build", "--project", PROJECT, "--", "--peak"]
    print("running:", " ".join(run), file=sys.stderr)
    done = subprocess.run(run, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("{") and json.loads(line).get("type") == "peak":
            return json.loads(line)
    sys.exit("the C# peak run printed no result")


# ---------------------------------------------------------------- PyTorch


def read_idx(path, header):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return torch.frombuffer(bytearray(data[header:]), dtype=torch.uint8)


def fashion_data():
    """60,000 training and 10,000 test images scaled to [0, 1], as the C# side loads them."""
    names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    paths = [os.path.join(FASHION_DIR, n) for n in names]
    if all(os.path.exists(p) for p in paths):
        train_x = read_idx(paths[0], 16).view(-1, 784).float() / 255
        train_y = read_idx(paths[1], 8).long()
        test_x = read_idx(paths[2], 16).view(-1, 784).float() / 255
        test_y = read_idx(paths[3], 8).long()
        return train_x, train_y, test_x, test_y, f"Fashion-MNIST from {FASHION_DIR}, scaled by 1/255"
    g = torch.Generator().manual_seed(1)
    return (torch.rand(60000, 784, generator=g), torch.randint(0, 10, (60000,), generator=g),
            torch.rand(10000, 784, generator=g), torch.randint(0, 10, (10000,), generator=g),
            "seeded random data of Fashion-MNIST's shape (Fashion-MNIST not installed)")


def mlp(*sizes):
    torch.manual_seed(0)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def training_step(net):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

    def step(x, y):
        optimizer.zero_grad()
        loss = criterion(net(x), y)
        loss.backward()
        optimizer.step()
        return loss

    return step


def cycling(items):
    state = {"i": 0}

    def next_item():
        i = state["i"]
        state["i"] = (i + 1) % len(items)
        return items[i]

    return next_item


def torch_workloads(data):
    """Each workload: id -> (make, grad) where make() returns the operation to time."""
    train_x, train_y, test_x, test_y = data
    g = torch.Generator().manual_seed(7)
    seed_x = torch.rand(8192, 10, generator=g) * 2 - 1
    seed_y = torch.randint(0, 2, (8192,), generator=g)

    def seed_train(batch):
        step = training_step(mlp(10, 20, 2))
        # Contiguous views cycled in order, like the C# pool slices (no copy per step).
        nxt = cycling([(seed_x[i:i + batch], seed_y[i:i + batch]) for i in range(0, 8192, batch)])
        return lambda: step(*nxt())

    def seed_infer():
        net = mlp(10, 20, 2)
        nxt = cycling([seed_x[i:i + 1] for i in range(8192)])
        return lambda: net(nxt())

    def epoch(*sizes, batch=64):
        step = training_step(mlp(*sizes))
        shuffle = torch.Generator().manual_seed(1)

        # Reshuffle and gather a batch of rows per step, as the C# DataLoader(shuffle: true) does; plain
        # indexing is PyTorch's fastest way (torch.utils.data.DataLoader would collate per sample).
        def run():
            order = torch.randperm(60000, generator=shuffle)
            for i in range(0, 60000, batch):
                index = order[i:i + batch]
                loss = step(train_x[index], train_y[index])
            return loss

        return run

    tab_x = torch.rand(8192, 30, generator=g) * 2 - 1
    tab_y = torch.randint(0, 2, (8192,), generator=g)

    def tabular_train(*sizes):
        step = training_step(mlp(*sizes))
        nxt = cycling([(tab_x[i:i + 16], tab_y[i:i + 16]) for i in range(0, 8192, 16)])
        return lambda: step(*nxt())

    def tabular_infer(*sizes):
        net = mlp(*sizes)
        nxt = cycling([tab_x[i:i + 1] for i in range(8192)])
        return lambda: net(nxt())

    def cnn_epoch(c1=6, c2=16, h1=120, h2=84):
        # The FashionMnistCnn sample's network (tests/CompiledNets.Benchmarks/Networks.cs FashionCnn), or its variant of
        # other widths (OddFashionCnn), trained with Adam(lr 3e-3) on [N, 1, 28, 28] batches of 64.
        net = nn.Sequential(
            nn.Conv2d(1, c1, 5, padding=2), nn.BatchNorm2d(c1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 5), nn.BatchNorm2d(c2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(c2 * 25, h1), nn.BatchNorm1d(h1), nn.ReLU(), nn.Dropout(0.25), nn.Linear(h1, h2), nn.ReLU(), nn.Linear(h2, 10))
        optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
        criterion = nn.CrossEntropyLoss()
        images = train_x.view(-1, 1, 28, 28)
        shuffle = torch.Generator().manual_seed(1)

        def run():
            order = torch.randperm(60000, generator=shuffle)
            for i in range(0, 60000, 64):
                index = order[i:i + 64]
                optimizer.zero_grad()
                loss = criterion(net(images[index]), train_y[index])
                loss.backward()
                optimizer.step()
            return loss

        return run

    def infer_batches():
        net = mlp(784, 128, 10)

        def run():
            for i in range(0, 10000, 1000):
                out = net(test_x[i:i + 1000])
            return out

        return run

    def infer_image():
        net = mlp(784, 128, 10)
        nxt = cycling([test_x[i:i + 1] for i in range(10000)])
        return lambda: net(nxt())

    return {
        "TrainBatch32": (lambda: seed_train(32), True),
        "TrainBatch1": (lambda: seed_train(1), True),
        "InferOneSample": (seed_infer, False),
        "Epoch784x128x10OneThread": (lambda: epoch(784, 128, 10), True),
        "Epoch784x128x10TwoThreads": (lambda: epoch(784, 128, 10), True),
        "InferBatches1000TwoThreads": (infer_batches, False),
        "InferOneImage": (infer_image, False),
        "Epoch784x256x128x10OneThread": (lambda: epoch(784, 256, 128, 10), True),
        "Epoch784x256x128x10TwoThreads": (lambda: epoch(784, 256, 128, 10), True),
        "EpochFashionCnnOneThread": (cnn_epoch, True),
        "EpochOddFashionCnnOneThread": (lambda: cnn_epoch(5, 13, 100, 50), True),
        "TabularTrainBatch16": (lambda: tabular_train(30, 64, 64, 2), True),
        "TabularInferOneSample": (lambda: tabular_infer(30, 64, 64, 2), False),
        "OddTabularTrainBatch16": (lambda: tabular_train(30, 60, 60, 2), True),
        "OddTabularInferOneSample": (lambda: tabular_infer(30, 60, 60, 2), False),
        "EpochClassicMlpOneThread": (lambda: epoch(784, 300, 100, 10, batch=128), True),
        "EpochClassicMlpTwoThreads": (lambda: epoch(784, 300, 100, 10, batch=128), True),
        "EpochOddMnistOneThread": (lambda: epoch(784, 100, 10), True),
        "EpochOddMnistTwoThreads": (lambda: epoch(784, 100, 10), True),
        "EpochOddFashionOneThread": (lambda: epoch(784, 250, 125, 10), True),
        "EpochOddFashionTwoThreads": (lambda: epoch(784, 250, 125, 10), True),
    }


def time_operation(operation):
    """Seconds per call: the median (and fastest) of ROUNDS rounds, after warm-up; as QuickRun.cs."""
    calls, start = 0, time.perf_counter()
    while True:
        operation()
        calls += 1
        if time.perf_counter() - start >= WARMUP_SECONDS:
            break
    estimate = (time.perf_counter() - start) / calls
    per_round = max(1, round(ROUND_SECONDS / estimate))
    per_call = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(per_round):
            operation()
        per_call.append((time.perf_counter() - start) / per_round)
    return statistics.median(per_call), min(per_call)


def run_torch(ids, data, threads_of):
    """Each workload at the C# row's thread count and, for rows above one thread, on one thread too."""
    workloads = torch_workloads(data)
    results = {}
    for workload_id in ids:
        if workload_id in CSHARP_ONLY:
            continue
        make, grad = workloads[workload_id]
        for threads in sorted({threads_of[workload_id], 1}, reverse=True):
            print(f"timing PyTorch {workload_id} on {threads} thread(s)", file=sys.stderr)
            set_threads(threads)
            with torch.set_grad_enabled(grad):
                median, _ = time_operation(make())
            results[(workload_id, threads)] = median
    set_threads(1)
    return results


# ---------------------------------------------------------------- table


def speed(kind, samples_per_op, seconds, gflops):
    if kind == "latency":
        value = f"{seconds * 1e9:.0f} ns" if seconds < 1e-6 else f"{seconds * 1e6:.2f} µs"
    elif kind == "epoch":
        value = f"{seconds:.3f} s"
    else:
        rate = samples_per_op / seconds
        unit = "samples/s" if kind == "samples" else "images/s"
        value = f"{rate / 1e6:.2f} M {unit}" if rate >= 1e6 else f"{rate / 1e3:.1f} k {unit}"
    return f"{value} ({gflops:.2f} GFLOP/s)"


def share(result, gflops, peak):
    """GFLOP/s over the FMA peak for the thread count the row used."""
    threads = result.get("threads_requested", 1)
    limit = peak["gflops_one_thread"] if threads == 1 else peak["gflops_all_threads"]
    return f"{100 * gflops / limit:.0f} %"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="build with --no-incremental (stale incremental builds)")
    parser.add_argument("--skip-build", action="store_true", help="use the last Release build as it is")
    parser.add_argument("--only", help="comma-separated workload ids (C# method names)")
    args = parser.parse_args()

    load_at_start = os.getloadavg()
    torch.set_num_threads(1)
    commit = git("rev-parse", "--short=12", "HEAD")
    dirty = git("status", "--porcelain", "--", "src", "generator", "tests/CompiledNets.Benchmarks")

    global OPENBLAS
    OPENBLAS = openblas()
    *tensors, torch_source = fashion_data()
    cn_rounds, pt_rounds, info = [], [], {}
    for round_number in range(ROUNDS_EACH):
        print(f"round {round_number + 1} of {ROUNDS_EACH}", file=sys.stderr)
        info, cn = run_compiled_nets(args)
        args.skip_build = True  # built once
        ids = [row_id for row_id, _ in ROWS if row_id in cn]
        if not ids:
            sys.exit("the C# quick run reported no workloads")
        threads_of = {row_id: cn[row_id].get("threads_requested", 1) for row_id in ids}
        cn_rounds.append(cn)
        pt_rounds.append(run_torch(ids, tensors, threads_of))
    peak = run_peak()

    def spread(values):
        return statistics.median(values), min(values), max(values)

    print()
    for line in machine_lines(load_at_start):
        print(line)
    print(f"CompiledNets at commit {commit}" + (" with uncommitted changes in src/, generator/ or the benchmarks" if dirty else "")
          + f"; {info.get('runtime', '.NET ?')}, Vector512 {'on' if info.get('vector512') else 'off'}")
    print(f"Data: C# {info.get('fashion_data')}; PyTorch {torch_source}")
    print()
    print(f"FMA peak in plain C# ({peak['vector']}): {peak['gflops_one_thread']:.1f} GFLOP/s on one thread, "
          f"{peak['gflops_all_threads']:.1f} on {peak['threads']}")
    print()
    print("| workload | threads | PyTorch 1.13, same threads | PyTorch, 1 thread | CompiledNets | ratio (vs PyTorch's best) | CompiledNets, share of FMA peak |")
    print("|---|---|---|---|---|---|---|")
    kinds = dict(ROWS)
    for row_id in ids:
        c = cn_rounds[-1][row_id]
        threads = threads_of[row_id]
        flops, samples = c["flops_per_op"], c["samples_per_op"]
        c_med, c_min, c_max = spread([r[row_id]["seconds_per_op"] for r in cn_rounds])

        def cell(median, low, high):
            return (f"{speed(kinds[row_id], samples, median, flops / median * 1e-9)}"
                    f" [{speed(kinds[row_id], samples, high, flops / high * 1e-9).split(' (')[0]} – {speed(kinds[row_id], samples, low, flops / low * 1e-9).split(' (')[0]}]")

        if row_id in CSHARP_ONLY:
            # Against CompiledNets' own one-thread row under the same load.
            one = "EpochOneThreadBusyCore"
            o_med = spread([r[one]["seconds_per_op"] for r in cn_rounds])[0] if one in cn_rounds[-1] else c_med
            print(f"| {c['row']} | {threads} | — | — | {cell(c_med, c_min, c_max)} | {o_med / c_med:.2f}× CompiledNets' one thread, same load "
                  f"| {share(c, flops / c_med * 1e-9, peak)} |")
            continue
        p_med, p_min, p_max = spread([r[(row_id, threads)] for r in pt_rounds])
        one_med, one_min, one_max = spread([r[(row_id, 1)] for r in pt_rounds])
        best = min(p_med, one_med)
        print(f"| {c['row']} | {threads} | {cell(p_med, p_min, p_max)} | {cell(one_med, one_min, one_max) if threads > 1 else '(same)'} "
              f"| {cell(c_med, c_min, c_max)} | {best / c_med:.2f}× | {share(c, flops / c_med * 1e-9, peak)} |")
    print()
    print(f"Each cell: the median of {ROUNDS_EACH} interleaved rounds [slowest – fastest]; each round's value is the median of {ROUNDS} timed groups.")
    print("ratio = CompiledNets speed / PyTorch's faster setting (same threads or one; above 1: CompiledNets is faster).")
    print("GFLOP/s count matrix-product flops only: forward sum 2*in*out per sample; training sum 6*in*out - 2*in0*out0.")
    print("Share of FMA peak: CompiledNets' GFLOP/s over the peak for its thread count (one thread, or all).")


if __name__ == "__main__":
    main()
