"""The judged corpus: precision of gouji's findings on real published documents."""
