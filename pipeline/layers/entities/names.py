"""Official names and administrative codes for entity mentions.

Entry point: ``resolve(surface, label, home, context="") -> dict``. Every answer has the keys

- ``canonical``: the full official name, or None where it is not known
  (省发改委 -> 山西省发展和改革委员会 with home 山西省太原市; 太原 -> 太原市);
- ``adcode``: the 6-digit code of the administrative division the surface names (太原 -> 140100),
  None for anything that is not a division (organisations, towns, zones);
- ``parents``: the codes of the divisions above it, nearest first (小店区 -> 140100, 140000);
- ``level``: ``province``, ``prefecture`` or ``county`` for a division, else None;
- ``division``: the full name path of the division (山西省太原市小店区), else None;
- ``region_adcode``: the division an organisation belongs to (太原市公安局 and 市公安局 with
  home 太原 -> 140100; 迎泽区检察院 -> 140106), for joins; for a division its own code;

and ``canonical_also`` where one body has two official names (市纪委监委).

A surface that is a division gets its code whatever its label (太原市 as the party to an
agreement is still 140100); a surface that starts with one and goes on (太原市公安局,
重庆市九龙坡区西彭镇) gets no ``adcode`` but a ``region_adcode``. 我省/我市 (LOC) stand for
the home region.

``home`` is the paper's home region (``"山西省太原市"``): the prefix 省 stands for its province,
市 for its city. ``context`` is the text around the mention: 区/县 prefixes and division names
that are ambiguous (城区, 长安区) or also common words (合作, 郊区) are resolved only when a
district or parent is named there. A name is never guessed: when several divisions remain,
the answer is None.

Decisions (the data and its comments say more):

- 市纪委监委 (one office of two bodies) -> canonical 中共太原市纪律检查委员会, and
  ``canonical_also`` [太原市监察委员会].
- 疫情防控办 has no full title in the corpus: the region is expanded, the short form kept
  (太原市疫情防控办).
- Bodies of a 市辖区 are named with their city (迎泽区检察院 -> 太原市迎泽区人民检察院); those of
  counties and county-level cities are not.
- A bare name shared by divisions of different levels means the highest one (吉林 -> 吉林省,
  朝阳 -> 朝阳市) unless the home region or the context picks another.
- The home region settles ambiguous names (鼓楼区 with home 南京) but never makes a common
  word a place (小店, 城区 need a parent named in the surface or context).

The tables are data in ``rules/entities/names/`` (see ``names.yaml`` there), loaded once per
process; a call is a few dictionary lookups (``scripts/bench_names.py`` times it).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from baozhi.resources import regexcache, ruleset

FOLDER = "entities/names/"
LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    shorts: tuple[str, ...]
    level: str
    type: str
    parent: str
    path: str
    ancestors: tuple[str, ...]  # nearest first


@dataclass(frozen=True)
class _Tables:
    divisions: dict[str, Division]
    by_name: dict[str, tuple[str, ...]]   # full or short name -> codes
    full_names: frozenset[str]
    children: dict[str, tuple[str, ...]]
    max_len: int
    common: frozenset[str]
    departments: dict[str, tuple[dict, ...]]
    organisations: dict[str, dict]
    config: dict
    trans: dict
    # (surface, label, home) -> ``resolve``'s answer where the context does not change it, or
    # ``_BY_CONTEXT``: kept with the tables it was read from, for the life of the process
    memo: dict = field(default_factory=dict, compare=False, repr=False)


@functools.cache
def _tables() -> _Tables:
    cfg = ruleset.load(FOLDER + "names.yaml")
    rows = ruleset.load(FOLDER + "divisions.tsv")
    parent_of = {r["code"]: r["parent"] for r in rows}

    def ancestors(code: str) -> tuple[str, ...]:
        out, cur = [], parent_of.get(code)
        while cur:
            out.append(cur)
            cur = parent_of.get(cur)
        return tuple(out)

    divisions, by_name, children = {}, {}, {}
    for r in rows:
        shorts = tuple(s for s in r["short"].split(";") if s)
        d = Division(r["code"], r["name"], shorts, r["level"], r["type"], r["parent"],
                     r["division"], ancestors(r["code"]))
        divisions[d.code] = d
        for name in (d.name, *shorts):
            by_name.setdefault(name, [])
            if d.code not in by_name[name]:
                by_name[name].append(d.code)
        if d.parent:
            children.setdefault(d.parent, []).append(d.code)
    trans = str.maketrans(cfg.get("normalise") or {})
    departments: dict[str, list[dict]] = {}
    for r in ruleset.load(FOLDER + "departments.tsv"):
        departments.setdefault(r["abbr"].translate(trans), []).append(
            {**r, "levels": frozenset(r["level"].split())})
    organisations = {r["alias"].translate(trans): r for r in ruleset.load(FOLDER + "organisations.tsv")}
    return _Tables(
        divisions=divisions,
        by_name={k: tuple(v) for k, v in by_name.items()},
        full_names=frozenset(d.name for d in divisions.values()),
        children={k: tuple(v) for k, v in children.items()},
        max_len=max(len(k) for k in by_name),
        common=frozenset(r["word"] for r in ruleset.load(FOLDER + "common_words.tsv")),
        departments={k: tuple(v) for k, v in departments.items()},
        organisations=organisations,
        config=cfg,
        trans=trans,
    )


def _empty(**extra) -> dict:
    out = {"canonical": None, "adcode": None, "parents": [], "level": None, "division": None,
           "region_adcode": None}
    out.update(extra)
    return out


def _place(code: str) -> dict:
    d = _tables().divisions[code]
    return {"canonical": d.name, "adcode": d.code, "parents": list(d.ancestors),
            "level": d.level, "division": d.path, "region_adcode": d.code}


# ---------------------------------------------------------------- division names in a string

@functools.lru_cache(maxsize=65536)
def _path(text: str) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], int]:
    """Division names read from the start of ``text``, each under the one before
    (浙江省温州市乐清市, 怀化中方县): ((matched name, candidate codes), ...) and the end offset."""
    t = _tables()
    steps: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(text):
        found = None
        for n in range(min(t.max_len, len(text) - i), 1, -1):
            cands = t.by_name.get(text[i:i + n])
            if not cands:
                continue
            if steps:
                prev = set(steps[-1][1])
                cands = tuple(c for c in cands if prev.intersection(t.divisions[c].ancestors))
                if not cands:
                    continue
            found = (text[i:i + n], cands)
            break
        if found is None:
            break
        if steps:  # the names before are only those with a child in this step
            name, prev = steps[-1]
            keep = {a for c in found[1] for a in t.divisions[c].ancestors}
            steps[-1] = (name, tuple(p for p in prev if p in keep))
        steps.append(found)
        i += len(found[0])
    return tuple(steps), i


def _named_in(context: str, code: str) -> bool:
    """Is a division above ``code`` named in ``context``?"""
    if not context:
        return False
    t = _tables()
    for a in t.divisions[code].ancestors:
        d = t.divisions[a]
        for name in (d.name, *d.shorts):
            if name not in t.common and name in context:
                return True
    return False


def _pick(cands: tuple[str, ...], home: tuple[str, ...], context: str, gated: bool) -> str | None:
    """One division among ``cands``, or None where it stays ambiguous."""
    if gated:  # a common word: a parent must be named nearby
        keep = [c for c in cands if _named_in(context, c)]
        return keep[0] if len(keep) == 1 else None
    if len(cands) == 1:
        return cands[0]
    t = _tables()
    for h in home:  # home city first, then home province
        keep = [c for c in cands if c == h or h in t.divisions[c].ancestors]
        if len(keep) == 1:
            return keep[0]
        if keep:
            cands = tuple(keep)
            break
    keep = [c for c in cands if _named_in(context, c)]
    if len(keep) == 1:
        return keep[0]
    if len(keep) > 1:
        cands = tuple(keep)
    # a bare name means the highest division that has it (吉林 -> 吉林省, 大同 -> 大同市)
    top = min(LEVEL_RANK[t.divisions[c].level] for c in cands)
    tops = [c for c in cands if LEVEL_RANK[t.divisions[c].level] == top]
    return tops[0] if len(tops) == 1 else None


def _resolve_path(steps, home: tuple[str, ...], context: str) -> str | None:
    """The code of the last division of a parsed path."""
    name, cands = steps[-1]
    gated = len(steps) == 1 and name in _tables().common
    return _pick(cands, home, context, gated)


@functools.lru_cache(maxsize=1024)
def _home(home: str | None) -> tuple[str, ...]:
    """The home region and the divisions above it, nearest first (太原 -> 140100, 140000)."""
    if not home or not isinstance(home, str):
        return ()
    text = _norm(home)
    steps, end = _path(text)
    if not steps or end != len(text):
        return ()
    name, cands = steps[-1]
    if len(cands) != 1 and len(steps) == 1:
        # a bare ambiguous home: take the highest division (山西 -> 山西省)
        code = _pick(cands, (), "", False)
    else:
        code = cands[0] if len(cands) == 1 else None
    if code is None:
        return ()
    return (code, *_tables().divisions[code].ancestors)


@functools.cache
def division_names() -> frozenset[str]:
    """Every division name, full or short (太原市, 太原, 小店区, 小店)."""
    return frozenset(_tables().by_name)


def setting(key: str, default=None):
    """A setting of ``names.yaml``."""
    return _tables().config.get(key, default)


def place_names(home: str | None) -> tuple[list[str], list[str]]:
    """Names that are places wherever they stand: the full name of every division (防城港市,
    张湾区), and the short names (定襄, 榆次) of the divisions of the home province; none that
    is also a common word (common_words.tsv)."""
    t = _tables()
    full = sorted(n for n in t.full_names if n not in t.common)
    codes = _home(home)
    province = next((c for c in codes if t.divisions[c].level == "province"), None)
    shorts = []
    if province:
        for d in t.divisions.values():
            if d.code == province or province in d.ancestors:
                shorts.extend(x for x in d.shorts if x not in t.common and x not in t.full_names)
    return full, sorted(set(shorts))


def home_region_name(home: str | None, which: str, suffixes: tuple[str, ...] = ()) -> str | None:
    """The full name of the paper's home province (``which="province"``) or city
    (``"city"``), read through the division table: 山西省太原市 or 太原 -> 山西省 / 太原市;
    北京 -> 北京市 for both; or its county-level division (``"county"``: 山西省晋城市沁水县 ->
    沁水县), the first whose name ends with one of ``suffixes`` if given (区: 滨江区; 县, 旗);
    None where the home names no such division."""
    if which == "county":
        t = _tables()
        code = next((c for c in _home(home) if t.divisions[c].level == "county"
                     and (not suffixes or t.divisions[c].name.endswith(suffixes))), None)
        return t.divisions[code].name if code else None
    key = {"province": "home_province", "city": "home_prefecture"}[which]
    code = _home_region(_home(home), key)
    return _tables().divisions[code].name if code else None


def _home_region(home: tuple[str, ...], which: str) -> str | None:
    t = _tables()
    if which == "home_province":
        return next((c for c in home if t.divisions[c].level == "province"), None)
    if which == "home_prefecture":
        for c in home:
            d = t.divisions[c]
            if d.level == "prefecture" or d.type in t.config.get("province_and_prefecture", ()):
                return c
    return None


def _norm(text: str) -> str:
    return "".join(text.split()).translate(_tables().trans)


# ---------------------------------------------------------------- organisations

def _levels(code: str) -> frozenset[str]:
    t = _tables()
    d = t.divisions[code]
    if d.type in t.config.get("province_and_prefecture", ()):
        return frozenset(("province", "prefecture"))
    return frozenset((d.level,))


def _region_name(code: str) -> str:
    t = _tables()
    d = t.divisions[code]
    if d.type in t.config.get("named_with_city", ()) and d.parent:
        return t.divisions[d.parent].name + d.name
    return d.name


@functools.cache
def _term_re():
    pattern = _tables().config.get("term")
    return regexcache.compile(pattern) if pattern else None


@functools.lru_cache(maxsize=16384)
def _split_department(rest: str) -> tuple[str, str] | None:
    """``rest`` as a department of the table plus a sub-unit (公安局政治部 -> 公安局, 政治部),
    after a term number (第十五届人民代表大会常务委员会 -> 人民代表大会常务委员会)."""
    t = _tables()
    term = _term_re()
    if term is not None:
        rest = term.sub("", rest, count=1)
    if rest in t.departments:
        return rest, ""
    suffixes = tuple(t.config.get("subunit_suffixes") or ())
    if not rest.endswith(suffixes):
        return None
    for n in range(len(rest) - 1, 0, -1):
        if rest[:n] in t.departments:
            return rest[:n], rest[n:]
    return None


def _department(rest: str, code: str) -> dict | None:
    """The canonical name of department ``rest`` of region ``code``."""
    split = _split_department(rest)
    if split is None:
        return None
    key, subunit = split
    levels = _levels(code)
    for row in _tables().departments[key]:
        if not row["levels"] or row["levels"] & levels:
            region = _region_name(code)
            out = _empty(canonical=row["full"].replace("{}", region) + subunit, region_adcode=code)
            if row.get("also") and not subunit:
                out["canonical_also"] = [row["also"].replace("{}", region)]
            return out
    return None


def _context_district(which: str, home: tuple[str, ...], context: str) -> str | None:
    """The one district (区) or county (县) of the home city named in ``context``."""
    t = _tables()
    city = _home_region(home, "home_prefecture")
    if city is None or not context:
        return None
    types = set(t.config["marker_types"][which])
    named = [c for c in t.children.get(city, ())
             if t.divisions[c].type in types and t.divisions[c].name in context]
    return named[0] if len(named) == 1 else None


def _organisation(text: str, home: tuple[str, ...], context: str, outside: str) -> dict:
    """An organisation's full name from a region (marker or division name) and a department.
    ``context`` is the text around the mention, ``outside`` the same without the mention."""
    t = _tables()
    cfg = t.config
    # a marker for the home region: 省发改委, 市公安局, 区教育局
    which = cfg["markers"].get(text[0])
    if which and len(text) > 1 and _split_department(text[1:]):
        if which.startswith("home_"):
            code = _home_region(home, which)
        else:
            code = _context_district(which, home, context)
        if code is None:
            return _empty()
        found = _department(text[1:], code)
        if found:
            return found
    # a division named first: 太原市公安局, 迎泽区检察院, 晋中市委
    steps, end = _path(text)
    if steps and 0 < end < len(text):
        code = _resolve_path(steps, home, outside)
        if code is not None:
            found = _department(text[end:], code)
            if found:
                return found
    if text.endswith(tuple(cfg.get("full_name_suffixes") or ())):
        return _empty(canonical=text, region_adcode=_leading_region(text, home, outside))
    return _empty(region_adcode=_leading_region(text, home, outside))


def known_organisations(home: str | None) -> list[str]:
    """Surfaces of organisations.tsv to look for in a text: those of no region, and those of
    a region in the home's province (太重 only in a Shanxi paper: elsewhere 负担太重 is "too heavy")."""
    t = _tables()
    codes = _home(home)
    if not codes and (t.config.get("known_organisations") or {}).get("home_only"):
        return []
    province = next((c for c in codes if t.divisions[c].level == "province"), None)
    out = []
    for alias, row in t.organisations.items():
        region = row.get("region") or ""
        if not region:
            out.append(alias)
        elif province and region in t.divisions and (
                region == province or province in t.divisions[region].ancestors):
            out.append(alias)
    return out


