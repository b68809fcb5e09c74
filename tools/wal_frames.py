#!/usr/bin/env python3
"""Which tables and indexes fill the write-ahead log: frames per commit, by B-tree.

Every page a transaction changes is written to the WAL once per commit, whole (8 KiB in files the store creates
since 2026-12-06, 16 KiB before; the size is read from the WAL's header), so an index whose rows land on a random
page (a random id, a hash) costs a page per row, while one that appends shares its last page with the rest of the
group. This reads the frames of the WAL's current generation (those
whose salts match its header), counts commits and maps each frame's page number to its B-tree with SQLite's
`dbstat` table.

Usage: SNAPSHOT=1 KEEP=1 scripts/bench_api, then
    python3 tools/wal_frames.py /tmp/paylater-bench-api.XXXXXX/snap/paylater.sqlite
It works on a copy (opening the database would check the WAL into it). Needs the sqlite3 command (dbstat built in,
as in Debian's).
"""
import collections
import os
import shutil
import struct
import subprocess
import sys
import tempfile


def frames(wal_path):
    """The page numbers of the current generation's frames and how many of them end a commit."""
    with open(wal_path, "rb") as wal:
        header = wal.read(32)
        _, _, page_size, _, salt1, salt2 = struct.unpack(">IIIIII", header[:24])
        pages, commits = [], 0
        while True:
            frame = wal.read(24)
            if len(frame) < 24:
                break
            page, database_size, frame_salt1, frame_salt2 = struct.unpack(">IIII", frame[:16])
            if (frame_salt1, frame_salt2) != (salt1, salt2):
                break
            if len(wal.read(page_size)) < page_size:
                break
            pages.append(page)
            commits += database_size != 0
    return page_size, pages, commits


def btrees(database_path):
    """Page number → table or index name, read from a copy of the database and its WAL."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "copy.sqlite")
        shutil.copy(database_path, copy)
        shutil.copy(database_path + "-wal", copy + "-wal")
        rows = subprocess.run(
            ["sqlite3", copy, "SELECT pageno, name FROM dbstat"], capture_output=True, text=True, check=True
        ).stdout
    return {int(page): name for page, name in (line.split("|", 1) for line in rows.splitlines())}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    database = sys.argv[1]
    page_size, pages, commits = frames(database + "-wal")
    if not commits:
        sys.exit("no committed frames in the WAL's current generation")
    names = btrees(database)
    print(f"page size {page_size}; {len(pages)} frames in {commits} commits: {len(pages) / commits:.1f} frames per commit")
    for name, count in collections.Counter(names.get(page, "(freed)") for page in pages).most_common():
        print(f"{count / commits:8.2f}  {name}")


if __name__ == "__main__":
    main()
