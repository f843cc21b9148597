"""`python -m bench` (or `make bench`): run the benchmark, print the table, keep a copy of it."""

import sys
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


def main() -> int:
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
