#!/usr/bin/env python3
"""One Markdown table row per `normad reproduce ... --out DIR` folder (docs/reproduction.md, SuperSpike).

Usage: scripts/reproduce_table.py DIR [DIR ...]

Reads DIR/trials.csv (written by `normad reproduce --out DIR`) and, if present, DIR/cpu.txt: the line
`cpu USER SYS wall WALL` that `/usr/bin/time -f "cpu %U %S wall %e"` printed for the run (run it with
--threads 1, so the CPU seconds are one trial after another). Prints per folder: solved/trials, epochs to
success per seed ("–" = not solved), their median and quartiles (linear interpolation between order
statistics, Python's statistics.quantiles(method="inclusive")), the mean final min C over all trials, and
CPU milliseconds per epoch (user + sys over every epoch the trials ran, failures included).
"""
import csv
import os
import re
import statistics
import sys


def number(x):
    """Shortest text of x with at most one decimal."""
    return ('%.1f' % x).rstrip('0').rstrip('.')


def row(folder):
    trials = list(csv.DictReader(open(os.path.join(folder, 'trials.csv'), newline='')))
    solved = sorted(int(t['epochs_to_success']) for t in trials if t['success'] == '1')
    per_seed = ' '.join(t['epochs_to_success'] if t['success'] == '1' else '–' for t in trials)
    median = number(statistics.median(solved)) if solved else '–'
    if len(solved) >= 2:
        q1, _, q3 = statistics.quantiles(solved, n=4, method='inclusive')
        quartiles = number(q1) + '–' + number(q3)
    else:
        quartiles = '–'
    final_c = statistics.mean(float(t['final_min_correlation']) for t in trials)
    epochs = sum(int(t['epochs']) for t in trials)
    cpu = '?'
    cpu_file = os.path.join(folder, 'cpu.txt')
    if os.path.exists(cpu_file):
        m = re.search(r'cpu ([\d.]+) ([\d.]+) wall', open(cpu_file).read())
        if m:
            cpu = number(1e3 * (float(m.group(1)) + float(m.group(2))) / epochs)
    seeds = trials[0]['seed'] + '–' + trials[-1]['seed']
    return '| %s | seeds %s | %d/%d | %s | %s | %s | %.3f | %s |' % (
        os.path.basename(os.path.normpath(folder)), seeds, len(solved), len(trials), per_seed, median, quartiles,
        final_c, cpu)


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print('| run | seeds | solved | epochs to success per seed | median | quartiles | mean final min C | '
          'CPU ms / epoch |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- |')
    for folder in sys.argv[1:]:
        print(row(folder))
