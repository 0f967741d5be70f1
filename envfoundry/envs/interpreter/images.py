"""The interpreter image: base image + a virtualenv with ipykernel and the scientific stack.

One layer on top of the sandbox base image, named by the hash of what built it (the
Dockerfile, the pinned requirement list and the in-container kernel driver), built like
the code family's images: host network during the build, the host's CA bundle trusted.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from envfoundry.envs.images import ImageSpec, bootstrap_base_image, build_image

if TYPE_CHECKING:
    from envfoundry.config import Settings

VENV = "/opt/interp"
DRIVER_PATH = "/opt/envfoundry/kernel_driver.py"
LAUNCH_PATH = "/opt/envfoundry/kernel_launch.py"
HERE = Path(__file__).parent
REQUIREMENTS = (
    "ipykernel>=6.29,<7",
    "jupyter_client>=8.6,<9",
    "numpy>=1.26,<3",
    "pandas>=2.2,<3",
    "pyarrow>=15",
    "sympy>=1.12",
    "networkx>=3.2",
    "matplotlib>=3.8",
    "scipy>=1.11",
)


def interpreter_spec(base: str) -> ImageSpec:
    """The kernel layer on ``base``; its tag covers the requirements and the driver."""
    return ImageSpec(
        name="envfoundry/interp",
        parent=base,
        dockerfile=(
            "RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
            "--no-install-recommends python3-venv && rm -rf /var/lib/apt/lists/*\n"
            f"RUN python3 -m venv {VENV}\n"
            # the driver comes after the packages: editing it does not reinstall them
            "COPY requirements.txt /opt/envfoundry/\n"
            f"RUN {VENV}/bin/pip install --no-cache-dir -q -r /opt/envfoundry/requirements.txt "
            f"&& {VENV}/bin/python -m compileall -q {VENV}/lib > /dev/null "
            f"&& MPLBACKEND=Agg MPLCONFIGDIR=/tmp/mpl {VENV}/bin/python -c "
            "'import matplotlib.pyplot, pandas, sympy, networkx, ipykernel'\n"
            "COPY kernel_driver.py kernel_launch.py /opt/envfoundry/\n"
            f"RUN chmod 0755 {DRIVER_PATH} {LAUNCH_PATH}\n"
            f"ENV PATH={VENV}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "
            "MPLBACKEND=Agg MPLCONFIGDIR=/tmp/mpl OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "
            "MKL_NUM_THREADS=1 PIP_DISABLE_PIP_VERSION_CHECK=1\n"
        ),
        context={
            "requirements.txt": "".join(f"{r}\n" for r in REQUIREMENTS),
            "kernel_driver.py": (HERE / "kernel_driver.py").read_text(),
            "kernel_launch.py": (HERE / "kernel_launch.py").read_text(),
        },
        purpose="interp",
    )


_lock = threading.Lock()
_built: dict[str, str] = {}


def ensure_interpreter_image(settings: Settings) -> str:
    """The interpreter image's tag, building the base and the layer when missing."""
    key = str(settings.data_dir)
    with _lock:
        if key not in _built:
            base = bootstrap_base_image(settings)
            _built[key] = build_image(interpreter_spec(base), settings)
        return _built[key]
