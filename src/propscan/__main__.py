"""Run the command line with ``python -m propscan``."""

from propscan.cli import main

main()
