"""Plain-text findings for the terminal."""

from __future__ import annotations

from collections import Counter

from gouji.alignment.registry import severity_rank
from gouji.alignment.review import Review
from gouji.labels import severity_label


def to_text(review: Review, min_severity: str = "info") -> str:
    doc = review.document
    meta = doc.meta
    lines = [
        f"{doc.path}",
        f"  {meta.unit_name or '（单位未识别）'} · {meta.year or '？'}年 · {meta.doc_kind or '？'}"
        f" · 报表 {sum(1 for t in review.tables if t.rows)} 张 · 金额陈述 {len(review.claims.claims)} 条",
    ]
    shown = [f for f in review.findings if severity_rank(f.severity) <= severity_rank(min_severity)]
    for f in shown:
        loc = doc.location(*f.span)
        span = doc.text[f.span[0] : f.span[1]]
        lines.append(f"  {f.id} [{f.severity}] {f.check} {f'第{loc.page}页 ' if loc.page else ''}第{loc.line}行 “{span}”")
        lines.append(f"      {f.message}")
    c = Counter(f.severity for f in review.findings)
    held = f"（其中 {review.held_back} 个警告原为错误，因依据未能确认而降级）" if review.held_back else ""
    error, warning, info = (f"{c[s]} 个{severity_label(s)}" for s in ("error", "warning", "info"))
    lines.append(f"  共 {error}，{warning}{held}，{info}")
    return "\n".join(lines)
