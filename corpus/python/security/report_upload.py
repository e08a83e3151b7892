"""Upload nightly reports to the partner's file drop."""

import ftplib
import os


def upload_plain(host: str, path: str) -> None:
    """Upload over classic FTP."""
    with ftplib.FTP(host) as ftp, open(path, "rb") as fh:  # expect: PY-S413
        ftp.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
        ftp.storbinary(f"STOR {os.path.basename(path)}", fh)


def upload_tls(host: str, path: str) -> None:
    """Upload over FTPS with a protected data channel."""
    with ftplib.FTP_TLS(host) as ftp, open(path, "rb") as fh:  # ok: PY-S413
        ftp.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
        ftp.prot_p()
        ftp.storbinary(f"STOR {os.path.basename(path)}", fh)
