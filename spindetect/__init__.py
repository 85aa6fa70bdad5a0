"""spindetect: detect news articles that a machine rewrote from someone else's story."""

from .version import __version__

__all__ = ["Detector", "__version__"]


def __getattr__(name):
    # Lazy: importing spindetect must not import numpy-heavy or torch code.
    if name == "Detector":
        from .detector import Detector

        return Detector
    raise AttributeError(name)
