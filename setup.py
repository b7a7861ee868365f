"""The one compiled module: PDFium's per-character calls made in C (gouji/ingest/_pdfium_calls.c).

Optional: where it cannot be built (no compiler) gouji makes the same calls through ctypes.
Everything else about the package is in pyproject.toml.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "gouji.ingest._pdfium_calls",
            ["src/gouji/ingest/_pdfium_calls.c"],
            optional=True,
            # the points' arithmetic as Python does it, one rounding per operation
            extra_compile_args=["-O2", "-ffp-contract=off"],
        )
    ]
)