def leading_divisions(text: str) -> int:
    """How many characters of ``text`` are division names read from its start, each under
    the one before (山西美锦能源 -> 2, 浙江省温州市乐清市 -> 9)."""
    return _path(_norm(text))[1] if text else 0


def _leading_region(text: str, home: tuple[str, ...], context: str) -> str | None:
    """The division a name starts with, if it is written in full (太原市热力集团 -> 140100)."""
    steps, end = _path(text)
    if not steps or steps[-1][0] not in _tables().full_names:
        return None
    return _resolve_path(steps, home, context)


# ---------------------------------------------------------------- entry point

class _NeedsContext(Exception):
    """``_resolve`` read the context: its answer may differ with another one."""


class _Unread:
    """A context for ``_resolve`` that may not be read: testing it for truth, for a name in
    it, comparing or hashing it raises ``_NeedsContext`` (a string method has no place in
    ``_resolve``'s reading of a context: it would fail loudly). An answer made without reading
    it holds for every context."""
    __slots__ = ()

    def _read(self, *_):
        raise _NeedsContext

    __bool__ = __contains__ = __len__ = __iter__ = __str__ = __eq__ = __hash__ = _read


_UNREAD = _Unread()
_BY_CONTEXT = "by context"   # a memo's mark: the answer for this surface depends on its context
MEMO_MAX = 200_000           # answers kept per process (the memo is emptied when full)


