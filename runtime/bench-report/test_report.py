"""Tests of report.py: python3 -m unittest (in this directory)."""
import json
import os
import tempfile
import unittest
import xml.etree.ElementTree as ET

import report

SVG = "{http://www.w3.org/2000/svg}"


def cell(text, value):
    return {"text": text, "value": value}


def sample_run():
    """One run as compare.py writes it, figures from a real one; socat+tail's conn10k is skipped."""
    return {
        "start": {"ref": cell("0.005 s", 0.005), "socat+tail": cell("0.019 s", 0.019),
                  "tailsrv": cell("0.714 s", 0.714)},
        "catchup": {"ref": cell("3.005 GB/s", 3.005), "socat+tail": cell("0.558 GB/s", 0.558),
                    "tailsrv": cell("3.161 GB/s", 3.161)},
        "fanout": {"ref": cell("6.446 GB/s", 6.446), "socat+tail": cell("0.612 GB/s", 0.612),
                   "tailsrv": cell("5.831 GB/s", 5.831)},
        "lat1": {"ref": cell("p50 63.1 / p99 157.3 us", 157.3),
                 "socat+tail": cell("p50 84.8 / p99 171.1 us", 171.1),
                 "tailsrv": cell("p50 125.8 / p99 1513.1 us", 1513.1)},
        "lat100": {"ref": cell("p50 1199.8 / p99 3539.5 us", 3539.5),
                   "socat+tail": cell("p50 3011.9 / p99 11767.3 us", 11767.3),
                   "tailsrv": cell("p50 835.5 / p99 6173.5 us", 6173.5)},
        "lat1000": {"ref": cell("p50 14724.5 / p99 55414.5 us", 55414.5),
                    "socat+tail": cell("p50 422407.6 / p99 1227281.9 us", 1227281.9),
                    "tailsrv": cell("p50 8075.4 / p99 23756.1 us", 23756.1)},
        "idle1000": {"ref": cell("cpu 0.00 s, rss 11 MiB, 1003 threads", 0.0),
                     "socat+tail": cell("cpu 0.00 s, rss 5909 MiB, 3002 threads", 0.0),
                     "tailsrv": cell("cpu 0.02 s, rss 94 MiB, 28 threads", 0.02)},
        "conn10k": {"ref": cell("ok, rss 84 MiB, 10005 threads", 1.0),
                    "tailsrv": cell("ok, rss 160 MiB, 28 threads", 1.0)},
    }


def catchup_runs(ref_rates, tailsrv_rates):
    return [{"catchup": {"ref": cell("%.3f GB/s" % r, r), "tailsrv": cell("%.3f GB/s" % t, t)}}
            for r, t in zip(ref_rates, tailsrv_rates)]


