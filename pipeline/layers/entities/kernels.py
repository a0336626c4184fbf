"""The CRF's hot numeric loops compiled by numba: the state score sums, the Viterbi and the
hashed look-ups of the feature ids, the word slots, the gazetteers' matches and the tokens
of each chunk.

``crf.Scorer`` and ``featids`` run these where numba is importable (and ``BAOZHI_NO_JIT`` is
not set), else their NumPy code, with the same numbers: each kernel makes the additions of
the NumPy path one by one in the same order (a position's weight rows slot by slot, then its
sparse rows in the order given; the Viterbi's ``alpha[from] + trans[from, to]``, the first
maximum over ``from`` as ``np.argmax`` takes it, plus the state score), and numba compiles
without ``fastmath`` (no reordering of floating-point additions), so every sum, and every
label, is the same bit for bit (tests/test_crf_kernels.py on dev sentences and corpus pages).

numba is imported only here and only when the kernels are loaded (``compiled``): by
``run.chunked.warm_up`` (a batch before its workers fork, a Dask worker), else once
``entities.JIT_AFTER`` characters have been tagged in the process (``crf.Scorer.kernels_for``),
never by a few sentences of ``annotate`` (the NumPy scorer, or crfsuite, tags them). The
machine code is kept on disk (numba's ``cache=True``) in the project's cache folder
(``diskcache.cache_dir() / "numba"``, one folder per checkout path, unless the user set
``NUMBA_CACHE_DIR``), keyed by numba on this file's contents, the argument types and the CPU,
so that a fresh process loads it instead of compiling. Measured (CPU, load ~4): ``import
numba`` 0.24-0.26 s, the cached kernels 0.19 s; a compile with an empty cache 2.2 s (review
rev2: 5.9-6.9 s at load 5-13), paid by the first process after this file changes, a new
install or a Dask worker with a fresh cache folder. Where the folder cannot be written the
kernels are compiled in memory in every process. The signatures are given, so compiling or
loading happens once, when ``compiled`` is first called, not at a first page.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np

# Fibonacci hashing's multiplier: ``featids``' constant, the one both paths hash with
from baozhi.layers.entities.featids import _MULT as MULT


def sums(state, dense, pos, sid, out):
    """``out[p] = state[dense[0, p]] + state[dense[1, p]] + ...`` added slot by slot, then
    ``out[pos[i]] += state[sid[i]]`` for every i in order (``featids.flat_scores``); every id
    clipped into ``state``'s rows as ``np.take(mode="clip")`` does."""
    k, n = dense.shape
    L = state.shape[1]
    top = state.shape[0] - 1
    for p in range(n):
        r = min(max(dense[0, p], 0), top)
        for y in range(L):
            out[p, y] = state[r, y]
    # slot by slot over all positions (as NumPy's passes; faster here than position by
    # position: ``out`` stays in the cache, the next slot's ids are read in order)
    for j in range(1, k):
        for p in range(n):
            r = min(max(dense[j, p], 0), top)
            for y in range(L):
                out[p, y] += state[r, y]
    for i in range(len(pos)):
        p = pos[i]
        r = min(max(sid[i], 0), top)
        for y in range(L):
            out[p, y] += state[r, y]


def viterbi(total, starts, lens, trans_t, back, path):
    """The best label path of every chunk (chunk c: the rows ``starts[c]:starts[c] +
    lens[c]`` of ``total``) into the same rows of ``path``; ``trans_t`` the transitions laid
    out [to, from], ``back`` scratch of ``total``'s shape. Ties go to the lower label, as
    ``np.argmax`` (the weights are finite: no NaN to order)."""
    L = total.shape[1]
    alpha = np.empty(L)
    nxt = np.empty(L)
    for c in range(len(starts)):
        s0 = starts[c]
        T = lens[c]
        if T <= 0:
            continue
        for y in range(L):
            alpha[y] = total[s0, y]
        for t in range(s0 + 1, s0 + T):
            for y in range(L):
                best = alpha[0] + trans_t[y, 0]
                arg = 0
                for x in range(1, L):
                    v = alpha[x] + trans_t[y, x]
                    if v > best:
                        best = v
                        arg = x
                back[t, y] = arg
                nxt[y] = best + total[t, y]
            for y in range(L):
                alpha[y] = nxt[y]
        best = alpha[0]
        arg = 0
        for y in range(1, L):
            if alpha[y] > best:
                best = alpha[y]
                arg = y
        path[s0 + T - 1] = arg
        for t in range(s0 + T - 1, s0, -1):
            arg = back[t, arg]
            path[t - 1] = arg




