"""Async media transcoding jobs for the upload queue."""

import asyncio
import subprocess


async def transcode(src: str, dst: str) -> int:
    """Convert an uploaded video to H.264 through a shell pipeline."""
    proc = await asyncio.create_subprocess_shell(f"ffmpeg -y -i {src} -c:v libx264 {dst}")  # expect: PY-S201
    return await proc.wait()


async def transcode_exec(src: str, dst: str) -> int:
    """The same job without a shell."""
    proc = await asyncio.create_subprocess_exec("ffmpeg", "-y", "-i", src, "-c:v", "libx264", dst)
    return await proc.wait()


async def probe_version() -> str:
    """Constant command: report the ffmpeg version."""
    proc = await asyncio.create_subprocess_shell("ffmpeg -version | head -n 1", stdout=subprocess.PIPE)  # ok: PY-S201
    out, _ = await proc.communicate()
    return out.decode()


def folder_size(path: str) -> str:
    """Human-readable size of an upload folder."""
    return subprocess.getoutput(f"du -sh {path}")  # expect: PY-S201