class ParseText(unittest.TestCase):

    def test_latency(self):
        self.assertEqual(("latency", {"p50": 125.8, "p99": 1513.1}), report.parse_text("p50 125.8 / p99 1513.1 us"))

    def test_throughput(self):
        self.assertEqual(("rate", {"gbps": 3.161}), report.parse_text("3.161 GB/s"))

    def test_start_seconds(self):
        self.assertEqual(("seconds", {"seconds": 0.714}), report.parse_text("0.714 s"))

    def test_idle(self):
        self.assertEqual(("idle", {"cpu": 0.02, "rss": 94.0, "threads": 28.0}),
                         report.parse_text("cpu 0.02 s, rss 94 MiB, 28 threads"))

    def test_connections_ok_and_failed(self):
        self.assertEqual(("connections", {"status": 1.0, "rss": 160.0, "threads": 28.0}),
                         report.parse_text("ok, rss 160 MiB, 28 threads"))
        self.assertEqual(("connections", {"status": 0.0, "rss": 84.0, "threads": 10005.0}),
                         report.parse_text("FAILED, rss 84 MiB, 10005 threads"))

    def test_busy(self):
        form, figures = report.parse_text("p50 186.0 / p99 5700.8 us, cpu 1.90 s, rss 150 MiB, 700 threads")
        self.assertEqual("busy", form)
        self.assertEqual({"p50": 186.0, "p99": 5700.8, "cpu": 1.9, "rss": 150, "threads": 700}, figures)

    def test_busy_has_a_p99_ratio_and_a_cpu_ratio(self):
        runs = [{"busy": {"ref": {"text": "p50 100.0 / p99 1000.0 us, cpu 2.00 s, rss 150 MiB, 700 threads",
                                  "value": 2.0, "p99_us": 1000.0},
                          "tailsrv": {"text": "p50 90.0 / p99 800.0 us, cpu 1.00 s, rss 120 MiB, 30 threads",
                                      "value": 1.0, "p99_us": 800.0}}}]
        text = report.cell_text(report.Summary(runs).cell("busy", "tailsrv"), 1)
        self.assertEqual("p50 90.0 / p99 800.0 us, cpu 1.00 s, rss 120 MiB, 30 threads (x0.80 p99, x0.50 cpu)", text)

    def test_throughput_is_also_set_against_nginx(self):
        runs = [{"catchup": {"ref": {"text": "2.000 GB/s", "value": 2.0},
                             "nginx-http": {"text": "4.000 GB/s", "value": 4.0},
                             "tailsrv": {"text": "3.000 GB/s", "value": 3.0}}}]
        text = report.cell_text(report.Summary(runs).cell("catchup", "tailsrv"), 1)
        self.assertEqual("3.000 GB/s (x1.50) (x0.75 nginx-http)", text)

    def test_unknown_text(self):
        with self.assertRaises(ValueError):
            report.parse_text("ERROR server did not serve")


class Medians(unittest.TestCase):

    def test_every_figure_is_the_median_over_runs(self):
        runs = [sample_run() for _ in range(3)]
        runs[0]["lat1"]["tailsrv"] = cell("p50 100.0 / p99 900.0 us", 900.0)
        runs[2]["lat1"]["tailsrv"] = cell("p50 300.0 / p99 2000.0 us", 2000.0)
        runs[1]["idle1000"]["tailsrv"] = cell("cpu 0.50 s, rss 200 MiB, 40 threads", 0.5)
        runs[2]["idle1000"]["tailsrv"] = cell("cpu 0.01 s, rss 90 MiB, 27 threads", 0.01)
        summary = report.Summary(runs)

        lat = summary.cell("lat1", "tailsrv")
        self.assertEqual((125.8, 1513.1), (lat.median("p50"), lat.median("p99")))
        idle = summary.cell("idle1000", "tailsrv")
        self.assertEqual((0.02, 94.0, 28.0), (idle.median("cpu"), idle.median("rss"), idle.median("threads")))

    def test_ratio_is_the_median_of_each_runs_ratio(self):
        # per-run ratios 3, 1, 0.5: median 1; the ratio of the medians would be 3 / 2
        summary = report.Summary(catchup_runs([1.0, 4.0, 2.0], [3.0, 4.0, 1.0]))

        self.assertEqual(1.0, summary.cell("catchup", "tailsrv").ratio())
        self.assertEqual("3.000 GB/s (x1.00)", report.cell_text(summary.cell("catchup", "tailsrv"), 3))

    def test_ratio_only_from_runs_that_have_both(self):
        runs = catchup_runs([1.0, 2.0, 4.0], [2.0, 3.0, 4.0])
        del runs[0]["catchup"]["ref"]
        del runs[2]["catchup"]["tailsrv"]
        summary = report.Summary(runs)

        self.assertEqual([1.5], summary.cell("catchup", "tailsrv").ratios)
        self.assertEqual("2.500 GB/s (x1.50) [2 of 3 runs]", report.cell_text(summary.cell("catchup", "tailsrv"), 3))

    def test_no_ratio_for_ref_itself_a_zero_ref_or_conn10k(self):
        summary = report.Summary([sample_run()])

        self.assertIsNone(summary.cell("start", "ref").ratio())
        self.assertIsNone(summary.cell("idle1000", "tailsrv").ratio())
        self.assertIsNone(summary.cell("conn10k", "tailsrv").ratio())
        self.assertEqual("cpu 0.02 s, rss 94 MiB, 28 threads", report.cell_text(summary.cell("idle1000", "tailsrv"), 1))

    def test_cells_read_as_compare_py_prints_them(self):
        summary = report.Summary([sample_run()])

        def text(scenario, server):
            return report.cell_text(summary.cell(scenario, server), 1)

        self.assertEqual("0.714 s (x142.80)", text("start", "tailsrv"))
        self.assertEqual("3.161 GB/s (x1.05)", text("catchup", "tailsrv"))
        self.assertEqual("p50 125.8 / p99 1513.1 us (x9.62)", text("lat1", "tailsrv"))
        self.assertEqual("p50 14724.5 / p99 55414.5 us", text("lat1000", "ref"))
        self.assertEqual("ok, rss 160 MiB, 28 threads", text("conn10k", "tailsrv"))
        self.assertEqual("n/a", text("conn10k", "socat+tail"))

    def test_connections_that_failed_in_some_runs(self):
        runs = [sample_run() for _ in range(3)]
        runs[1]["conn10k"]["tailsrv"] = cell("FAILED, rss 150 MiB, 28 threads", 0.0)
        summary = report.Summary(runs)

        self.assertEqual("ok in 2 of 3, rss 160 MiB, 28 threads", report.cell_text(summary.cell("conn10k", "tailsrv"), 3))


