"""The entity tagger's Viterbi in NumPy, from the weights of the shipped crfsuite model.

crfsuite tags a sequence of string features by looking every string up in its attribute
dictionary, summing the weights of the attributes present per label and running Viterbi.
``Scorer`` does the same with the model's own numbers: the attribute strings map to rows of a
weight matrix (attributes x labels, ``float64`` as in the model file), the transition weights
are a labels x labels matrix, and Viterbi runs over all the chunks of a text at once
(``numpy`` operations per position, over every chunk still running). Sums are made in the
order crfsuite makes them (feature by feature, in the order given), so the labels are the
same as crfsuite's (tests/test_crf.py on People's Daily dev sentences, and
``scripts/crf_identity.py`` over the whole dev set).

The numbers are read from the model file itself (its binary ``FEAT`` section and its
attribute and label dictionaries: the same file ``pycrfsuite`` opens), once, and kept in a
cache file named by the model file's sha256 (``$XDG_CACHE_HOME/baozhi``, else
``~/.cache/baozhi``); a retrained model has another digest, so it is never served stale.
Where no cache can be written, they are built in memory.
"""
from __future__ import annotations

import hashlib
import struct
from pathlib import Path
from typing import Sequence

import numpy as np

from baozhi.resources.atomic import replacing
from baozhi.resources.diskcache import cache_dir, prune

CACHE_VERSION = 1  # the layout of the cache file


def _cqdb_strings(buf: bytes, off: int) -> list[str]:
    """The strings of a crfsuite CQDB chunk at ``off``, by id."""
    if buf[off:off + 4] != b"CQDB":
        raise ValueError("not a CQDB chunk")
    _size, _flag, _order, n, bwd = struct.unpack_from("<5I", buf, off + 4)
    out = [""] * n
    for k, rec in enumerate(struct.unpack_from(f"<{n}I", buf, off + bwd)):
        if not rec:
            continue
        ident, ksize = struct.unpack_from("<2I", buf, off + rec)
        out[ident] = buf[off + rec + 8:off + rec + 8 + ksize - 1].decode("utf-8")
    return out


def read_model(path: Path) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """(labels, attributes, state weights [attributes + 1, labels], transitions [labels,
    labels]) of a crfsuite CRF1d model file; the state matrix's last row is zeros (for
    attributes the model does not know)."""
    buf = Path(path).read_bytes()
    if buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
        raise ValueError(f"{path}: not a crfsuite CRF1d model")
    (_version, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs, _lrefs,
     _arefs) = struct.unpack_from("<9I", buf, 12)
    if buf[off_feat:off_feat + 4] != b"FEAT":
        raise ValueError(f"{path}: no FEAT section")
    (n_feat,) = struct.unpack_from("<I", buf, off_feat + 8)
    rec = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")])
    feats = np.frombuffer(buf, dtype=rec, count=n_feat, offset=off_feat + 12)
    labels = _cqdb_strings(buf, off_labels)
    attrs = _cqdb_strings(buf, off_attrs)
    if len(labels) != n_labels or len(attrs) != n_attrs:
        raise ValueError(f"{path}: dictionaries of the wrong size")
    state = np.zeros((n_attrs + 1, n_labels))
    trans = np.zeros((n_labels, n_labels))
    s = feats[feats["type"] == 0]
    t = feats[feats["type"] == 1]
    # one feature per (attribute, label): crfsuite adds each once, so a plain store is its sum
    state[s["src"], s["dst"]] = s["w"]
    trans[t["src"], t["dst"]] = t["w"]
    return labels, attrs, state, trans


