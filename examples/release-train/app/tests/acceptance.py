#!/usr/bin/env python3
"""Acceptance tests: what a user of the deployed copy ($DEPLOY_ROOT/$FERRY_ENVIRONMENT/current) sees."""
import subprocess
import sys
import unittest
from urllib.parse import quote

from harness import deployed_site, get, required_env, running


class Acceptance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        (cls.greeting,) = required_env("GREETING")
        cls.script = deployed_site() / "current" / "greeter.py"

    def test_a_visitor_is_greeted_by_name_or_as_the_world(self):
        with running(self.script) as url:
            self.assertEqual(get(url + "/"), (200, "text/plain", f"{self.greeting}, world!\n"))
            self.assertEqual(get(url + "/hello?name=" + quote("Ada Lovelace")),
                             (200, "text/plain", f"{self.greeting}, Ada Lovelace!\n"))
            self.assertEqual(get(url + "/hello?name=" + quote("Zoë")), (200, "text/plain", f"{self.greeting}, Zoë!\n"))

    def test_a_name_too_long_is_refused_with_a_reason(self):
        with running(self.script) as url:
            self.assertEqual(get(url + "/hello?name=" + "x" * 41),
                             (400, "text/plain", "name is longer than 40 characters\n"))

    def test_an_unknown_page_says_so(self):
        with running(self.script) as url:
            self.assertEqual(get(url + "/admin"), (404, "text/plain", "no page at /admin\n"))

    def test_the_command_line_greets_with_the_environments_greeting(self):
        done = subprocess.run([sys.executable, str(self.script), "greet", "Ada"], capture_output=True, text=True,
                              timeout=10, cwd="/")
        self.assertEqual((done.returncode, done.stdout), (0, f"{self.greeting}, Ada!\n"), done.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
