"""Django views and FastAPI routes: their request data are sources too."""

import os
import subprocess

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from fastapi import FastAPI

api = FastAPI()


def user_detail(request, username):
    """A Django view: `username` comes from the URL."""
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM auth_user WHERE username = '%s'" % username)  # expect: PY-S801
    return HttpResponse("ok")


def search(request):
    q = request.GET.get("q", "")
    return HttpResponse("<h1>" + q + "</h1>")  # expect: PY-S709


def go(request):
    return HttpResponseRedirect(request.GET["next"])  # expect: PY-S708


def go_home(request):
    return HttpResponseRedirect("/home/")  # ok: PY-S708


@api.get("/ping/{host}")
def ping(host: str):
    """A FastAPI route: `host` is a path parameter."""
    return subprocess.run("ping -c 1 " + host, shell=True, check=False).returncode  # expect: PY-S202


@api.get("/uptime")
def uptime():
    return subprocess.run("uptime", shell=True, check=False).returncode  # ok: PY-S202


def cleanup(path: str) -> None:
    """A plain function: nobody sends it a request."""
    os.remove(path)  # ok: PY-S605


def set_language(request):
    """Django's own check before a redirect keeps the target on this site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)  # ok: PY-S708
