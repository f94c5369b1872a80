#!/usr/bin/env python3
"""The tables of bench/adaptive_step.sh: per run and phase of the step input, the batches'
interval, processing time, scheduling delay, total delay and the queue at the phase's end.

Reads, for each run name, <out>/<name>.driver.out (network_word_count's lines
"batch T ms: N lines, scheduling delay S ms, processing P ms, total delay D ms") and
<out>/<name>.gen.err (sluice-gen's "rate R lines/s from epoch_ms=E" lines, one at the
connection and one per step). Writes <out>/<name>.batches.csv and prints the tables.
"""
import argparse
import re
import sys

BATCH = re.compile(r"^batch (\d+) ms: (\d+) lines, scheduling delay (-?\d+) ms, processing (-?\d+) ms, "
                   r"total delay (-?\d+) ms")
STEP = re.compile(r"rate (\d+) lines/s from epoch_ms=(\d+)")


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def load(out, name):
    batches = []
    with open(f"{out}/{name}.driver.out") as f:
        for line in f:
            m = BATCH.match(line)
            if m:
                t, n, s, p, d = (int(x) for x in m.groups())
                batches.append({"time": t, "records": n, "sched": s, "proc": p, "total": d})
    batches.sort(key=lambda b: b["time"])
    for i, b in enumerate(batches):
        b["interval"] = b["time"] - batches[i - 1]["time"] if i else None
    steps = []
    with open(f"{out}/{name}.gen.err") as f:
        for line in f:
            m = STEP.search(line)
            if m:
                steps.append((int(m.group(1)), int(m.group(2))))
    return batches, steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--interval", type=int, required=True)
    ap.add_argument("--low", type=int, required=True)
    ap.add_argument("--high", type=int, required=True)
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    print(f"step input: {a.low} -> {a.high} -> {a.low} lines/s; fixed interval {a.interval} ms")
    for name in a.runs:
        batches, steps = load(a.out, name)
        with open(f"{a.out}/{name}.batches.csv", "w") as f:
            f.write("batch_time_ms,interval_ms,records,scheduling_delay_ms,processing_ms,total_delay_ms\n")
            for b in batches:
                f.write(f"{b['time']},{b['interval'] or ''},{b['records']},{b['sched']},{b['proc']},{b['total']}\n")
        if len(steps) < 3 or not batches:
            print(f"\n{name}: incomplete run ({len(batches)} batches, {len(steps)} rate lines)", file=sys.stderr)
            continue
        phase_len = steps[2][1] - steps[1][1]
        bounds = [(f"low {steps[0][0]}/s", steps[0][1], steps[1][1]),
                  (f"high {steps[1][0]}/s", steps[1][1], steps[2][1]),
                  (f"low {steps[2][0]}/s", steps[2][1], steps[2][1] + phase_len)]
        print(f"\n{name}")
        print(f"{'phase':<14}{'batches':>8}{'interval':>10}{'int max':>9}{'proc p50':>10}{'sched p50':>10}"
              f"{'sched max':>10}{'total p50':>10}{'total p99':>10}{'queued':>8}{'records/s':>11}")
        for label, start, end in bounds:
            sel = [b for b in batches if start < b["time"] <= end and b["interval"]]
            if not sel:
                print(f"{label:<14}{0:>8}")
                continue
            ints = [b["interval"] for b in sel]
            queued = sum(1 for b in batches if b["time"] <= end < b["time"] + b["total"])
            rate = sum(b["records"] for b in sel) * 1000.0 / max(1, sum(ints))
            print(f"{label:<14}{len(sel):>8}{sum(ints) / len(ints):>10.0f}{max(ints):>9}"
                  f"{pct([b['proc'] for b in sel], 50):>10}{pct([b['sched'] for b in sel], 50):>10}"
                  f"{max(b['sched'] for b in sel):>10}{pct([b['total'] for b in sel], 50):>10}"
                  f"{pct([b['total'] for b in sel], 99):>10}{queued:>8}{rate:>11.0f}")


if __name__ == "__main__":
    main()
