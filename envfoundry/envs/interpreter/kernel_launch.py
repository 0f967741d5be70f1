"""Starts an IPython kernel that the out-of-memory killer picks first (inside the sandbox).

Run by the kernel driver's kernelspec. A cell that blows the sandbox's memory limit
then kills its kernel, not the driver that reports what happened and starts a new one.
"""

import sys

try:
    with open("/proc/self/oom_score_adj", "w") as fh:
        fh.write("1000")  # raising one's own score needs no privilege
except OSError:
    pass

from ipykernel.kernelapp import launch_new_instance

sys.exit(launch_new_instance())
