#!/usr/bin/env python3
"""Rebuild the signatures of popular third-party APIs that vouch ships (see data/README.md).

Each release listed in RELEASES is installed with pip into a throwaway virtual
environment, and `inspect.signature` describes the public functions and classes of the
listed modules, as code reaches them (`requests.get`, `flask.send_file`,
`django.shortcuts.render`). Releases of one package are merged into what some release
accepts: the most positional arguments, the union of keyword names, and whether any
release takes `**kwargs`. A call outside the merged signature fails on every release.

`requests.get(url, **kwargs)` and its siblings forward their keywords to
`Session.request`, whose parameters are therefore what they accept (as requests
documents); the table lists those instead of "any keyword".

Output, read by `src/analyze/apis.rs`: data/python/library_signatures.tsv, lines of
`qualname<TAB>max positional (empty: *args)<TAB>keywords (space separated)<TAB>flags`
(`K` when any keyword goes), the same columns as the standard-library table.

Usage: scripts/data/refresh_library_signatures.py   (needs pip to reach PyPI)
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "data", "python", "library_signatures.tsv")

# The oldest release still met in generated code and the newest, per package.
RELEASES = {
    "requests": ["2.25.1", "2.34.2"],
    # Flask 2.0 imports names that Werkzeug 2.1 removed: install the Werkzeug of its day.
    "flask": ["2.0.3 werkzeug==2.0.3", "3.1.3"],
    "django": ["3.2.25", "4.2.30", "5.2.19"],
}

MODULES = {
    "requests": ["requests", "requests.api"],
    "flask": ["flask", "flask.helpers", "flask.json"],
    "django": [
        "django.shortcuts",
        "django.http",
        "django.urls",
        "django.utils.timezone",
        "django.utils.html",
        "django.utils.http",
        "django.utils.encoding",
        "django.utils.text",
        "django.utils.translation",
        "django.template.loader",
        "django.core.mail",
    ],
}

PROBE = r'''
import importlib, inspect, json, sys
package, modules = sys.argv[1], sys.argv[2].split(",")
if package == "django":
    import django
    from django.conf import settings
    settings.configure(USE_I18N=False)
    django.setup()
out = {}
def describe(obj):
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if inspect.isclass(obj) and params and params[0].name == "self":
        params = params[1:]
    maxpos, kws, anykw = 0, [], False
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            maxpos = None
        elif p.kind == p.VAR_KEYWORD:
            anykw = True
        else:
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and maxpos is not None:
                maxpos += 1
            if p.kind != p.POSITIONAL_ONLY:
                kws.append(p.name)
    return [maxpos, kws, anykw]
for m in modules:
    try:
        mod = importlib.import_module(m)
    except Exception:
        continue
    for name in dir(mod):
        if name.startswith("_"):
            continue
        try:
            obj = getattr(mod, name)
        except Exception:
            continue
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if not getattr(obj, "__module__", "").startswith(package):
            continue
        d = describe(obj)
        if d is not None:
            out[m + "." + name] = d
if package == "requests":
    import requests.sessions
    d = describe(requests.sessions.Session.request)
    out["<forwarded>"] = [None, [k for k in d[1] if k not in ("self", "method", "url")], False]
print(json.dumps(out))
'''


def probe(package: str, release: str) -> dict:
    version, *extra = release.split()
    with tempfile.TemporaryDirectory(prefix="vouch-sig-") as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        py = os.path.join(venv, "bin", "python")
        subprocess.run(
            [py, "-m", "pip", "install", "--quiet", f"{package}=={version}", *extra],
            check=True,
        )
        text = subprocess.run(
            [py, "-c", PROBE, package, ",".join(MODULES[package])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(text)


def main() -> None:
    merged: dict[str, list] = {}
    for package, versions in RELEASES.items():
        for version in versions:
            table = probe(package, version)
            forwarded = table.pop("<forwarded>", None)
            for q, (maxpos, kws, anykw) in table.items():
                if forwarded and q.rsplit(".", 1)[-1] in {
                    "get", "post", "put", "patch", "delete", "head", "options", "request"
                } and anykw:
                    kws, anykw = kws + forwarded[1], False
                old = merged.get(q)
                if old is None:
                    merged[q] = [maxpos, set(kws), anykw]
                    continue
                old[0] = None if old[0] is None or maxpos is None else max(old[0], maxpos)
                old[1] |= set(kws)
                old[2] = old[2] or anykw
            print(f"{package} {version}: {len(table)} names", file=sys.stderr)
    with open(OUT, "w") as f:
        f.write(
            "# Generated by scripts/data/refresh_library_signatures.py from "
            + ", ".join(
                f"{p} {'/'.join(r.split()[0] for r in v)}" for p, v in RELEASES.items()
            )
            + "\n"
        )
        for q in sorted(merged):
            maxpos, kws, anykw = merged[q]
            pos = "" if maxpos is None else str(maxpos)
            f.write(f"{q}\t{pos}\t{' '.join(sorted(kws))}\t{'K' if anykw else ''}\n")
    print(f"{len(merged)} signatures written", file=sys.stderr)


if __name__ == "__main__":
    main()
