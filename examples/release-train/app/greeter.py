#!/usr/bin/env python3
"""The release train's app: a tiny greeting service.

`greeter.py serve [--config FILE] [--port N]` answers HTTP on 127.0.0.1 (port 0: any free port; the first line it
prints is `listening on http://127.0.0.1:PORT`). `greeter.py greet [NAME] [--config FILE]` prints one greeting.
The config is a KEY=VALUE file, by default config.env next to this script: the deploy task writes it there from
the environment's variables, so the same release greets differently in each environment.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

MAX_NAME = 40
REQUIRED_KEYS = ("GREETING",)


class ConfigError(Exception):
    """The config file is missing, malformed or lacks a key the app needs."""


# Pure functions: the unit tests' subject.

def clean_name(raw):
    """The name to greet: trimmed, `world` when empty; refuses control characters and names over MAX_NAME."""
    name = (raw or "").strip()
    if not name:
        return "world"
    if len(name) > MAX_NAME:
        raise ValueError(f"name is longer than {MAX_NAME} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ValueError("name contains a control character")
    return name


def greeting(word, name):
    return f"{word}, {name}!"


def parse_config(text, source="config"):
    """KEY=VALUE lines; blank lines and `#` comments are skipped. Errors name the source and line."""
    config = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"{source}:{number}: expected KEY=VALUE, got {line!r}")
        config[key] = value
    return config


def settings(config, source="config"):
    """What the app runs with; refuses a config without a value for a required key, naming it."""
    missing = [key for key in REQUIRED_KEYS if not config.get(key, "").strip()]
    if missing:
        raise ConfigError(f"{source}: no value for {', '.join(missing)}")
    return {
        "greeting": config["GREETING"].strip(),
        "environment": config.get("FERRY_ENVIRONMENT", "local"),
        "release": config.get("FERRY_RELEASE", "unreleased"),
        "commit": config.get("COMMIT", ""),
    }


def route(app, method, target):
    """Answers one request: (status, content type, text). No I/O, so every path is unit-testable."""
    url = urlsplit(target)
    if method != "GET":
        return 405, "text/plain", f"{method} is not allowed\n"
    if url.path == "/health":
        body = {"status": "ok", **app}
        return 200, "application/json", json.dumps(body, ensure_ascii=False) + "\n"
    if url.path in ("/", "/hello"):
        raw = parse_qs(url.query).get("name", [""])[0]
        try:
            name = clean_name(raw)
        except ValueError as error:
            return 400, "text/plain", f"{error}\n"
        return 200, "text/plain", greeting(app["greeting"], name) + "\n"
    return 404, "text/plain", f"no page at {url.path}\n"


# The parts that touch the world: the integration tests' subject.

def load(config_path):
    path = Path(config_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    return settings(parse_config(text, str(path)), str(path))


def handler_for(app):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.answer("GET")

        def do_POST(self):
            self.answer("POST")

        def answer(self, method):
            status, content_type, text = route(app, method, self.path)
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            sys.stderr.write("%s %s\n" % (self.address_string(), format % args))

    return Handler


def server(app, port=0):
    return ThreadingHTTPServer(("127.0.0.1", port), handler_for(app))


def option(args, flag, default):
    if flag in args:
        at = args.index(flag)
        if at + 1 >= len(args):
            raise SystemExit(f"greeter: {flag} needs a value")
        value = args[at + 1]
        del args[at:at + 2]
        return value
    return default


def main(argv):
    args = list(argv)
    config = option(args, "--config", str(Path(__file__).resolve().parent / "config.env"))
    port = int(option(args, "--port", "8080"))
    command = args.pop(0) if args else "serve"
    try:
        app = load(config)
        if command == "greet":
            print(greeting(app["greeting"], clean_name(" ".join(args))))
            return 0
        if command == "serve":
            httpd = server(app, port)
            print(f"listening on http://127.0.0.1:{httpd.server_address[1]}", flush=True)
            httpd.serve_forever()
            return 0
    except (ConfigError, ValueError) as error:
        print(f"greeter: {error}", file=sys.stderr)
        return 1
    print(f"greeter: unknown command {command!r} (serve, greet)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
