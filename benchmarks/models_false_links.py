"""Does the encoder ever verify a wrong amount? A probe of model-assisted linking.

For every claim the rules cannot place (the ones the model may link), the amount is changed
to wrong values (last digit +3, doubled, and 0 -> 1 for zero amounts) and the document is
reviewed again with the model. A link made for the changed claim is a false verification:
the row agreed by coincidence. Also prints the links of the unchanged examples.

Usage: python -m benchmarks.models_false_links [--model DIR]
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from gouji.alignment.checks import Context
from gouji.alignment.review import review_document
from gouji.ingest import read_document
from gouji.ingest.text import parse_text
from gouji.models.encoder import Encoder
from gouji.models.model_links import eligible
from gouji.models.stages import EncoderStages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def wrong_values(text: str) -> list[str]:
    """Wrong amounts written like ``text`` (same decimals)."""
    plain = text.replace(",", "")
    d = Decimal(plain)
    places = -d.as_tuple().exponent if d.as_tuple().exponent < 0 else 0
    step = Decimal(1).scaleb(-places)
    if d == 0:
        return [format(Decimal(1).quantize(step), "f")]
    # +1 in the last digit would still agree within rounding (the intervals touch): +3
    return [format(d + 3 * step, "f"), format((d * 2).quantize(step), "f")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    args = ap.parse_args()
    enc = Encoder(args.model).load()
    tried = false = 0
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = read_document(path).text
        base = review_document(parse_text(text, str(path)))
        ctx = Context(doc=base.document, tables=base.tables, claims=base.claims, by_id=base.claims.by_id())
        sites = [c for c in base.claims.claims if c.status == "unverifiable" and eligible(ctx, c)]
        for c in sites:
            start, end = c.amount.span
            number = text[start:end]
            num_len = len(number) - len(number.lstrip("0123456789.,-"))
            digits = number[:num_len] if num_len else number
            for new in wrong_values(digits):
                mutated = text[:start] + new + text[start + len(digits) :]
                r = review_document(parse_text(mutated, str(path)), models=EncoderStages(enc))
                tried += 1
                hits = [link for link in r.model_links if r.claims.by_id()[link.claim].amount.span[0] == start]
                for link in hits:
                    false += 1
                    f = link.figure
                    print(f"FALSE {path.name} {c.subject} {digits} -> {new}: row {f.label} {f.cell.text} (sim {link.similarity:.3f})")
    print(f"{tried} wrong amounts on claims the rules cannot place; {false} verified by the model")


if __name__ == "__main__":
    main()
