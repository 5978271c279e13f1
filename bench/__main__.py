"""``python -m bench --sites 40 --levels 1,2,4``: see bench/README.md."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from bench.run import print_table, run_benchmark


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sites", type=int, default=40, help="how many sites to generate (default 40)")
    parser.add_argument("--levels", default="1,2,4", help="concurrencies to measure, first is the base (1,2,4)")
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="rounds over the levels, forward then backward (1 2 4 4 2 1), so drift weighs on all alike (2)",
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the floor measurement (long soak runs)")
    parser.add_argument("audit_args", nargs="*", help="extra `auditor audit` arguments (after --)")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",") if x.strip()]

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill PID` stops a long run like Ctrl-C: cleanly, keeping its figures
    print_table(
        run_benchmark(args.sites, levels, args.results, args.audit_args, floor=not args.no_floor, rounds=args.rounds)
    )


if __name__ == "__main__":
    main()