def probe(slot_keys, slot_values, bits, codes, missing, out):
    """``featids._probe``: the value of each of ``codes`` in an open-addressing table (home
    slot the top ``bits`` bits of the code times ``MULT``, wrapping; linear probing until the
    code itself or an empty slot, -1), ``missing`` where absent, into ``out``."""
    mask = (1 << bits) - 1
    shift = np.uint64(64 - bits)
    for i in range(len(codes)):
        c = codes[i]
        h = np.intp((np.uint64(c) * MULT) >> shift)
        while True:
            held = slot_keys[h]
            if held == c:
                out[i] = slot_values[h]
                break
            if held < 0:
                out[i] = missing
                break
            h = (h + 1) & mask


MIX = np.uint64(0xD6E8FEB86659FD93)     # a length's share of a (hash, length) key's home slot


def table_put(hashes, lengths, values, bits, table):
    """Hold every (hash, length) -> value in ``table`` ([2 ** bits, 2] int64, zeros: empty):
    the hash's bits in column 0, the length (1 to 63) plus the value shifted by 6 in column 1
    (values of one key or-ed together); home slot the top bits of ``(hash + length * MIX) *
    MULT`` (wrapping), linear probing. ``match`` looks keys up."""
    mask = (1 << bits) - 1
    shift = np.uint64(64 - bits)
    for i in range(len(hashes)):
        h = hashes[i]
        L = lengths[i]
        at = np.intp(((h + np.uint64(L) * MIX) * MULT) >> shift)
        while True:
            if table[at, 1] == 0:
                table[at, 0] = np.int64(h)
                table[at, 1] = L | (values[i] << 6)
                break
            if table[at, 0] == np.int64(h) and (table[at, 1] & 63) == L:
                table[at, 1] |= values[i] << 6
                break
            at = (at + 1) & mask


def match(cp, index0, index1, k1, pairs, table, bits, has1, scp, soff, longest, B, out_s, out_w):
    """``features.Matcher.matches`` start by start: the (start, surface) of every surface of
    the gazetteers found at each start of ``cp`` (a text's code points) into ``out_s`` and
    ``out_w`` (as many as they hold), and their count. ``table`` (``table_put``) holds per
    (hash, length) bit 0 "the hash of a prefix of that length of a longer surface" (lengths 3
    on) and above it 1 + the surface of that length and hash; ``scp[soff[w]:]`` the code
    points of surface ``w``. The same walk as the Matcher's, one start at a time instead of
    all starts one length at a time: the first two characters by ``index0``/``index1``/
    ``pairs``, then the hash ``h * B + c`` (wrapping) one character on while it is some longer
    surface's prefix of that length; a hash found among the surfaces' of its length is a
    match once its characters are checked (the hashes the Matcher's sorted arrays hold,
    looked up by hashing instead of a binary search)."""
    n = len(cp)
    top = len(index0)
    mask = (1 << bits) - 1
    shift = np.uint64(64 - bits)
    found = 0
    cap = len(out_s)
    for s in range(n if has1 else 0):      # surfaces of one character: the code is the hash
        h = np.uint64(cp[s])
        at = np.intp(((h + MIX) * MULT) >> shift)
        v = 0
        while table[at, 1] != 0:
            if table[at, 0] == np.int64(h) and (table[at, 1] & 63) == 1:
                v = table[at, 1] >> 6
                break
            at = (at + 1) & mask
        if v >> 1:
            w = (v >> 1) - 1
            if cp[s] == scp[soff[w]]:
                if found < cap:
                    out_s[found] = s
                    out_w[found] = w
                found += 1
    for s in range(n - 1):
        c0 = cp[s]
        c1 = cp[s + 1]
        if c0 >= top or c1 >= top:
            continue
        i0 = index0[c0]
        i1 = index1[c1]
        if i0 < 0 or i1 < 0:
            continue
        flags = pairs[i0 * k1 + i1]
        h = np.uint64(c0) * B + np.uint64(c1)
        L = 2
        while True:
            v = 0
            if L > 2 or flags & 2:
                at = np.intp(((h + np.uint64(L) * MIX) * MULT) >> shift)
                while table[at, 1] != 0:
                    if table[at, 0] == np.int64(h) and (table[at, 1] & 63) == L:
                        v = table[at, 1] >> 6
                        break
                    at = (at + 1) & mask
            if v >> 1:         # a surface of L characters with this hash: its characters checked
                w = (v >> 1) - 1
                base = soff[w]
                ok = True
                for i in range(L):
                    if cp[s + i] != scp[base + i]:
                        ok = False
                        break
                if ok:
                    if found < cap:
                        out_s[found] = s
                        out_w[found] = w
                    found += 1
            # go on while a longer surface starts so
            if L == 2:
                if not flags & 1:
                    break
            elif not v & 1:
                break
            L += 1
            if L > longest or s + L > n:
                break
            h = h * B + np.uint64(cp[s + L - 1])
    return found


