"""gouji (勾稽): checks that the figures of a Chinese budget disclosure tie out."""

__version__ = "0.1.0"
