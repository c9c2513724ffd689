"""pressroom's speed, measured against what a user would otherwise run, in one interleaved run.

    python benchmarks/run.py [--runs 5] [--out benchmarks/RESULTS.md]

Every case runs as a whole new process, the cases interleaved run by run, and
the median of the runs is reported. Targets are ratios of medians measured in
the same run (the machines are shared and noisy), except F, which is a
user-facing wait:

  A  pressroom build of the canonical source to PDF, EPUB and DOCX
  B  pandoc's own route to the same three formats from the same Markdown
  C  bare WeasyPrint writing pressroom's final HTML and CSS to PDF (the floor)
  D  40 generated interviews in one `pressroom build --jobs 2` (per document)
  E  one interview 16 times the canonical length (with peak memory)
  F  pressroom --help
  G  the 40 interviews of D as one collection (one book, one cumulative index), with peak memory
  H  the batch of D through a local Dask scheduler with two one-thread workers (byte-identical to D)
  I  pressroom check of the canonical source
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pypandoc

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "sean-baker-anora.md"
PROFILE = ROOT / "benchmarks" / "PROFILE.md"  # where the time of A goes, measured by hand: appended to RESULTS.md
BIN = Path(sys.executable).parent
TARGETS = {  # name: (what is compared, limit): the page planner issue's (32), H/D issue 16's
    "A/B": ("pressroom's three editions / pandoc's three", 1.5),
    "A/C": ("pressroom's three editions / WeasyPrint's PDF alone", 1.3),
    "D/A": ("one document of a 40-source batch / A", 0.45),
    "H/D": ("the batch of D on a local Dask cluster of two workers / D", 1.15),
    "E/A": ("16 × the text / A", 16.0),
    "G/A": ("a collection of the 40 interviews of D / A", 16.0),
}


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """Seconds of wall time, and the peak memory (KiB) of the largest process it started."""
    probe = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    seconds, peak, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}\n{result.stderr}")
    return float(seconds), int(peak)


def prepare(work: Path) -> tuple[dict[str, list[str]], int]:
    """The commands of every case, and the files they need; and the text layouts of A's build."""
    from pressroom.core.options import BuildOptions, build_timestamp
    from pressroom.reading.reader import read
    from pressroom.typeset.fitting import fitted
    from pressroom.typeset.layout import lay_out
    from pressroom.typeset.print_edition import PrintEdition
    from pressroom.typeset.typesetter import font_face_rules, page_setup, typesetter

    doc = read(SOURCE)
    options = BuildOptions(timestamp=build_timestamp(doc.front.date))
    layout = lay_out(doc, options)
    typeset = typesetter(options)
    final = PrintEdition(doc, options, typeset)  # the last XHTML: fitted as the build fits it, with the real pages
    fitted(typeset, final)
    (work / "floor").mkdir()
    (work / "floor" / "book.html").write_text(final.book(layout.mention_pages), encoding="utf-8")
    (work / "floor" / "fonts.css").write_text(font_face_rules(), encoding="utf-8")
    (work / "floor" / "page.css").write_text(page_setup(options), encoding="utf-8")

    batch = work / "batch"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(batch), "--count", "40"], check=True)
    collection = batch / "all.collection.yaml"
    collection.write_text(
        "title: Forty Interviews\ninterviews:\n" + "".join(f"  - {p.name}\n" for p in sorted(batch.glob("*.md"))),
        encoding="utf-8",
    )
    long_source = work / "long"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(long_source), "--count", "1", "--words",
         str(16 * 4300), "--seed", "16"],
        check=True,
    )
    pandoc = pypandoc.get_pandoc_path()
    pressroom = str(BIN / "pressroom")
    return {
        "A": [pressroom, "build", str(SOURCE), "--out", str(work / "out"), "--jobs", "1"],
        "B": ["sh", "-c", " && ".join(
            f"{pandoc} -f commonmark_x {SOURCE} -o {work / 'out' / 'b'}.{ext}{extra}"
            for ext, extra in (("docx", ""), ("epub", ""), ("pdf", " --pdf-engine=weasyprint"))
        )],
        "C": [str(BIN / "weasyprint"), "--pdf-variant", "pdf/a-3a", "-s", str(work / "floor" / "fonts.css"),
              "-s", str(ROOT / "styles" / "print.css"), "-s", str(work / "floor" / "page.css"),
              str(work / "floor" / "book.html"), str(work / "out" / "c.pdf")],
        "D": [pressroom, "build", *sorted(str(p) for p in batch.glob("*.md")),
              "--out", str(work / "out"), "--jobs", "2"],
        "E": [pressroom, "build", str(next(long_source.glob("*.md"))), "--out", str(work / "out"), "--jobs", "1"],
        "F": [pressroom, "--help"],
        "G": [pressroom, "build", str(collection), "--out", str(work / "out"), "--jobs", "1"],
        "H": [pressroom, "build", *sorted(str(p) for p in batch.glob("*.md")), "--out", str(work / "out"),
              "--scheduler", DASK_ADDRESS],
        "I": [pressroom, "check", str(SOURCE)],
    }, layout.layouts.text


DASK_ADDRESS = "tcp://127.0.0.1:8799"


