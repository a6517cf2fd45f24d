"""A fake front camera for Chromium: a Y4M video of a real face photo, the astronaut that
scikit-image ships (skimage/data/astronaut.png, read from the installed package; nothing is
downloaded), as it is or with the eye on the image's left (the person's right eye) half covered
by skin-coloured paint, like an eye that closes more than the other.

Chromium plays the file in a loop with --use-fake-device-for-media-stream and
--use-file-for-fake-video-capture=FILE (and --use-fake-ui-for-media-stream grants the camera
without asking).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 512
FRAMES = 5  # a still face; a few frames so the loop never runs dry
# Where the image-left eye (the person's right eye) is in the 512x512 photo, and the cheek whose
# colour paints it.
RIGHT_EYE_BOX = (190, 92, 218, 101)  # from above the upper lid down to just above the pupil
CHEEK = (200, 128)


def astronaut() -> Image.Image:
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("scikit-image is not installed (requirements-dev.txt)")
    path = Path(spec.submodule_search_locations[0]) / "data" / "astronaut.png"
    return Image.open(path).convert("RGB")


def painted(image: Image.Image) -> Image.Image:
    """The photo with the person's right eye half covered by the colour of their cheek."""
    out = image.copy()
    skin = out.getpixel(CHEEK)
    ImageDraw.Draw(out).ellipse(RIGHT_EYE_BOX, fill=skin)
    return out


# The person's right mouth corner (the image's left) in the 512x512 photo, and the distance
# over which a lift of it fades out into the rest of the face.
RIGHT_CORNER = (201, 141)
LIFT_PX = 7  # about a sixth of the distance between the eyes (44 px here)
FADE_X = (165, 228)  # from the cheek's edge to the middle of the mouth
FADE_Y = 22


def lifted_corner(image: Image.Image) -> Image.Image:
    """The photo with the person's right mouth corner pulled up by LIFT_PX (the cheek and lip
    around it follow, fading out towards the middle of the mouth and the chin), like a corner
    that lifts when the eyes close."""
    import numpy as np

    pixels = np.asarray(image.convert("RGB").resize((SIZE, SIZE)))
    height, width = pixels.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(float)
    start, end = FADE_X
    across = np.clip(np.minimum((xs - start) / 10, (end - xs) / (end - RIGHT_CORNER[0])), 0, 1)
    down = np.clip(1 - np.abs(ys - RIGHT_CORNER[1]) / FADE_Y, 0, 1)
    source = np.clip(np.rint(ys + LIFT_PX * across * down), 0, height - 1).astype(int)
    return Image.fromarray(pixels[source, xs.astype(int)])


def write_y4m(image: Image.Image, path: Path) -> Path:
    """`image` as a Y4M video (4:2:0, JPEG range), the format Chromium's fake camera reads."""
    frame = image.convert("RGB").resize((SIZE, SIZE))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (SIZE // 2, SIZE // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{SIZE} H{SIZE} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(FRAMES):
            out.write(b"FRAME\n" + planes)
    return path


def camera_args(video: Path) -> list[str]:
    """Chromium's flags for a camera that plays `video` and is allowed without asking."""
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
