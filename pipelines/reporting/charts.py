"""The report's charts: matplotlib drawn to inline SVG (no script, no external asset; prints
as vectors). Colours are the Okabe–Ito palette, readable with every common colour-vision
deficiency; bars carry their value as text, so no reading rests on colour alone."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

# Okabe & Ito (2008), "Color Universal Design".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

plt.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: searchable, small, no embedded glyphs
        "svg.hashsalt": "empreinte",  # the same figures give the same file
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    }
)


def bars(
    labels: Sequence[str], values: Sequence[float], unit: str, value_text: Sequence[str]
) -> str:
    """Horizontal bars, largest on top, each with its value written beside it."""
    height = 0.9 + 0.28 * len(labels)
    figure, axes = plt.subplots(figsize=(7.0, height))
    positions = range(len(labels))[::-1]
    axes.barh(list(positions), list(values), color=PALETTE[0])
    axes.set_yticks(list(positions), [_short(label) for label in labels])
    axes.set_xlabel(unit)
    for position, value, text in zip(positions, values, value_text, strict=True):
        axes.text(value, position, f" {text}", va="center", fontsize=8)
    axes.margins(x=0.15)
    return _svg(figure)


def lines(
    years: Sequence[int],
    series: dict[str, Sequence[float | None]],
    unit: str,
    dashed: Sequence[str] = (),
) -> str:
    """Lines over years (e.g. actual and target), dashed where named, with a legend."""
    figure, axes = plt.subplots(figsize=(7.0, 3.0))
    for index, (name, values) in enumerate(series.items()):
        axes.plot(
            list(years),
            [float("nan") if value is None else value for value in values],
            label=name,
            color=PALETTE[index % len(PALETTE)],
            linestyle="--" if name in dashed else "-",
            marker="o" if name not in dashed else None,
            markersize=3,
        )
    axes.set_ylabel(unit)
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False)
    return _svg(figure)


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _svg(figure: plt.Figure) -> str:
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(
        buffer,
        format="svg",
        metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
    )
    plt.close(figure)
    text = buffer.getvalue()
    # Inline SVG needs no XML prolog nor DOCTYPE (whose DTD is a remote URL).
    return text[text.index("<svg") :]
