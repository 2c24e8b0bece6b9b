#!/usr/bin/env python3
"""Checks that the folders of the library form a DAG: collects every
#include "folder/file" between folders of src/ and actors/, and fails (exit 1)
naming the cycle when one folder reaches itself. The build enforces the
layers (cmake/layers.cmake); this check also catches cycles between folders
of one layer. Run by ctest (test "layers_folder_dag")."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
folders = {}
for base in ("src", "actors"):
    top = os.path.join(root, base)
    for dirpath, _, files in os.walk(top):
        for f in files:
            if not f.endswith((".cpp", ".hpp")):
                continue
            folder = "actors" if base == "actors" else os.path.relpath(dirpath, top).split(os.sep)[0]
            with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                for m in re.finditer(r'^#include "([a-z_]+)/', fh.read(), re.M):
                    if m.group(1) != folder:
                        folders.setdefault(folder, set()).add(m.group(1))

state, stack = {}, []


def visit(n):
    state[n] = 1
    stack.append(n)
    for d in sorted(folders.get(n, ())):
        if state.get(d) == 1:
            cycle = stack[stack.index(d):] + [d]
            print("include cycle between folders: " + " -> ".join(cycle))
            sys.exit(1)
        if d not in state:
            visit(d)
    stack.pop()
    state[n] = 2


for n in sorted(folders):
    if n not in state:
        visit(n)
print("folders form a DAG: " + ", ".join(f"{k} -> {{{', '.join(sorted(v))}}}" for k, v in sorted(folders.items())))
