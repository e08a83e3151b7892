"""Directory lookups, XML queries, logging and search in one small Flask service."""

import logging
import re

import ldap
from ldap.filter import escape_filter_chars
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
log = logging.getLogger(__name__)
TREE = etree.parse("users.xml")


@app.get("/ldap")
def ldap_lookup():
    conn = ldap.initialize("ldap://directory.internal")
    uid = request.args["uid"]
    return str(conn.search_s("dc=corp", ldap.SCOPE_SUBTREE, f"(uid={uid})"))  # expect: PY-S811


@app.get("/ldap-escaped")
def ldap_escaped():
    conn = ldap.initialize("ldap://directory.internal")
    uid = escape_filter_chars(request.args["uid"])
    return str(conn.search_s("dc=corp", ldap.SCOPE_SUBTREE, f"(uid={uid})"))  # ok: PY-S811


@app.get("/xpath")
def xpath():
    return str(TREE.xpath(f"//user[@name='{request.args['name']}']"))  # expect: PY-S812


@app.get("/xpath-var")
def xpath_var():
    return str(TREE.xpath("//user[@name=$name]", name=request.args["name"]))  # ok: PY-S812


@app.post("/login")
def login():
    log.info(f"login attempt for {request.form['user']}")  # expect: PY-S813
    log.info("login attempt for %s", request.form["user"])  # ok: PY-S813
    logging.warning("login from " + request.remote_addr)  # ok: PY-S813
    return "ok"


@app.get("/find")
def find():
    pattern = re.compile(request.args["q"])  # expect: PY-S814
    return [n for n in ["alice", "bob"] if pattern.search(n)]


@app.get("/find-escaped")
def find_escaped():
    pattern = re.compile(re.escape(request.args["q"]))  # ok: PY-S814
    return [n for n in ["alice", "bob"] if pattern.search(n)]