class Scorer:
    """A crfsuite model's Viterbi over string features, in NumPy."""

    def __init__(self, labels: Sequence[str], attrs: Sequence[str], state: np.ndarray,
                 trans: np.ndarray, jit: bool = True, jit_after: int = 0):
        self.labels = list(labels)
        self.ids = {a: i for i, a in enumerate(attrs)}
        self.unknown = len(attrs)
        self.state = np.ascontiguousarray(state, dtype=np.float64)
        self.trans = np.ascontiguousarray(trans, dtype=np.float64)
        # a row per attribute and the unknown attribute's (zero) row last: every id
        # ``featids.scores`` takes from ``state`` is a row of it (its mode="clip" relies on it)
        if self.state.shape != (len(attrs) + 1, len(self.labels)):
            raise ValueError(f"state must have a row per attribute and one for the unknown attribute "
                             f"({len(attrs) + 1}) by a column per label ({len(self.labels)}), "
                             f"not {self.state.shape}")
        # for the Viterbi, made once: the transitions laid out [to, from] and the labels as an
        # object array (a path of label indices becomes the label strings in one take)
        self.trans_t = np.ascontiguousarray(self.trans.T)
        self.label_array = np.array(self.labels, dtype=object)
        # the compiled sums and Viterbi (``kernels.py``: the same numbers), None where numba is
        # not there or ``jit`` is False (the NumPy code below, as ``BAOZHI_NO_JIT=1`` has it),
        # and until they are loaded: at once where ``jit_after`` is 0, else by ``use_kernels``
        # or once ``jit_after`` characters have been asked for (``kernels_for``)
        self.kernels = None
        self.jit_left = jit_after if jit else None
        if jit and not jit_after:
            self.use_kernels()

    def use_kernels(self):
        """numba's kernels loaded now (``kernels.compiled``), where ``jit`` allows: the
        kernels, or None (no numba, ``BAOZHI_NO_JIT``, ``jit`` False)."""
        if self.jit_left is not None:
            from baozhi.layers.entities import kernels

            self.jit_left = None
            self.kernels = kernels.compiled()
        return self.kernels

    def kernels_for(self, chars: int):
        """The kernels to tag ``chars`` more characters with: loaded (``use_kernels``) once the
        characters asked for in all pass ``jit_after``, None before (the NumPy code)."""
        if self.jit_left is not None:
            self.jit_left -= chars
            if self.jit_left < 0:
                self.use_kernels()
        return self.kernels

    @classmethod
    def load(cls, model: Path, cache: Path | None = None, jit: bool = True,
             jit_after: int = 0) -> "Scorer":
        """The scorer of ``model``, from the cache when it holds this model's digest (``jit``,
        ``jit_after``: as the constructor's)."""
        raw = Path(model).read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        folder = cache_dir() if cache is None else cache
        name = folder / f"crf-{CACHE_VERSION}-{digest}.npz"
        try:
            with np.load(name, allow_pickle=False) as z:
                return cls([str(y) for y in z["labels"]], z["attrs"].item().split("\x00"), z["state"],
                           z["trans"], jit, jit_after)
        except (OSError, ValueError, KeyError):
            pass
        labels, attrs, state, trans = read_model(model)
        try:
            with replacing(name) as tmp, open(tmp, "wb") as fh:   # whole or not at all
                np.savez(fh, labels=np.array(labels), attrs=np.array("\x00".join(attrs)),
                         state=state, trans=trans)
            prune(folder, "crf-", ".npz", name)   # other models' weights: the last few kept
        except OSError:
            pass                    # not writable: built in memory, as now
        return cls(labels, attrs, state, trans, jit, jit_after)

    def scores(self, chunks: Sequence[Sequence[Sequence[str]]]) -> list[np.ndarray]:
        """State scores [positions, labels] of every chunk (each a list of per-position
        feature lists), all chunks summed at once."""
        get, unk = self.ids.get, self.unknown
        ids = [get(f, unk) for feats in chunks for fs in feats for f in fs]
        counts = [len(fs) for feats in chunks for fs in feats]
        total = self.sum_rows(np.array(ids, dtype=np.intp), np.array(counts, dtype=np.intp))
        bounds = np.cumsum([len(f) for f in chunks])[:-1]
        return np.split(total, bounds)

    def sum_rows(self, ids: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Per position, the weights of its attribute ids (``counts[p]`` ids for position p,
        one after the other in ``ids``) added in crfsuite's order, so that the floating-point
        sums are the same."""
        n = len(counts)
        out = np.zeros((n, len(self.labels)))
        if not len(ids):
            return out
        rows = self.state[ids]
        pos = np.repeat(np.arange(n), counts)
        rank = np.arange(len(ids)) - np.repeat(np.cumsum(counts) - counts, counts)
        # the k-th feature of every position at once, k = 0, 1, ...: the order of crfsuite's
        # additions over a position's features
        for k in range(int(counts.max())):
            sel = np.flatnonzero(rank == k)
            out[pos[sel]] += rows[sel]
        return out

    def viterbi(self, scores: Sequence[np.ndarray]) -> list[list[str]]:
        """The best label sequence of every chunk, given its state scores; ties go to the
        lower label id, as in crfsuite (``viterbi_flat`` of the scores laid end to end)."""
        lens = [len(s) for s in scores]
        total = (np.concatenate(scores) if scores else np.zeros((0, len(self.labels))))
        return self.viterbi_flat(total, lens)

    def viterbi_flat(self, total: np.ndarray, lens: Sequence[int]) -> list[list[str]]:
        """``viterbi`` of chunks whose state scores are the rows of ``total`` one chunk after
        the other (``lens[i]`` rows for chunk i: ``featids.flat_scores``' layout, not split
        into an array per chunk). Chunks run side by side, longest first, in groups of
        similar lengths (padded positions at most three times the real ones: a
        step costs little more for more chunks); by the compiled kernel where there is one
        (``kernels.viterbi``: chunk by chunk, the same labels)."""
        if self.kernels is not None:
            return self._viterbi_compiled(total, lens)
        out: list[list[str]] = [[] for _ in lens]
        lens = list(lens)
        starts = np.cumsum([0] + lens[:-1]).tolist() if lens else []
        order = sorted((i for i in range(len(lens)) if lens[i]), key=lambda i: -lens[i])
        k = 0
        while k < len(order):
            top = lens[order[k]]
            j, size = k, 0
            while j < len(order) and (j - k + 1) * top <= 4 * (size + lens[order[j]]):
                size += lens[order[j]]
                j += 1
            group = order[k:j]
            for i, labels in zip(group, self._viterbi(total, [starts[i] for i in group],
                                                      [lens[i] for i in group])):
                out[i] = labels
            k = j
        return out

    def _viterbi_compiled(self, total: np.ndarray, lens: Sequence[int]) -> list[list[str]]:
        """``viterbi_flat`` by ``kernels.viterbi``: the label ids of every position in one
        array, then the label strings cut chunk by chunk."""
        lens = list(lens)
        total = np.ascontiguousarray(total, dtype=np.float64)
        m = len(total)
        cnt = np.array(lens, dtype=np.intp)
        starts = np.cumsum(cnt) - cnt
        path = np.empty(m, dtype=np.intp)
        self.kernels.viterbi(total, starts, cnt, self.trans_t, np.empty((m, len(self.labels)),
                                                                        dtype=np.intp), path)
        labels = self.label_array[path].tolist()
        return [labels[s:s + n] for s, n in zip(starts.tolist(), lens)]

    def _viterbi(self, total: np.ndarray, starts: list[int], lens: list[int]) -> list[list[str]]:
        """Viterbi over chunks ordered longest first, chunk j's scores the rows
        ``starts[j]:starts[j] + lens[j]`` of ``total``."""
        n = len(lens)
        T, L = lens[0], len(self.labels)
        # S[t, j]: chunk j's scores at position t, laid out by one scatter (positions past a
        # chunk's end are never read, nor are backpointers never written: ``empty``)
        cnt = np.array(lens, dtype=np.intp)
        m = int(cnt.sum())
        first = np.cumsum(cnt) - cnt
        tt = np.arange(m) - np.repeat(first, cnt)
        S = np.empty((T, n, L))
        S.reshape(T * n, L)[tt * n + np.repeat(np.arange(n), cnt)] = \
            total[tt + np.repeat(np.array(starts, dtype=np.intp), cnt)]
        running = np.searchsorted(-cnt, -np.arange(T), side="left").tolist()  # longer than t
        back = np.empty((T, n, L), dtype=np.intp)
        alpha = S[0].copy()
        ends = np.zeros((n, L))
        done = n
        # per step five NumPy calls (no Python-level wrappers such as np.argmax's; ``repeat``
        # and the gather at the argmax make new arrays, see below, the other three write into
        # buffers made once): the sums laid out [chunk, to, from], so that the
        # argmax over ``from`` runs along the last, contiguous axis (NumPy copies the array for
        # any other axis; the first of equal sums, as crfsuite takes it), and the best sum
        # taken at the argmax (the same number a max would give) instead of a second pass
        # over the sums
        # The sums are made as one contiguous addition: alpha's rows repeated once per "to"
        # label (``repeat``: a copy, no broadcasting, whose inner loops would be 11 long)
        # plus the transitions laid out the same way for every chunk (``trans_rep``, made
        # once); the sum at the argmax is gathered by fancy indexing into a new array
        # (``take`` with ``out`` copies through a buffer).
        trans_rep = np.tile(self.trans_t, (n, 1))          # [chunk * to, from]
        buf = np.empty((n, L, L))
        flat = buf.reshape(-1)
        at0 = np.arange(n)[:, None] * (L * L) + np.arange(L)[None, :] * L   # buf's (c, y, 0)
        at = np.empty((n, L), dtype=np.intp)
        add = np.add
        a = alpha
        k = -1
        for t in range(1, T):
            if running[t] != k:
                k = running[t]
                if k < done:                   # chunks ending at t - 1 keep their last scores
                    ends[k:done] = a[k:done]
                    done = k
                a, x = a[:k], buf[:k]
                x2, tr = x.reshape(k * L, L), trans_rep[:k * L]
                arg, bk, sk, ak, a0 = x.argmax, back[:, :k], S[:, :k], at[:k], at0[:k]
            add(a.repeat(L, axis=0), tr, out=x2)   # [chunk, to, from]
            b = bk[t]
            arg(axis=2, out=b)
            add(b, a0, out=ak)
            a = flat[ak]                       # the sum at the argmax
            a += sk[t]
        ends[:done] = a[:done]
        # the backtrace of all chunks at once, one step per position from the end: a chunk
        # joins at its own last position with its best last label
        y = ends.argmax(axis=1)
        path = np.zeros((T, n), dtype=np.intp)
        rows = np.arange(n) * L
        flat_back = back.reshape(T, n * L)
        for t in range(T - 1, 0, -1):
            k = running[t]
            yk = y[:k]
            path[t, :k] = yk
            y[:k] = flat_back[t].take(rows[:k] + yk)
        path[0] = y
        cols = self.label_array[path.T]
        return [cols[j, :lens[j]].tolist() for j in range(n)]

    def tag(self, chunks: Sequence[Sequence[Sequence[str]]]) -> list[list[str]]:
        """Labels of every chunk (each a list of per-position feature lists)."""
        return self.viterbi(self.scores(chunks))
