#!/usr/bin/python3
"""Short training runs under the default tiered JIT and with DOTNET_TieredCompilation=0, in fresh processes.

    /usr/bin/python3 bench/short_runs.py [--rounds N]

Most runs a user starts are short, so the JIT's warm-up is a large share of them. Each round runs, in a fresh
process and alternating the two settings: the main job (samples/Digits, Release; it prints its training time)
and tests/CompiledNets.Benchmarks' `--short-run wine` and `--short-run cancer` (200 epochs of a 32-unit MLP on
scikit-learn's wine and breast-cancer sets, batches of 16). It prints, per run and setting, the median training
time with its min-max, the default/TC=0 ratio, and the first, second and tenth epoch of the short runs.

Nothing in CI runs this script.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "tests", "CompiledNets.Benchmarks", "bin", "Release", "net10.0", "CompiledNets.Benchmarks.dll")
DIGITS = os.path.join(ROOT, "samples", "Digits", "bin", "Release", "net10.0", "Digits.dll")
SETTINGS = {"default": {}, "TC=0": {"DOTNET_TieredCompilation": "0"}}


def run(command, env):
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env})
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


def digits(env):
    out = run(["dotnet", DIGITS, "--out", os.path.join("/tmp", "digits-short-runs")], env)
    match = re.search(r"Trained (\d+) epochs in ([0-9.]+) s", out)
    return {"seconds": float(match.group(2)), "epoch_seconds": []}


def short(dataset, env):
    line = next(l for l in run(["dotnet", BENCH, "--short-run", dataset], env).splitlines() if l.startswith("{"))
    return json.loads(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for project in ("samples/Digits", "tests/CompiledNets.Benchmarks"):
        subprocess.run(["dotnet", "build", "-c", "Release", project, "-nologo", "-v", "q"], cwd=ROOT, check=True, capture_output=True)

    runs = {"main job (Digits, 74 epochs)": lambda env: digits(env),
            "wine, 142 rows, 200 epochs": lambda env: short("wine", env),
            "breast cancer, 455 rows, 200 epochs": lambda env: short("cancer", env)}
    results = {name: {setting: [] for setting in SETTINGS} for name in runs}
    for round_index in range(args.rounds):
        order = list(SETTINGS) if round_index % 2 == 0 else list(reversed(SETTINGS))
        for name, measure in runs.items():
            for setting in order:
                print(f"round {round_index + 1}: {name}, {setting}", file=sys.stderr)
                results[name][setting].append(measure(SETTINGS[setting]))

    fmt = lambda xs: f"{statistics.median(xs) * 1e3:.1f} ms ({min(xs) * 1e3:.1f}-{max(xs) * 1e3:.1f})"
    print(f"{args.rounds} rounds, fresh processes, settings alternating; training time, median (min-max)")
    print()
    print("| run | default JIT | TC=0 | default / TC=0 | epochs 1, 2, 10 (default, median) |")
    print("|---|---|---|---|---|")
    for name, by_setting in results.items():
        d = [r["seconds"] for r in by_setting["default"]]
        t = [r["seconds"] for r in by_setting["TC=0"]]
        epochs = ""
        if by_setting["default"][0]["epoch_seconds"]:
            e = lambda i: statistics.median(r["epoch_seconds"][i] for r in by_setting["default"]) * 1e3
            epochs = f"{e(0):.2f}, {e(1):.3f}, {e(9):.3f} ms"
        print(f"| {name} | {fmt(d)} | {fmt(t)} | {statistics.median(d) / statistics.median(t):.2f} | {epochs} |")


if __name__ == "__main__":
    main()
