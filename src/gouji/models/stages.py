"""The model stages of a review, given to ``alignment.review.review_document`` by its caller.

Alignment does not import the models: ``review_document(doc, models=EncoderStages(encoder))``
runs the reason heads before the checks and model-assisted subject linking after them, through
the ``alignment.review.ModelStages`` interface. ``gouji check --models`` and the batch workers
build one from the encoder of ``encoder.get_encoder``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gouji.alignment.checks import Context
    from gouji.models.encoder import Encoder
    from gouji.models.model_links import ModelLink
    from gouji.narrative.extract import ClaimSet


class EncoderStages:
    """The reason heads and subject linking, both with one sentence encoder."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder

    def reasons(self, claims: ClaimSet, year: int | None) -> dict:
        """Before the checks (a head may give a stated reason its direction): the report's summary."""
        from gouji.models.reason_heads import apply

        return apply(claims, self.encoder, year)

    def links(self, ctx: Context) -> tuple[dict, list[ModelLink]]:
        """After the checks: (summary for the report, accepted subject links)."""
        from gouji.models.model_links import run_models

        return run_models(ctx, self.encoder)
