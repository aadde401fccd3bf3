"""Helpers the bench scripts share: read `/usr/bin/time -v` output."""

import re


def wall_and_rss(path):
    """Wall-clock seconds and peak RSS (MiB) from a `/usr/bin/time -v` log."""
    t = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    return secs, rss