def resolve(surface: str, label: str, home: str | None, context: str = "") -> dict:
    """Official name and division code of one entity mention (see the module docstring).

    The answer for a surface, label and home is made once per process where it does not
    depend on the context (most names: a division's or organisation's name does not), and
    kept with the loaded tables; where it does (an ambiguous name, 区公安局), it is made
    for each context."""
    got = answer(surface, label, home, context)
    # a copy: the caller may change the answer (its lists too)
    return {k: v.copy() if type(v) is list else v for k, v in got.items()}


_NONE = _empty()


def answer(surface: str, label: str, home: str | None, context: str = "") -> dict:
    """``resolve``'s answer itself, which may be kept and given again (the memo's): the
    caller changes neither it nor its lists."""
    if label not in ("ORG", "LOC") or not isinstance(surface, str):
        return _NONE
    t = _tables()
    memo = t.memo
    key = (surface, label, home)
    got = memo.get(key)
    if got is None:
        try:
            got = _resolve(surface, label, home, _UNREAD, _UNREAD)
        except _NeedsContext:
            got = _BY_CONTEXT
        if len(memo) >= MEMO_MAX:
            memo.clear()
        memo[key] = got
    if got is not _BY_CONTEXT:
        return got
    if not isinstance(context, str):
        context = ""
    # the context holds the mention itself: a parent must be named outside it
    outside = context.replace(surface, " ") if context and surface in context else context
    return _resolve(surface, label, home, context, outside)


def _resolve(surface: str, label: str, home: str | None, context, outside) -> dict:
    text = _norm(surface)
    if not text:
        return _empty()
    t = _tables()
    home_chain = _home(home)
    org = t.organisations.get(text)
    if org is not None:
        return _empty(canonical=org["canonical"], region_adcode=org["region"] or None)
    deictic = (t.config.get("deictic") or {}).get(text)
    if deictic and label == "LOC":
        code = _home_region(home_chain, deictic)
        return _place(code) if code else _empty()
    steps, end = _path(text)
    if steps and end == len(text):  # the whole surface names a division
        code = _resolve_path(steps, home_chain, outside)
        return _place(code) if code else _empty()
    # an organisation (also when tagged LOC: 太原市人民政府 as a place of work)
    return _organisation(text, home_chain, context, outside)