class Outputs(unittest.TestCase):

    def test_markdown_table_has_a_row_per_scenario_and_a_column_per_server(self):
        table = report.markdown(report.Summary([sample_run(), sample_run()]), ["run-1.json", "run-2.json"])
        lines = table.splitlines()

        self.assertIn("Median of 2 runs", lines[0])
        header = lines.index("| scenario | ref | socat+tail | tailsrv |")
        rows = lines[header + 2:]
        in_sample = [sc for sc in report.SCENARIO_ORDER if sc in sample_run()]
        self.assertEqual(in_sample, [r.split(" | ")[0].lstrip("| ") for r in rows])
        self.assertTrue(all(r.count(" | ") == 3 for r in rows))

    def test_chart_is_well_formed_svg_with_both_panels_and_every_server(self):
        runs = [sample_run() for _ in range(3)]
        del runs[1]["lat1000"]["tailsrv"]
        root = ET.fromstring(report.chart(report.Summary(runs)).encode())

        self.assertEqual(SVG + "svg", root.tag)
        texts = [t.text for t in root.iter(SVG + "text")]
        for label in ["ref", "socat+tail", "tailsrv", "lat1", "lat100", "lat1000", "catchup", "fanout"]:
            self.assertIn(label, texts)
        self.assertTrue(any(t.startswith("(a)") for t in texts) and any(t.startswith("(b)") for t in texts))
        background = next(root.iter(SVG + "rect"))
        self.assertEqual("#ffffff", background.get("fill"))

    def test_each_server_keeps_its_color_in_both_panels(self):
        root = ET.fromstring(report.chart(report.Summary([sample_run()])).encode())
        fills = {r.get("fill") for r in root.iter(SVG + "rect")}

        self.assertTrue({"#4c78a8", "#f58518", "#54a24b"} <= fills)

    def test_chart_without_figures_still_parses(self):
        root = ET.fromstring(report.chart(report.Summary([{"start": {"ref": cell("0.005 s", 0.005)}}])).encode())

        self.assertEqual(SVG + "svg", root.tag)

    def test_main_writes_both_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i in range(3):
                paths.append(os.path.join(tmp, "run-%d.json" % (i + 1)))
                with open(paths[-1], "w") as f:
                    json.dump(sample_run(), f)
            svg, table = os.path.join(tmp, "chart.svg"), os.path.join(tmp, "table.md")

            report.main(paths + ["--svg", svg, "--markdown", table])

            ET.parse(svg)
            with open(table) as f:
                self.assertIn("Median of 3 runs of compare.py: `run-1.json`, `run-2.json`, `run-3.json`.", f.read())


if __name__ == "__main__":
    unittest.main()
