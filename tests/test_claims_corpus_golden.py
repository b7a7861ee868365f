"""Claims read from sentences of corpus PDFs, against their hand annotations.

``tests/golden/claims/corpus/{a,b}.yaml`` hold 40 sentences read from their page images,
each amount annotated with its subject, change, base, growth rate, share and share's whole,
the total it is a part of and whether its listed parts are complete
(``python -m benchmarks.claims_gold`` prints the figures). The fields gouji reads wrong today
are listed in ``known_gaps.yaml``; this test holds that list exactly: a field read wrong that
was right fails it, and so does one read right that was listed (rewrite the list with
``--write-gaps`` and read its diff).
"""

from __future__ import annotations

import yaml
from benchmarks.claims_gold import GAPS, compare, gaps, load


def test_the_annotations_point_at_their_sentences():
    entries = load()
    assert len(entries) == 40
    assert len({e["source"]["file"] for _, e in entries}) >= 20
    for key, e in entries:
        for c in e["claims"]:
            for name in ("amount", "delta", "base", "part_of", "share_whole"):
                if c.get(name) not in (None, "not_in_sentence"):
                    assert c[name] in e["sentence"], (key, name, c[name])


def test_the_fields_read_wrong_are_the_known_ones():
    results = [compare(k, e) for k, e in load()]
    known = yaml.safe_load(GAPS.read_text(encoding="utf-8"))
    assert gaps(results) == known
    assert sum(not s.wrong for s in results) == 19
