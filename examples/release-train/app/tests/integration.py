#!/usr/bin/env python3
"""Integration tests: the app's parts together, as real processes against a config in a temp directory."""
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from harness import SOURCE, get, running

SCRIPT = SOURCE / "greeter.py"


class Integration(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="greeter-it-")
        self.config = Path(self.dir.name) / "config.env"
        self.config.write_text("# as the deploy task writes it\nGREETING=Howdy\nFERRY_ENVIRONMENT=it\nFERRY_RELEASE=r9\n",
                               encoding="utf-8")

    def tearDown(self):
        self.dir.cleanup()

    def test_server_answers_health_and_greetings_from_its_config(self):
        with running(SCRIPT, "--config", str(self.config)) as url:
            status, kind, text = get(url + "/health")
            self.assertEqual((status, kind), (200, "application/json"))
            health = json.loads(text)
            self.assertEqual((health["greeting"], health["environment"], health["release"]), ("Howdy", "it", "r9"))
            self.assertEqual(get(url + "/hello?name=Ada"), (200, "text/plain", "Howdy, Ada!\n"))
            self.assertEqual(get(url + "/missing")[0], 404)
            self.assertEqual(get(url + "/", method="POST")[0], 405)

    def test_greet_command_reads_the_config_file(self):
        done = subprocess.run([sys.executable, str(SCRIPT), "greet", "Ada", "--config", str(self.config)],
                              capture_output=True, text=True, timeout=10, cwd="/")
        self.assertEqual((done.returncode, done.stdout), (0, "Howdy, Ada!\n"), done.stderr)

    def test_serve_refuses_a_config_without_a_greeting_naming_file_and_key(self):
        self.config.write_text("FERRY_ENVIRONMENT=it\n", encoding="utf-8")
        done = subprocess.run([sys.executable, str(SCRIPT), "serve", "--port", "0", "--config", str(self.config)],
                              capture_output=True, text=True, timeout=10)
        self.assertEqual(done.returncode, 1)
        self.assertIn(f"{self.config}: no value for GREETING", done.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
