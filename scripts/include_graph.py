#!/usr/bin/env python3
"""The #include graph of a source tree, one node per component (X.h and X.cpp together), and its cycles.

    python3 scripts/include_graph.py [ROOT=ui] [--dot]

A component is a file's name without its extension, so "MainWindow.cpp includes RunsPanel.h and
RunsPanel.cpp includes MainWindow.h" is the cycle MainWindow <-> RunsPanel even though no header
includes itself. Only includes that name a file of ROOT count ("normad/ui/X.h" or a local "X.h").
Prints the layers (each component only includes components of lower layers) and exits 1, naming
the components of every cycle, if there is one. --dot prints the graph for Graphviz instead.
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)


def components(root):
    """{component: [paths]} for every .h/.cpp under root."""
    found = {}
    for folder, _, files in os.walk(root):
        for f in files:
            stem, ext = os.path.splitext(f)
            if ext in (".h", ".cpp"):
                found.setdefault(stem, []).append(os.path.join(folder, f))
    return found


def graph(root):
    nodes = components(root)
    edges = {n: set() for n in nodes}
    for node, paths in nodes.items():
        for path in paths:
            with open(path, encoding="utf-8") as f:
                for target in INCLUDE.findall(f.read()):
                    stem = os.path.splitext(os.path.basename(target))[0]
                    if stem in nodes and stem != node:
                        edges[node].add(stem)
    return edges


def cycles(edges):
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                scc = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    scc.append(n)
                    if n == node:
                        break
                if len(scc) > 1:
                    result.append(sorted(scc))
    return result


def layers(edges):
    """Layer of each component: 0 includes nothing of the tree, k includes only layers < k."""
    layer = {}

    def depth(n, seen=()):
        if n in layer:
            return layer[n]
        if n in seen:
            return 0  # a cycle: reported separately
        layer[n] = 1 + max((depth(c, seen + (n,)) for c in edges[n]), default=-1)
        return layer[n]

    for n in edges:
        depth(n)
    return layer


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = args[0] if args else "ui"
    edges = graph(root)
    if "--dot" in sys.argv:
        print("digraph includes {\n  rankdir=BT;")
        for n in sorted(edges):
            for c in sorted(edges[n]):
                print(f'  "{n}" -> "{c}";')
        print("}")
        return 0
    found = cycles(edges)
    layer = layers(edges)
    for k in range(max(layer.values(), default=-1) + 1):
        print(f"layer {k}: " + " ".join(sorted(n for n in layer if layer[n] == k)))
    arrows = sum(len(c) for c in edges.values())
    if found:
        for scc in found:
            print("cycle: " + " <-> ".join(scc), file=sys.stderr)
        print(f"{len(edges)} components, {arrows} arrows, {len(found)} cycle(s) in {root}", file=sys.stderr)
        return 1
    print(f"{len(edges)} components, {arrows} arrows, no cycle in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
