"""What the integration, smoke and acceptance tests share: starting greeter.py as a real process and asking it."""
import os
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent


@contextmanager
def running(script, *args, timeout=10):
    """Starts `greeter.py serve --port 0` (from /, as an installed copy runs) and yields its base URL; stops it after."""
    # Its request log goes to a file: a pipe nobody reads would fill up and stall the server.
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, str(script), "serve", "--port", "0", *args], cwd="/",
                               stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        first = []
        reader = threading.Thread(target=lambda: first.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        line = first[0].strip() if first else ""
        if not line.startswith("listening on "):
            process.kill()
            log.seek(0)
            raise AssertionError(f"{script} did not start within {timeout}s (printed {line!r}, exit "
                                 f"{process.wait()}): {log.read().strip()}")
        yield line.removeprefix("listening on ")
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(5)
        process.stdout.close()
        log.close()


def get(url, method="GET"):
    """(status, content type, text) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers.get_content_type(), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read().decode("utf-8")


def required_env(*names):
    """Values the deploy and verify tasks get from Ferry and the environment's variables; fails naming what is missing."""
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise SystemExit(f"{Path(sys.argv[0]).name}: not set: {', '.join(missing)} (the environment's variables "
                         "and FERRY_ENVIRONMENT/FERRY_RELEASE are given to deploy and verify tasks)")
    return [os.environ[name] for name in names]


def deployed_site():
    """The environment's deploy directory, `$DEPLOY_ROOT/$FERRY_ENVIRONMENT`, as the deploy task lays it out."""
    root, environment = required_env("DEPLOY_ROOT", "FERRY_ENVIRONMENT")
    return Path(root) / environment
