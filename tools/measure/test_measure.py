"""Tests of the harness's parsing and resume logic (no torch needed): python3 -m unittest."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import configs  # noqa: E402
import measure  # noqa: E402


def row(config_id, mode="infer", threads=1):
    r = {k: "" for k in measure.COLUMNS}
    r.update({"config_id": config_id, "mode": mode, "device": "cpu-x", "threads": threads, "status": "ok", "median_ms": "1.0"})
    return r


class ResumeTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "m.csv")

    def test_rows_written_are_read_back_as_done(self):
        measure.append_row(self.path, row("a"))
        measure.append_row(self.path, row("a", "train", 2))
        self.assertEqual(measure.read_done(self.path), {("a", "infer", "cpu-x", "1"), ("a", "train", "cpu-x", "2")})
        with open(self.path) as f:
            self.assertEqual(f.readline().strip(), ",".join(measure.COLUMNS))

    def test_a_row_cut_by_an_interruption_is_dropped_not_duplicated(self):
        measure.append_row(self.path, row("a"))
        with open(self.path, "a") as f:
            f.write("b,mobilenet")  # killed mid-write: no newline
        self.assertEqual(measure.read_done(self.path), {("a", "infer", "cpu-x", "1")})
        measure.append_row(self.path, row("b"))
        with open(self.path) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[2].startswith("b,"))

    def test_a_foreign_header_is_refused(self):
        with open(self.path, "w") as f:
            f.write("x,y\n1,2\n")
        with self.assertRaises(SystemExit):
            measure.read_done(self.path)

    def test_missing_file_means_nothing_done(self):
        self.assertEqual(measure.read_done(self.path), set())


class ConfigSpaceTests(unittest.TestCase):
    def test_space_has_over_1000_unique_configurations_of_every_family(self):
        space = configs.all_configs()
        self.assertGreaterEqual(len(space), 1000)
        self.assertEqual(len({c["id"] for c in space}), len(space))
        families = {c["family"] for c in space}
        for f in ["resnet", "resnext", "wide_resnet", "vgg", "mobilenet_v2", "mobilenet_v3", "efficientnet", "densenet",
                  "shufflenet", "squeezenet", "mnasnet", "regnet", "convnext", "vit", "bert", "gpt", "mlp"]:
            self.assertIn(f, families)

    def test_seeded_order_is_stable_and_a_permutation(self):
        a = [c["id"] for c in configs.ordered_configs()]
        self.assertEqual(a, [c["id"] for c in configs.ordered_configs()])
        self.assertEqual(sorted(a), sorted(c["id"] for c in configs.all_configs()))

    def test_config_ids_parse_back_to_their_knobs(self):
        c = next(c for c in configs.all_configs() if c["family"] == "bert")
        self.assertIn(f"h{c['hidden']}", c["id"])
        self.assertTrue(c["id"].endswith(f"-b{c['batch']}"))

    def test_percentile(self):
        self.assertEqual(measure.percentile([1, 2, 3, 4, 5], 0.5), 3)
        self.assertAlmostEqual(measure.percentile([0, 10], 0.1), 1.0)


if __name__ == "__main__":
    unittest.main()
