"""``python -m envfoundry.cli``: the same as the ``envfoundry`` command."""

from envfoundry.cli.main import main

main()
