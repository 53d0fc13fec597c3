"""Thread settings that must be in place before numpy is first imported (imported first by `advisor`).

numpy's OpenBLAS starts a thread per core for every matrix product. The reader's products are small (a
brief's 15 sentences against 1,361 examples), and their threads fight the ONNX runtime's for the same two
cores: measured on a busy 2-core machine, the per-brief similarity product took 43 ms with OpenBLAS
threads and 0.9 ms without. A value the user has set is left alone, and nothing changes when numpy was
imported before `advisor`.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
