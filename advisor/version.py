"""The advisor's version, read from the installed distribution."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("poc-advisor")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
