"""Command-line helper that archives project folders before a deploy."""

import argparse
import subprocess


def archive_folder(folder: str, archive: str) -> None:
    """Create a gzip'd tarball of `folder`."""
    subprocess.run(f"tar czf {archive} {folder}", shell=True, check=True)  # expect: PY-S202


def archive_folder_list(folder: str, archive: str) -> None:
    """The same without a shell."""
    subprocess.run(["tar", "czf", archive, "--", folder], check=True)  # ok: PY-S202


def run_hook(hook: str, use_shell: bool) -> int:
    """Run a pre-backup hook; callers decide whether a shell is needed."""
    return subprocess.call(f"./hooks/{hook}", shell=use_shell)  # expect: PY-S202


def run_hook_checked(hook: str, use_shell: bool) -> int:
    """Run a hook, but never through a shell when the name is user-supplied."""
    if not use_shell:
        return subprocess.call(f"./hooks/{hook}", shell=use_shell)  # ok: PY-S202
    return subprocess.call(["./hooks/run-in-shell", hook])


def disk_usage() -> str:
    """Free space on the backup volume; a constant pipeline."""
    return subprocess.check_output("df -h /backups | tail -n 1", shell=True, text=True)  # ok: PY-S202


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder")
    parser.add_argument("--out", default="backup.tar.gz")
    args = parser.parse_args()
    archive_folder(args.folder, args.out)


if __name__ == "__main__":
    main()