def start_cluster() -> list[subprocess.Popen]:
    """A local Dask scheduler and two one-thread workers (as `--jobs 2` has two processes), for H, started
    as the README advises for throughput: no nanny, no statistical profiler.

    Started afresh for each run of H and stopped after it, outside its time: left running, the
    idle cluster took about 7 % of a core (heartbeats, ticks) from every other case, which hurt the
    cases that use both cores (D, G) more than A; and its workers stayed warm from run to run,
    where D's start afresh."""
    dask = str(BIN / "dask")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", DASK_ADDRESS.rsplit(":", 1)[1],
                                   "--no-dashboard"], **quiet)]
    worker_env = {**os.environ, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}  # as the README advises
    processes += [subprocess.Popen([dask, "worker", DASK_ADDRESS, "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                                   env=worker_env, **quiet)
                  for _ in range(2)]
    from distributed import Client

    with Client(DASK_ADDRESS, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
    return processes


def stop_cluster(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # pandoc finds weasyprint
    times: dict[str, list[float]] = {}
    peaks: dict[str, list[int]] = {}
    sums: dict[str, str] = {}  # D's and H's SHA256SUMS: the cluster must make the same bytes
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        commands, text_layouts = prepare(work)
        for run in range(1, args.runs + 1):
            for name, command in commands.items():
                shutil.rmtree(work / "out", ignore_errors=True)  # every run starts from nothing
                (work / "out").mkdir()
                with contextlib.ExitStack() as cluster:
                    if name == "H":
                        cluster.callback(stop_cluster, start_cluster())
                    seconds, peak = timed(command, cwd=work, env=env)
                times.setdefault(name, []).append(seconds)
                peaks.setdefault(name, []).append(peak)
                print(f"run {run}: {name} {seconds:.2f} s, {peak / 1024:.0f} MiB", flush=True)
                if name in "DH":
                    sums[name] = (work / "out" / "SHA256SUMS").read_text(encoding="utf-8")
        identical = sums["D"] == sums["H"]
    median = {name: statistics.median(values) for name, values in times.items()}
    ratios = {
        "A/B": median["A"] / median["B"],
        "A/C": median["A"] / median["C"],
        "D/A": median["D"] / 40 / median["A"],
        "H/D": median["H"] / median["D"],
        "E/A": median["E"] / median["A"],
        "G/A": median["G"] / median["A"],
    }
    report_text = report(args.runs, median, ratios, max(peaks["E"]) / 1024, max(peaks["G"]) / 1024, identical,
                         text_layouts)
    args.out.write_text(report_text + PROFILE.read_text(encoding="utf-8"), encoding="utf-8")
    print(args.out.read_text(encoding="utf-8"))


def report(
    runs: int, median: dict[str, float], ratios: dict[str, float], peak_e: float, peak_g: float, identical: bool,
    text_layouts: int,
) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    rows = [f"| {name} | {what} | {ratios[name]:.2f} | ≤ {limit} | {'yes' if ratios[name] <= limit else '**no**'} |"
            for name, (what, limit) in TARGETS.items()]
    rows.append(f"| E memory | peak memory of the 16 × build | {peak_e:.0f} MiB | < 500 MiB | "
                f"{'yes' if peak_e < 500 else '**no**'} |")
    rows.append(f"| G memory | peak memory of the collection build | {peak_g:.0f} MiB | < 1024 MiB | "
                f"{'yes' if peak_g < 1024 else '**no**'} |")
    rows.append(f"| A layouts | text layouts of A's build (`--report`'s `layouts`) | {text_layouts} | ≤ 3 | "
                f"{'yes' if text_layouts <= 3 else '**no**'} |")
    rows.append(f"| H bytes | H's SHA256SUMS equal D's | {'equal' if identical else 'differ'} | equal | "
                f"{'yes' if identical else '**no**'} |")
    rows.append(f"| F | `pressroom --help` | {median['F']:.3f} s | ≤ 0.2 s | "
                f"{'yes' if median['F'] <= 0.2 else '**no**'} |")
    rows.append(f"| I | `pressroom check` of the canonical source | {median['I']:.3f} s | ≤ 0.5 s | "
                f"{'yes' if median['I'] <= 0.5 else '**no**'} |")
    cases = "\n".join(f"| {name} | {median[name]:.2f} s |" for name in "ABCDEFGHI")
    return f"""# pressroom benchmark

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` ({runs} interleaved runs, medians;
each case a whole new process). Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()},
{platform.system()} {platform.release()}.

| target | compares | measured | limit | met |
|---|---|---|---|---|
{chr(10).join(rows)}

| case | median |
|---|---|
{cases}

A: `pressroom build` of the canonical source to PDF, EPUB and DOCX. B: pandoc's own three
(`pandoc -o x.docx`, `-o x.epub`, `--pdf-engine=weasyprint -o x.pdf`). C: the `weasyprint`
command on pressroom's final HTML and CSS (tagged PDF/A-3a, as pressroom writes). D: 40 generated
interviews of the canonical length in one `pressroom build --jobs 2`, per document.
E: one generated interview 16 times the canonical length. F: `pressroom --help`. G: the 40
interviews of D as one collection (`all.collection.yaml`): one book with its index proven.
H: the batch of D with `--scheduler`, on a local `dask scheduler` and two `dask worker`s of one
thread each, without nanny or profiler (started before each run of H and stopped after it, outside its time). \
I: `pressroom check` of the canonical source.

"""


if __name__ == "__main__":
    main()
