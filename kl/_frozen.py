"""Reading the family and parameters of ``scipy.stats`` frozen distributions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Frozen:
    """A frozen distribution's family, parameters (by name) and kind."""

    family: str
    params: dict = field(repr=True)
    discrete: bool
    dist: object  # the scipy frozen distribution itself
    multivariate: bool = False

    def __getattr__(self, name):
        try:
            return self.__dict__["params"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def shape(self) -> tuple[int, ...]:
        if self.multivariate:
            return ()
        return np.broadcast_shapes(*(np.shape(v) for v in self.params.values()))


def read(dist, name: str) -> Frozen:
    """Validate ``dist`` as a scipy.stats frozen distribution and read its parameters.

    Raises
    ------
    TypeError
        ``dist`` is not a frozen scipy.stats distribution.
    ValueError
        Its parameters are outside the family's domain (scipy itself would
        return NaN for them).
    """
    kind = type(dist).__name__
    if kind == "multivariate_normal_frozen":
        mean = np.asarray(dist.mean, dtype=float)
        cov = np.asarray(dist.cov, dtype=float)
        return Frozen("multivariate_normal", {"mean": mean, "cov": cov}, False, dist, multivariate=True)
    if kind.endswith("_frozen") and type(dist).__module__ == "scipy.stats._multivariate":
        # Another multivariate scipy family: known by name, no parameters read.
        return Frozen(kind.removesuffix("_frozen"), {}, False, dist, multivariate=True)
    inner = getattr(dist, "dist", None)
    if inner is None or not hasattr(inner, "_parse_args") or not hasattr(dist, "args"):
        raise TypeError(
            f"{name}: expected a frozen scipy.stats distribution such as scipy.stats.norm(0, 1); "
            f"got {type(dist).__name__}"
        )
    shapes, loc, scale = inner._parse_args(*dist.args, **dist.kwds)
    shape_names = [s.strip() for s in inner.shapes.split(",")] if inner.shapes else []
    shapes = [np.asarray(s, dtype=float) for s in shapes]
    loc, scale = np.asarray(loc, dtype=float), np.asarray(scale, dtype=float)
    valid = np.asarray(inner._argcheck(*shapes)) & (scale > 0) & np.isfinite(loc) & np.isfinite(scale)
    for s in shapes:
        valid = valid & np.isfinite(s)
    if not np.all(valid):
        described = ", ".join(f"{k}={v}" for k, v in zip(shape_names, [*shapes], strict=True))
        raise ValueError(
            f"{name}: invalid parameters for scipy.stats.{inner.name} ({described}, loc={loc}, scale={scale})"
        )
    params = dict(zip(shape_names, shapes, strict=True))
    params["loc"] = loc
    discrete = hasattr(inner, "pmf")
    if not discrete:
        params["scale"] = scale
    return Frozen(inner.name, params, discrete, dist)