def word_slots(word_rows, rows, ts, te, ci, edges, out):
    """``featids._word_slots`` of tokens in order, none overlapping: the six word slots
    [wt=, w=, wl=|wr=, tl=|tr=, wr=, tr=] of every position into ``out`` (the unknown id
    where a slot has nothing, written beforehand): token t's word is the row ``rows[t]`` of
    ``word_rows`` (its nine ids), ``ci[t]`` its chunk (^/$ edges at a chunk's first and last
    token, ``edges`` = wl=^, tl=^, wr=$, tr=$), as the NumPy code writes them."""
    m = len(ts)
    for t in range(m):
        r = rows[t]
        if t == 0 or ci[t] != ci[t - 1]:
            wl = edges[0]
            tl = edges[1]
        else:
            wl = word_rows[rows[t - 1], 1]
            tl = word_rows[rows[t - 1], 2]
        if t == m - 1 or ci[t + 1] != ci[t]:
            wr = edges[2]
            tr = edges[3]
        else:
            wr = word_rows[rows[t + 1], 3]
            tr = word_rows[rows[t + 1], 4]
        a = ts[t]
        b = te[t]
        inner = word_rows[r, 7]
        word = word_rows[r, 0]
        for p in range(a, b):
            out[0, p] = inner
            out[1, p] = word
        out[2, a] = wl
        out[3, a] = tl
        if b - a == 1:
            out[0, a] = word_rows[r, 5]
            out[4, a] = wr
            out[5, a] = tr
        else:
            out[0, a] = word_rows[r, 6]
            out[0, b - 1] = word_rows[r, 8]
            out[2, b - 1] = wr
            out[3, b - 1] = tr


def token_pairs(ts, te, cs, ce, cp, space, pairs, ends):
    """``features._locals``' placing of tokens (sorted, none overlapping: ``ts``/``te``) in
    chunks (``cs``/``ce``): for chunk i, every token from the first ending after its start to
    the last starting before its end, clipped to it, kept where some character of it is no
    space (``space`` by code point, its last entry for every code point above), as (start,
    end) inside the chunk into ``pairs`` (as many as it holds); ``ends[i]`` the count of pairs
    up to chunk i's."""
    n = len(ts)
    top = len(space) - 1
    cap = len(pairs)
    out = 0
    for i in range(len(cs)):
        c0 = cs[i]
        c1 = ce[i]
        lo, hi = 0, n           # np.searchsorted(te, c0, side="right")
        while lo < hi:
            mid = (lo + hi) >> 1
            if te[mid] <= c0:
                lo = mid + 1
            else:
                hi = mid
        first = lo
        lo, hi = 0, n           # np.searchsorted(ts, c1, side="left")
        while lo < hi:
            mid = (lo + hi) >> 1
            if ts[mid] < c1:
                lo = mid + 1
            else:
                hi = mid
        for k in range(first, lo):
            a = max(ts[k], c0)
            b = min(te[k], c1)
            for q in range(a, b):
                if not space[min(cp[q], top)]:
                    if out < cap:       # (numba checks no bounds: the caller checks the count)
                        pairs[out, 0] = a - c0
                        pairs[out, 1] = b - c0
                    out += 1
                    break
        ends[i] = out


def char_slots(cp, ix, uni, at, big, ty, t3, out):
    """The first ten dense slots of ``featids.slots`` into rows 0 to 9 of ``out``: at each
    position p (``ix[p]`` its index in the padded text's code points ``cp``) the unigram ids
    u0, u-1, u1, u-2, u2 (``uni``: those templates' tables by code point, every code below
    their size: the caller checks), the bigram ids b-2, b-1, b0, b1 (``big[j]`` at the
    bigram of ``cp`` starting at ``ix[p] + j - 2``, ``at`` the bigrams' key indices) and the
    id of the character types of -1, 0, +1 (``t3`` by the three types of ``ty``)."""
    for p in range(len(ix)):
        i = ix[p]
        out[0, p] = uni[0, cp[i]]
        out[1, p] = uni[1, cp[i - 1]]
        out[2, p] = uni[2, cp[i + 1]]
        out[3, p] = uni[3, cp[i - 2]]
        out[4, p] = uni[4, cp[i + 2]]
        for j in range(4):
            out[5 + j, p] = big[j, at[i + j - 2]]
        out[9, p] = t3[ty[i - 1] * 49 + ty[i] * 7 + ty[i + 1]]


