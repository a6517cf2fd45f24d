"""Where the camera aid's face model lives: the pinned npm package @mediapipe/face_mesh, copied
at setup (`make mirror-files`, the Dockerfile's build stage) next to the aid's own page and
served from the app itself as the component's static files.

No Streamlit here: the setup tool and the server read it too. When the files are absent (a
machine without npm) the aid is simply not offered and the steps work as they always did.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import brotli

PACKAGE = "@mediapipe/face_mesh"
VERSION = "0.4.1657299874"
# The component's folder: index.html, mirror.js and mirror.css are in the repository, the model
# folder below them is made at setup (and ignored by git).
COMPONENT = Path(__file__).resolve().parent / "mirror"
# The version is in the folder's name, so its files can be cached for a year: a new version is
# a new address.
MODEL_DIR_NAME = f"facemesh-{VERSION}"
MODEL_DIR = COMPONENT / MODEL_DIR_NAME
# What the browser may fetch from the package (its README, types and package.json stay out).
FILES = (
    "face_mesh.js",
    "face_mesh.binarypb",
    "face_mesh_solution_packed_assets.data",
    "face_mesh_solution_packed_assets_loader.js",
    "face_mesh_solution_simd_wasm_bin.data",
    "face_mesh_solution_simd_wasm_bin.js",
    "face_mesh_solution_simd_wasm_bin.wasm",
    "face_mesh_solution_wasm_bin.js",
    "face_mesh_solution_wasm_bin.wasm",
)
# Written last by the setup: its presence means every file is there. It lists the bytes a phone
# fetches (raw and Brotli), so the aid can say how much it loads before it loads anything.
MANIFEST = "sizes.json"
# What one phone downloads: the loader, the models and one of the two WebAssembly builds (SIMD on
# every current phone browser).
PHONE_LOADS = (
    "face_mesh.js",
    "face_mesh.binarypb",
    "face_mesh_solution_packed_assets.data",
    "face_mesh_solution_packed_assets_loader.js",
    "face_mesh_solution_simd_wasm_bin.js",
    "face_mesh_solution_simd_wasm_bin.wasm",
)


# The server compresses with this quality too (web/site/compression.py): the size told is the
# size sent.
BROTLI_QUALITY = 9


def place(package: Path, target: Path = MODEL_DIR) -> None:
    """Copy the files a browser may fetch from the installed npm package into `target`, then
    write the manifest (last: a setup cut short leaves no manifest, so no aid)."""
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).unlink(missing_ok=True)
    for name in FILES:
        shutil.copyfile(package / name, target / name)
    table = {}
    for name in PHONE_LOADS:
        body = (target / name).read_bytes()
        packed = brotli.compress(body, quality=BROTLI_QUALITY)
        table[name] = {"raw": len(body), "br": len(packed)}
    (target / MANIFEST).write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")


def sizes(folder: Path = MODEL_DIR) -> dict[str, dict[str, int]] | None:
    """{file: {"raw": bytes, "br": bytes}} of what a phone loads, or None when the model files
    are not installed (or not completely)."""
    manifest = folder / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all((folder / name).is_file() for name in FILES):
        return None
    return {str(k): {"raw": int(v["raw"]), "br": int(v["br"])} for k, v in data.items()}


def download_mb(table: dict[str, dict[str, int]]) -> str:
    """The compressed download of the phone's files in MB, one decimal (as the aid says it)."""
    return f"{sum(v['br'] for v in table.values()) / 1_000_000:.1f}"


if __name__ == "__main__":
    # The Dockerfile's build stage: python mirror_files.py PACKAGE_FOLDER COMPONENT_FOLDER
    place(Path(sys.argv[1]), Path(sys.argv[2]) / MODEL_DIR_NAME)
