"""Repair what PDF (and office) extraction breaks in Chinese text."""

from __future__ import annotations

import unicodedata

from gouji.patterns import re_

# CJK Radicals Supplement code points that fonts map simplified characters to; NFKC leaves them.
_RADICALS_SUPPLEMENT = dict(
    zip(
        "⺁⺇⺌⺍⺕⺗⺘⺙⺜⺝⺟⺠⺡⺢⺣⺤⺥⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺳⺴⺵⺶⺷⺸⺹⺺⺼⺾⺿⻀⻁⻂⻃⻄⻅⻆⻇⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻞⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
        "厂几小小彐心扌攵日月母民氵氺灬爫爫丬牛犭王疋罒示礻竹糸纟网罒网网网羊羊羊耂肀月艹艹艹虎衤襾西见角角讠贝足车辶辶辶阝钅長镸长门阝雨青韦页风飞食食飠饣马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
        strict=True,
    )
)
# letter-spaced Han ("目 录", "收 支 总 表"): a space with a lone Han character on either side.
# A space between two words ("西安市民政局 单位：元") stays: it may separate two fields.
_SPACE_BETWEEN_HAN = re_(
    r"(?<=(?:^|[^\p{Han}])\p{Han})[ \u3000]+(?=\p{Han})|(?<=\p{Han})[ \u3000]+(?=\p{Han}(?:[^\p{Han}]|$))"
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９％．\u3000\u00a0\t", "0123456789%.   ")


def _mapping() -> dict[int, str]:
    """Each code point ``normalize_chars`` changes, and what it becomes (one ``str.translate``)."""
    table: dict[int, str] = {}
    # Kangxi radicals and CJK compatibility ideographs: NFKC gives the unified character
    for lo, hi in ((0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for o in range(lo, hi + 1):
            c = chr(o)
            n = unicodedata.normalize("NFKC", c).translate(_FULLWIDTH)
            if n != c:
                table[o] = n
    for radical, han in _RADICALS_SUPPLEMENT.items():
        table[ord(radical)] = han
    for o, to in _FULLWIDTH.items():
        table.setdefault(o, to)
    return table


_MAPPING = _mapping()


def normalize_chars(text: str) -> str:
    """Map radical / compatibility code points and full-width digits, one character each."""
    if text.isascii():
        return text
    return text.translate(_MAPPING)


def normalize_text(text: str) -> str:
    """``normalize_chars``, then drop the spaces of letter-spaced Han text ("目 录" → "目录")."""
    return _SPACE_BETWEEN_HAN.sub("", normalize_chars(text))
