"""`python -m fmadvisor`."""

from fmadvisor.cli import main

main()
