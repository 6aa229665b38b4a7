#!/usr/bin/python3
"""CompiledNets at two commits, in one run: the benchmark project's quick mode, rounds interleaved.

    /usr/bin/python3 bench/before_after.py BEFORE [AFTER] [--rounds N] [--only ID,ID] [--env NAME=VALUE ...]

BEFORE and AFTER are commits (AFTER defaults to the working tree). Each is checked out into a
temporary worktree (the working tree is used as it is), its tests/CompiledNets.Benchmarks built in
Release, then the two `--quick` runs alternate N times (default 5), so a busy spell of the shared
machine falls on both sides. Each quick run reports its median of 5 rounds per workload; this script
prints, per workload, the median over the N runs with their min-max, AFTER's change in the median, and
its change in the fastest round seen (the least disturbed by other load on a shared machine).
--env sets a variable for both sides' runs (DOTNET_TieredCompilation=0 compares fully optimized code).

Nothing in CI runs this script; it is for checking that a change did not make a workload slower.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT = os.path.join("tests", "CompiledNets.Benchmarks", "CompiledNets.Benchmarks.csproj")


def build(tree):
    done = subprocess.run(["dotnet", "build", "-c", "Release", PROJECT, "-nologo", "-v", "q"], cwd=tree, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-2000:])
        sys.exit(f"the build in {tree} failed")


def quick(tree, only, env):
    run = ["dotnet", "run", "-c", "Release", "--no-build", "--project", PROJECT, "--", "--quick"] + (["--only", only] if only else [])
    done = subprocess.run(run, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, **env})
    if done.returncode != 0:
        sys.exit(f"the quick run in {tree} failed with exit code {done.returncode}")
    results = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("type") == "result":
                results[record["id"]] = record
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("after", nargs="?")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for both sides' runs")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)

    with tempfile.TemporaryDirectory() as scratch:
        trees = {}
        for name, commit in (("before", args.before), ("after", args.after)):
            if commit is None:
                trees[name] = ROOT
                continue
            path = os.path.join(scratch, name)
            subprocess.run(["git", "worktree", "add", "--detach", path, commit], cwd=ROOT, check=True, capture_output=True)
            trees[name] = path
        try:
            for name, tree in trees.items():
                print(f"building {name} ({tree})", file=sys.stderr)
                build(tree)
            seconds = {"before": {}, "after": {}}
            fastest = {"before": {}, "after": {}}
            rows = {}
            for round_index in range(args.rounds):
                for name in (("before", "after") if round_index % 2 == 0 else ("after", "before")):
                    print(f"round {round_index + 1}/{args.rounds}: {name}", file=sys.stderr)
                    for workload, record in quick(trees[name], args.only, env).items():
                        seconds[name].setdefault(workload, []).append(record["seconds_per_op"])
                        fastest[name].setdefault(workload, []).append(record["seconds_per_op_fastest"])
                        rows[workload] = record["row"]
        finally:
            for name, commit in (("before", args.before), ("after", args.after)):
                if commit is not None:
                    subprocess.run(["git", "worktree", "remove", "--force", trees[name]], cwd=ROOT, capture_output=True)

    print(f"before: {args.before}, after: {args.after or 'working tree'}; {args.rounds} interleaved runs, "
          + (f"with {' '.join(args.env)}, " if args.env else "") +
          "each the median of 5 rounds; seconds per operation, median (min-max)")
    print()
    print("| workload | before | after | after / before (median) | after / before (fastest) |")
    print("|---|---|---|---|---|")
    for workload, row in rows.items():
        b, a = seconds["before"].get(workload), seconds["after"].get(workload)
        if not b or not a:
            continue
        fmt = lambda xs: f"{statistics.median(xs):.4g} ({min(xs):.4g}-{max(xs):.4g})"
        fb, fa = min(fastest["before"][workload]), min(fastest["after"][workload])
        print(f"| {row} | {fmt(b)} | {fmt(a)} | {statistics.median(a) / statistics.median(b):.3f} | {fa / fb:.3f} |")


if __name__ == "__main__":
    main()
