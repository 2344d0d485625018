"""tmcheck benchmark: tmcheck vs check-jsonschema vs a libyaml floor, on the same files.

Usage: python bench/run.py [--sizes 10,100,1000,10000] [--repeat K] [--quick]
Exit code: 0 every pass line holds, 1 one fails, 2 a run could not be trusted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import corpus
import yaml
from harness import (
    FLOOR,
    BenchError,
    Sample,
    batches,
    clean_environment,
    measure,
    median_sample,
    tool,
)

from tmcheck.schema_export import schema_json

OUT = corpus.OUT
SEED = Path("/work/shared/formats/stride-worksheet.yaml")
TOOLS = ("tmcheck", "check-jsonschema", "floor")
# Rules that mean the corpus or the run is wrong, not that the threats are risky.
BAD_RULES = {"schema", "parse-error", "read-error", "unknown-format", "too-many-files",
             "internal-error", "risk-score-mismatch", "duplicate-id", "unknown-rating",
             "unknown-status", "unknown-category"}  # fmt: skip
Runner = Callable[[str], tuple[Sample, int]]


def runners(directory: Path, count: int, schema: Path) -> dict[str, Runner]:
    """For each tool, a function that runs it once over `directory` -> (sample, batches)."""
    tmcheck, peer = tool("tmcheck"), tool("check-jsonschema")
    env = clean_environment(TMCHECK_MAX_FILES=str(max(count, 1000)))  # default max_files: 1000
    names = sorted(path.name for path in directory.iterdir())
    logs = OUT / "logs"

    def run_tmcheck(tag: str) -> tuple[Sample, int]:
        # Run in the corpus: the root is where tmcheck reads other threat models as context.
        command = [tmcheck, "check", "--no-config", "--format", "json", "."]
        sample, stderr = measure(command, cwd=directory, env=env, log=logs / f"tmcheck-{tag}.json")
        if sample.code != 1:  # 1: the corpus has blocking threats; 0, 2 or 3 is wrong
            raise BenchError(f"tmcheck exited {sample.code} on {directory}:\n{stderr[-3000:]}")
        return sample, 1

    def run_peer(tag: str) -> tuple[Sample, int]:
        fixed = [peer, "--schemafile", str(schema)]
        walls, cpu, peak, parts = 0.0, 0.0, 0, batches(names, fixed, env)
        for part in parts:
            sample, stderr = measure([*fixed, *part], cwd=directory, env=env,
                                     log=logs / f"check-jsonschema-{tag}.txt")  # fmt: skip
            if sample.code != 0:
                raise BenchError(f"check-jsonschema exited {sample.code}:\n{stderr[-3000:]}")
            walls, cpu, peak = walls + sample.wall, cpu + sample.cpu, max(peak, sample.rss_kib)
        return Sample(walls, cpu, peak, 0), len(parts)

    def run_floor(tag: str) -> tuple[Sample, int]:
        command = [sys.executable, "-c", FLOOR, directory.name]
        sample, stderr = measure(command, cwd=OUT, env=env, log=logs / f"floor-{tag}.txt")
        if sample.code != 0:
            raise BenchError(f"the floor exited {sample.code}:\n{stderr[-3000:]}")
        return sample, 1

    return {"tmcheck": run_tmcheck, "check-jsonschema": run_peer, "floor": run_floor}


def verify_tmcheck_output(path: Path, count: int) -> None:
    """The run checked every file, found every threat valid and no problem with the corpus."""
    report = json.loads(path.read_text(encoding="utf-8"))
    summary = report["summary"]
    budget = [f["message"] for f in report["findings"] if f["rule"] == "run-budget"]
    if budget:  # tmcheck/budget.py: what one run may read in all, grown with max_files
        raise BenchError(f"{count:,} files are more than one tmcheck run reads: {budget[0]}")
    bad = sorted({f["rule"] for f in report["findings"]} & BAD_RULES)
    if summary["files"] != count or summary["threats"] != 10 * count or bad:
        raise BenchError(f"tmcheck output is off: {summary}, unexpected rules {bad}")
    if not all(file["valid"] for file in report["files"]):
        raise BenchError("tmcheck reported invalid files in the corpus")


def verify_peer(schema: Path) -> None:
    """check-jsonschema with the bundle rejects what the common $defs forbid (so refs resolve)."""
    bad = yaml.safe_load(SEED.read_text() if SEED.is_file() else corpus.worksheet(1))
    bad["threats"][0].update(id="has space", risk_score=30, owner="")
    directory = OUT / "peer-check"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "bad.yaml").write_text(yaml.safe_dump(bad, sort_keys=False))
    command = [tool("check-jsonschema"), "--schemafile", str(schema), "bad.yaml"]
    sample, _ = measure(command, cwd=directory, env=clean_environment(), log=directory / "out.txt")
    text = (directory / "out.txt").read_text()
    wanted = ("$.threats[0].id", "$.threats[0].risk_score", "$.threats[0].owner")
    if sample.code != 1 or not all(where in text for where in wanted):
        raise BenchError(f"the bundled schema does not enforce the common $defs:\n{text}")


def one_file(schema: Path, runs: int) -> dict[str, list[Sample]]:
    """The pre-commit path: one seed-size worksheet, each tool `runs` times, interleaved."""
    directory = OUT / "one-file"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "stride-worksheet.yaml"
    if SEED.is_file():
        shutil.copyfile(SEED, target)
    else:  # elsewhere: a generated worksheet stands in for the seed
        target.write_text(corpus.worksheet(1))
    env = clean_environment()
    commands = {
        "tmcheck": [tool("tmcheck"), "check", "--no-config", "--format", "json", target.name],
        "check-jsonschema": [tool("check-jsonschema"), "--schemafile", str(schema), target.name],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for round_ in range(runs + 1):  # round 0 warms the caches and is not counted
        for name, command in commands.items():
            sample, stderr = measure(command, cwd=directory, env=env, log=OUT / "logs" / "one.txt")
            if sample.code not in (0, 1):
                raise BenchError(f"{name} exited {sample.code} on one file:\n{stderr[-3000:]}")
            if round_:
                samples[name].append(sample)
    return samples


def mb(kib: int) -> str:
    return f"{kib * 1024 / 1e6:,.1f}"


def report(
    results: dict[int, dict[str, Sample]],
    single: dict[str, list[Sample]],
    repeats: dict[int, int],
    parts: dict[int, int],
) -> list[tuple[bool | None, str]]:
    """Print the tables; return the pass lines as (passed or None when not run, text)."""
    sizes = sorted(results)
    print("\n### N files (median of the runs)\n")
    print("| N | runs | tool | wall s | CPU s | ms/file | peak RSS MB | tmcheck / tool |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for n in sizes:
        for name in TOOLS:
            s = results[n][name]
            ratio = "" if name == "tmcheck" else f"{results[n]['tmcheck'].wall / s.wall:.2f}x"
            print(f"| {n:,} | {repeats[n]} | {name} | {s.wall:.3f} | {s.cpu:.3f}"
                  f" | {1000 * s.wall / n:.2f}"
                  f" | {mb(s.rss_kib)} | {ratio} |")  # fmt: skip
    print("\n### Growth: ms per file at each N (whole process, start-up included)\n")
    print("| tool | " + " | ".join(f"N={n:,}" for n in sizes) + " | last / previous |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for name in TOOLS:
        per = [1000 * results[n][name].wall / n for n in sizes]
        growth = f"{per[-1] / per[-2]:.2f}x" if len(per) > 1 else ""
        print(f"| {name} | " + " | ".join(f"{p:.2f}" for p in per) + f" | {growth} |")
    print(f"\ncheck-jsonschema command lines per run: { {n: parts[n] for n in sizes} }")
    print(f"\n### One file (best of {len(single['tmcheck'])}, interleaved)\n")
    print("| tool | best s | median s | CPU s (best run) | peak RSS MB (best run) |")
    print("|---|---:|---:|---:|---:|")
    best = {name: min(samples, key=lambda s: s.wall) for name, samples in single.items()}
    for name, samples in single.items():
        print(f"| {name} | {best[name].wall:.3f} | {median_sample(samples).wall:.3f}"
              f" | {best[name].cpu:.3f} | {mb(best[name].rss_kib)} |")  # fmt: skip

    lines: list[tuple[bool | None, str]] = []
    t, c = best["tmcheck"].wall, best["check-jsonschema"].wall
    lines.append((t <= 0.5 * c, f"one file: tmcheck {t:.3f} s <= 0.5 x check-jsonschema {c:.3f} s"
                  f" = {0.5 * c:.3f} s  (tmcheck is {t / c:.2f}x check-jsonschema)"))  # fmt: skip
    if 1000 in results:
        t, f = results[1000]["tmcheck"].wall, results[1000]["floor"].wall
        lines.append((t <= 2 * f, f"1,000 files: tmcheck {t:.2f} s <= 2 x floor {f:.2f} s"
                      f" = {2 * f:.2f} s  (tmcheck is {t / f:.1f}x the floor)"))  # fmt: skip
    else:
        lines.append((None, "1,000 files: tmcheck <= 2 x floor (N=1000 not run)"))
    if 1000 in results and 10000 in results:
        a, b = results[1000]["tmcheck"].wall / 1000, results[10000]["tmcheck"].wall / 10000
        lines.append((b <= 1.5 * a, f"growth: tmcheck {1000 * b:.2f} ms/file at 10,000 <= 1.5 x"
                      f" {1000 * a:.2f} ms/file at 1,000  ({b / a:.2f}x)"))  # fmt: skip
    else:
        lines.append((None, "growth: ms/file at 10,000 <= 1.5 x at 1,000 (not run)"))
    if 10000 in results:
        peak = results[10000]["tmcheck"].rss_kib * 1024 / 1e6
        lines.append((peak < 150, f"memory: tmcheck peak RSS at 10,000 files {peak:.1f} MB < 150 MB"
                      f"  ({peak / 150:.2f}x the limit)"))  # fmt: skip
    else:
        lines.append((None, "memory: peak RSS at 10,000 files < 150 MB (N=10000 not run)"))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tmcheck benchmark (see bench/README.md)")
    parser.add_argument("--sizes", help="comma-separated file counts (default 10,100,1000,10000)")
    parser.add_argument("--repeat", type=int, help="runs per size below 10,000 (default 3)")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs at N >= 10,000")
    parser.add_argument("--one-file-runs", type=int, help="one-file runs (default 10)")
    parser.add_argument("--quick", action="store_true", help="sizes 10,100,1000, one run each")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in (args.sizes or ("10,100,1000" if args.quick else
                                             "10,100,1000,10000")).split(",")]  # fmt: skip
    repeat = args.repeat or (1 if args.quick else 3)
    one_runs = args.one_file_runs or (5 if args.quick else 10)
    try:
        OUT.mkdir(parents=True, exist_ok=True)
        schema = OUT / "stride-worksheet.bundled.schema.json"
        schema.write_text(schema_json("stride-worksheet"))
        verify_peer(schema)
        print(f"# tmcheck benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}\n")
        print(
            f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}),"
            f" {platform.platform()}, load average {os.getloadavg()[0]:.2f} at start"
        )
        print(f"- Python {platform.python_version()}, PyYAML {yaml.__version__}"
              f" (libyaml {yaml.__with_libyaml__}), tools: {tool('tmcheck')},"
              f" {tool('check-jsonschema')}")  # fmt: skip
        print("\n| N | files | bytes | mean bytes/file | sha256 |\n|---:|---:|---:|---:|---|")
        results: dict[int, dict[str, Sample]] = {}
        repeats: dict[int, int] = {}
        parts: dict[int, int] = {}
        directories: dict[int, Path] = {}
        for n in sizes:
            directory, total, sha = corpus.write_corpus(n)
            directories[n] = directory
            print(f"| {n:,} | {n:,} | {total:,} | {total / n:,.0f} | {sha[:16]} |")
        single = one_file(schema, one_runs)
        for n in sizes:
            run = runners(directories[n], n, schema)
            repeats[n] = args.repeat_large if n >= 10000 else repeat
            samples: dict[str, list[Sample]] = {name: [] for name in TOOLS}
            for index in range(repeats[n]):  # tools interleaved, so drift hits all of them
                for name in TOOLS:
                    sample, parts[n] = run[name](f"{n}")
                    samples[name].append(sample)
                    print(f"  N={n:,} run {index + 1}: {name} {sample.wall:.3f} s,"
                          f" {mb(sample.rss_kib)} MB", file=sys.stderr, flush=True)  # fmt: skip
                if index == 0:
                    verify_tmcheck_output(OUT / "logs" / f"tmcheck-{n}.json", n)
            results[n] = {name: median_sample(s) for name, s in samples.items()}
        lines = report(results, single, repeats, parts)
        (OUT / "results.json").write_text(json.dumps({
            "sizes": {n: {name: vars(s) for name, s in r.items()} for n, r in results.items()},
            "one_file": {name: [vars(s) for s in samples] for name, samples in single.items()},
            "pass_lines": [{"passed": passed, "line": text} for passed, text in lines],
        }, indent=2))  # fmt: skip
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 2
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}\n\n### Pass lines\n")
    for passed, text in lines:
        print(f"- {'SKIP' if passed is None else 'PASS' if passed else 'FAIL'}  {text}")
    return 1 if any(passed is False for passed, _ in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
