"""Download progress: periodic log lines, and a bar only on a terminal."""

import io

from school_groups.sources.progress import DownloadProgress, human_bytes


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_logs_every_few_seconds_and_at_the_end():
    now = [0.0]
    logged = []
    progress = DownloadProgress("gias_links x.csv", logged.append, stream=io.StringIO(), clock=lambda: now[0])
    for second in range(1, 12):
        now[0] = float(second)
        progress(second * 1_000_000, 11_000_000, float(second))
    assert len(logged) == 3      # at 5 s, 10 s and on completion
    assert logged[-1] == "gias_links x.csv: 10.5 MB of 10.5 MB (100%) at 976.6 KB/s"


def test_bar_only_on_a_terminal():
    plain, tty = io.StringIO(), Tty()
    DownloadProgress("f", lambda m: None, stream=plain)(50, 100, 1.0)
    DownloadProgress("f", lambda m: None, stream=tty)(50, 100, 1.0)
    assert plain.getvalue() == ""
    assert "[###############---------------]" in tty.getvalue() and "(50%)" in tty.getvalue()
    assert human_bytes(2048) == "2.0 KB"
