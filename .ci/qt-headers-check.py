#!/usr/bin/env python3
"""Compiles each project source of a build tree's compile_commands.json with
another Qt's headers, syntax only (-fsyntax-only): nothing is linked or run.
Usage: qt-headers-check.py BUILD_DIR QT_ROOT
QT_ROOT is a folder that holds usr/include/<triplet>/qt6 (an unpacked Qt).
Prints one line per failing file and a last line "N checked, M failed"."""
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys

build, root = sys.argv[1], sys.argv[2]
project = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
commands = json.load(open(os.path.join(build, "compile_commands.json")))
system_qt = "/usr/include/x86_64-linux-gnu/qt6"
other_qt = os.path.join(root, "usr/include/x86_64-linux-gnu/qt6")
system_mkspecs = "/usr/lib/x86_64-linux-gnu/qt6/mkspecs"
other_mkspecs = os.path.join(root, "usr/lib/x86_64-linux-gnu/qt6/mkspecs")
# moc output made by this machine's Qt is not the other Qt's: an error there
# (always at the very end of a file, after all of its own code) is not ours.
moc_only = re.compile(r"(\.moc|mocs_compilation|moc_[^/]*\.cpp|Q_MOC_OUTPUT_REVISION|moc from)")


def check(entry):
    source = entry["file"]
    args = shlex.split(entry["command"].replace(system_qt, other_qt).replace(system_mkspecs, other_mkspecs))
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a.startswith("-Werror"):
            continue
        out.append(a)
    out.append("-fsyntax-only")
    r = subprocess.run(out, cwd=entry["directory"], capture_output=True, text=True)
    errors = [line for line in r.stderr.splitlines() if " error: " in line or " warning: " in line]
    ours = [line for line in errors if not moc_only.search(line)]
    return source, ours


entries = [e for e in commands
           if e["file"].startswith(project) and "/build" not in e["file"][len(project):]
           and "_autogen" not in e["file"] and "/fuzz/" not in e["file"]]
failed = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    for source, problems in pool.map(check, entries):
        if problems:
            failed += 1
            print(os.path.relpath(source, project) + ":")
            for line in problems[:10]:
                print("  " + line)
print(f"{len(entries) - failed} passed, {failed} failed (files compiled against the other Qt)")
sys.exit(1 if failed else 0)
