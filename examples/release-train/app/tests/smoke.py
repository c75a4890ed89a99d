#!/usr/bin/env python3
"""Smoke test of a deployed copy ($DEPLOY_ROOT/$FERRY_ENVIRONMENT/current): it is there, it is the release being
promoted, it starts, it answers, and it runs with this environment's config (GREETING)."""
import json
import os
import unittest

from harness import deployed_site, get, required_env, running


class Smoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.release, cls.greeting = required_env("FERRY_RELEASE", "GREETING")
        cls.site = deployed_site()
        cls.current = cls.site / "current"

    def test_current_is_the_release_being_promoted(self):
        self.assertTrue(self.current.is_symlink(), f"{self.current} is not a link: nothing is deployed")
        self.assertEqual(os.readlink(self.current), f"releases/{self.release}")
        self.assertTrue((self.current / "greeter.py").is_file(), f"{self.current}/greeter.py is missing")
        self.assertTrue((self.current / "config.env").is_file(), f"{self.current}/config.env is missing")

    def test_it_starts_answers_and_reads_the_environments_config(self):
        with running(self.current / "greeter.py") as url:
            status, _, text = get(url + "/health")
            self.assertEqual(status, 200, text)
            try:
                health = json.loads(text)
            except json.JSONDecodeError as error:
                self.fail(f"/health did not answer JSON ({error}): {text!r}")
            self.assertEqual(health["environment"], os.environ["FERRY_ENVIRONMENT"])
            self.assertEqual(health["release"], self.release)
            self.assertEqual(health["greeting"], self.greeting)
            self.assertEqual(get(url + "/hello?name=smoke"), (200, "text/plain", f"{self.greeting}, smoke!\n"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
