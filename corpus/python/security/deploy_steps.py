"""Deployment steps run by the release bot."""

import subprocess

USE_SHELL = False
LEGACY_SHELL = True


def checkout(branch: str) -> None:
    """Check out the release branch."""
    shell = False
    subprocess.run(f"git checkout {branch}", shell=shell, check=True)  # ok: PY-S202


def fetch_tags(remote: str) -> None:
    """Fetch tags; the module-wide switch keeps the shell off."""
    subprocess.run(f"git fetch {remote} --tags", shell=USE_SHELL, check=True)  # ok: PY-S202


def restart_service(name: str) -> None:
    """Restart the app service (legacy path, still on the shell)."""
    subprocess.run(f"systemctl restart {name}", shell=LEGACY_SHELL, check=True)  # expect: PY-S202


def tag_release(build_number: str) -> None:
    """Tag the commit with a numeric build id."""
    subprocess.run(f"git tag build-{int(build_number)}", shell=True, check=True)  # ok: PY-S202


def notify(channel: str, text: str) -> None:
    """Post to chat through the CLI wrapper."""
    cmd = "chat-cli post --channel " + channel + " --text " + text
    subprocess.Popen(cmd, shell=True)  # expect: PY-S202
