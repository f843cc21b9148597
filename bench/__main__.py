"""`python -m bench` (or `make bench`): run the benchmark, print the table, keep a copy of it."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.processes import StartedProcesses
from bench.processes import raise_on_termination
from bench.progress import say
from bench.report import rounds_detail
from bench.report import table
from bench.run import keep_logs
from bench.run import run_benchmark
from bench.run import temporary_folder

RESULTS_FOLDER = Path(__file__).resolve().parent / "results"
FAILED_RUN_LOGS = RESULTS_FOLDER / "failed-run-logs"


def bench_arguments(arguments: Sequence[str] | None = None) -> argparse.Namespace:
    """It takes no options; parsing still answers --help, and refuses a typo before any
    server starts rather than running five minutes while ignoring it."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Serve the site, a 2 KB baseline page, the stack's floor and Isso with gunicorn on "
            "127.0.0.1, drive each with wrk, and print one table of medians and ratios "
            "(about 6 minutes)."
        ),
        epilog=(
            "Environment: BENCH_ROUNDS (rounds per figure, default 5), BENCH_ROUND_SECONDS "
            f"(shortest round, default 4). The table is also written to {RESULTS_FOLDER}."
        ),
    )
    return parser.parse_args(arguments)


def main() -> int:
    bench_arguments()
    raise_on_termination()
    processes = StartedProcesses()
    try:
        with temporary_folder() as folder:
            try:
                results = run_benchmark(processes, Path(folder))
            except Exception:
                processes.stop_all()
                keep_logs(Path(folder), FAILED_RUN_LOGS)
                say(f"failed; the servers' logs are kept in {FAILED_RUN_LOGS}")
                raise
            finally:
                processes.stop_all()
    except KeyboardInterrupt:
        say("interrupted; every process the benchmark started has been stopped")
        return 130
    except SystemExit as stopped:
        say("stopped by a signal; every process the benchmark started has been stopped")
        return stopped.code
    printed = table(results)
    print(printed, end="")
    RESULTS_FOLDER.mkdir(exist_ok=True)
    (RESULTS_FOLDER / "latest.txt").write_text(printed + "\n" + rounds_detail(results))
    say(f"table and every round's figures written to {RESULTS_FOLDER / 'latest.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
