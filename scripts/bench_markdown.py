"""The Markdown renderer's time, before (python-markdown) and after (markdown-it-py): part of `make bench`.

Times are CPU seconds of this process (other work on the machine does not count), the median
of several runs. python-markdown runs in a child process per case, stopped after STOP_SECONDS.
Run alone with `.venv/bin/python scripts/bench_markdown.py` (prints its section of RESULTS.md).
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

STOP_SECONDS = 10
BUDGET_MS = 100

OLD_CASE = """
import sys, time
sys.path[:0] = {paths!r}
from markdown_cases import HOSTILE_MARKDOWN, python_markdown_pipeline
text = HOSTILE_MARKDOWN[{name!r}]
start = time.process_time()
try:
    python_markdown_pipeline(text)
except RecursionError:
    print("RecursionError")
else:
    print(time.process_time() - start)
"""


def cpu_ms(render, text, runs=5):
    from guides.markdown import render_within_limit

    times = []
    for _ in range(runs):
        render_within_limit.cache_clear()  # a real render each time, not a lookup in its memo
        start = time.process_time()
        render(text)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def old_hostile_ms(name):
    """python-markdown on one hostile case, in a child process: ms, or why it gave no page."""
    code = OLD_CASE.format(paths=[str(ROOT), str(ROOT / "tests")], name=name)
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=STOP_SECONDS, check=True).stdout.strip()
    except subprocess.TimeoutExpired:
        return f"stopped after {STOP_SECONDS} s"
    except subprocess.CalledProcessError as error:
        return f"{error.stderr.strip().splitlines()[-1].split(':')[0]} (500)"
    return "RecursionError (500)" if out == "RecursionError" else f"{float(out) * 1000:,.0f}"


def largest_under_budget(render, unit, limit):
    """The longest repetition of `unit` (up to `limit` characters) that renders within BUDGET_MS."""
    low, high = 0, limit // len(unit)
    while low < high:
        middle = (low + high + 1) // 2
        if cpu_ms(render, unit * middle, runs=3) < BUDGET_MS:
            low = middle
        else:
            high = middle - 1
    return low * len(unit)


def report():
    from guides.markdown import MAX_LENGTH, render_markdown
    from markdown_cases import HOSTILE_MARKDOWN, python_markdown_pipeline, seed_fields

    seed = [text for _, text in seed_fields()]
    seed_old = sum(cpu_ms(python_markdown_pipeline, text) for text in seed)
    seed_new = sum(cpu_ms(render_markdown, text) for text in seed)
    lines = [
        "## Markdown renderer",
        "",
        f"CPU ms per render (median of 5). Before: python-markdown 3.11 + nh3; after: markdown-it-py "
        f"(CommonMark) + nh3, with a {MAX_LENGTH:,}-character limit on every field. Each hostile case is "
        f"{MAX_LENGTH:,} characters; python-markdown was stopped after {STOP_SECONDS} s. \"Largest under "
        f"{BUDGET_MS} ms\" is the longest repetition of the case's pattern that markdown-it-py renders within "
        f"{BUDGET_MS} ms (capped at the limit).",
        "",
        "| input | before ms | after ms | largest under 100 ms (after) |",
        "| --- | --- | --- | --- |",
        f"| all {len(seed)} seed fields ({sum(map(len, seed)):,} characters) | {seed_old:.1f} | {seed_new:.1f} | – |",
    ]
    afters, largest = {}, {}
    for name, text in HOSTILE_MARKDOWN.items():
        afters[name] = cpu_ms(render_markdown, text)
        largest[name] = largest_under_budget(render_markdown, pattern_of(text), MAX_LENGTH)
        lines.append(f"| {name} | {old_hostile_ms(name)} | {afters[name]:,.1f} | {largest[name]:,} |")
    hardest, slowest = min(largest, key=largest.get), max(afters, key=afters.get)
    lines += [
        "",
        f"Largest input that renders in under {BUDGET_MS} ms whatever it holds (of the patterns above): "
        f"{largest[hardest]:,} characters ({hardest}). Slowest at the {MAX_LENGTH:,}-character limit: "
        f"{afters[slowest]:,.0f} ms ({slowest}); budget 1 s: {'met' if afters[slowest] < 1000 else 'NOT MET'}. "
        "Text over the limit (forms and the preview refuse it) is shown as escaped paragraphs, in linear time.",
        "",
    ]
    return lines


def pattern_of(text):
    """The repeated unit a hostile case is made of (its shortest period)."""
    for size in range(1, 16):
        if text[: size * 4] == text[:size] * 4:
            return text[:size]
    return text[:1]


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # the seed content is read through the models' module
    django.setup()
    print("\n".join(report()))
