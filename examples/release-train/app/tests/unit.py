#!/usr/bin/env python3
"""Unit tests: the app's pure functions (names, greetings, config, routing). Fast, no processes, no files."""
import json
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import greeter  # noqa: E402

APP = {"greeting": "Hello", "environment": "test", "release": "r1", "commit": "abc"}


class CleanName(unittest.TestCase):
    def test_trims_and_defaults_to_world(self):
        self.assertEqual(greeter.clean_name("  Ada "), "Ada")
        self.assertEqual(greeter.clean_name(""), "world")
        self.assertEqual(greeter.clean_name(None), "world")

    def test_refuses_long_names_and_control_characters(self):
        self.assertEqual(greeter.clean_name("x" * greeter.MAX_NAME), "x" * greeter.MAX_NAME)
        with self.assertRaisesRegex(ValueError, "longer than 40"):
            greeter.clean_name("x" * (greeter.MAX_NAME + 1))
        with self.assertRaisesRegex(ValueError, "control character"):
            greeter.clean_name("Ada\nBob")


class Greeting(unittest.TestCase):
    def test_joins_word_and_name(self):
        self.assertEqual(greeter.greeting("Hello", "Ada"), "Hello, Ada!")
        self.assertEqual(greeter.greeting("Grüß Gott", "Ada"), "Grüß Gott, Ada!")


class Config(unittest.TestCase):
    def test_parse_skips_comments_and_keeps_values_verbatim(self):
        text = "# written by deploy\n\nGREETING=Hello there\nAPI_URL=http://x/?a=b\n"
        self.assertEqual(greeter.parse_config(text), {"GREETING": "Hello there", "API_URL": "http://x/?a=b"})

    def test_parse_names_source_and_line_of_a_bad_line(self):
        with self.assertRaisesRegex(greeter.ConfigError, r"^site/config.env:2: expected KEY=VALUE"):
            greeter.parse_config("GREETING=Hi\nnonsense\n", "site/config.env")

    def test_settings_refuse_an_empty_greeting_naming_the_key(self):
        with self.assertRaisesRegex(greeter.ConfigError, "no value for GREETING"):
            greeter.settings({"GREETING": "  "})

    def test_settings_default_environment_and_release(self):
        app = greeter.settings({"GREETING": "Hi"})
        self.assertEqual((app["environment"], app["release"]), ("local", "unreleased"))


class Route(unittest.TestCase):
    def test_greets_the_world_and_a_named_person(self):
        self.assertEqual(greeter.route(APP, "GET", "/"), (200, "text/plain", "Hello, world!\n"))
        self.assertEqual(greeter.route(APP, "GET", "/hello?name=Ada%20Lovelace"), (200, "text/plain", "Hello, Ada Lovelace!\n"))

    def test_health_reports_the_running_release(self):
        status, kind, text = greeter.route(APP, "GET", "/health")
        self.assertEqual((status, kind), (200, "application/json"))
        self.assertEqual(json.loads(text), {"status": "ok", **APP})

    def test_refuses_bad_names_unknown_pages_and_other_methods(self):
        self.assertEqual(greeter.route(APP, "GET", "/hello?name=" + "x" * 41)[0], 400)
        self.assertEqual(greeter.route(APP, "GET", "/nowhere"), (404, "text/plain", "no page at /nowhere\n"))
        self.assertEqual(greeter.route(APP, "POST", "/")[0], 405)


if __name__ == "__main__":
    unittest.main(verbosity=2)