KERNELS = {
    "char_slots": (char_slots, "void(int64[::1], intp[::1], int32[:, ::1], intp[::1], intp[:, ::1], intp[::1], "
                               "intp[::1], intp[:, ::1])"),
    "token_pairs": (token_pairs, "void(intp[::1], intp[::1], intp[::1], intp[::1], int64[::1], "
                                 "boolean[::1], intp[:, ::1], intp[::1])"),
    "word_slots": (word_slots, "void(intp[:, ::1], intp[::1], intp[::1], intp[::1], intp[::1], intp[::1], "
                               "intp[:, ::1])"),
    "table_put": (table_put, "void(uint64[::1], int64[::1], int64[::1], int64, int64[:, ::1])"),
    "match": (match, "int64(int64[::1], int32[::1], int32[::1], int64, int8[::1], int64[:, ::1], int64, "
                     "boolean, int64[::1], intp[::1], int64, uint64, intp[::1], intp[::1])"),
    "probe": (probe, "void(int64[::1], intp[::1], int64, int64[::1], int64, intp[::1])"),
    "sums": (sums, "void(float64[:, ::1], intp[:, ::1], intp[::1], intp[::1], float64[:, ::1])"),
    "viterbi": (viterbi, "void(float64[:, ::1], intp[::1], intp[::1], float64[:, ::1], intp[:, ::1], "
                         "intp[::1])"),
}


def enabled() -> bool:
    """Not switched off by ``BAOZHI_NO_JIT`` (any value but empty and 0)."""
    return os.environ.get("BAOZHI_NO_JIT", "") in ("", "0")


@functools.cache
def compiled() -> SimpleNamespace | None:
    """The kernels compiled (or loaded from the disk cache), by name; None where numba is
    not importable or ``BAOZHI_NO_JIT`` is set (the callers then run their NumPy code).
    Where the project's cache folder cannot be written, compiled in memory (no error, no
    file elsewhere); where they were compiled, the cyclic garbage numba leaves (~20 MB) is
    collected here (not frozen into forked workers) and the folder's files of older versions
    of this file removed (``prune_numba``)."""
    if not enabled():
        return None
    try:
        import numba
        from numba.core import config
    except ImportError:
        return None
    from baozhi.resources.diskcache import cache_dir

    before = config.CACHE_DIR
    cache = True
    if not before:     # the project's cache folder, for these kernels only (restored below)
        folder = cache_dir() / "numba"
        cache = _writable(folder)
        config.CACHE_DIR = str(folder)
    try:
        made = {}
        for name, (func, sig) in KERNELS.items():
            try:
                made[name] = numba.njit(sig, cache=cache, nogil=True)(func)
            except RuntimeError:    # no cache folder can be written: compiled in memory
                made[name] = numba.njit(sig, nogil=True)(func)
    finally:
        config.CACHE_DIR = before
    if any(sum(d.stats.cache_misses.values()) for d in made.values()) or not cache:
        import gc

        gc.collect()     # numba's compile leaves cycles: collected before anyone freezes them
        if cache and not before:
            prune_numba(made)
    return SimpleNamespace(**made)


def _writable(folder) -> bool:
    """``folder`` exists or is made, and a file can be written in it (numba's own test)."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True


def prune_numba(made: dict) -> list:
    """Remove the files of this checkout's numba cache folder that are no kernel's now (numba
    names them by function and first line: an edit of this file leaves the old ones); the
    folders of other checkouts are left alone. Returns what was removed."""
    removed = []
    if not made:
        return removed
    folder = Path(next(iter(made.values())).stats.cache_path)
    current = tuple(f"kernels.{d.py_func.__name__}-{d.py_func.__code__.co_firstlineno}."
                    for d in made.values())
    try:
        files = list(folder.glob("kernels.*"))
    except OSError:
        return removed
    for p in files:
        if not p.name.startswith(current):
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed
