"""A member's activity as a small server-rendered SVG (no script, no style attribute: the CSP)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 240, 40, 2


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y …"
    area: str  # the same line closed along the bottom (a filled shape)
    total: int
    weeks: int
    peak: int


def draw(weekly: list[int], *, width: int = WIDTH, height: int = HEIGHT) -> Sparkline | None:
    """Items per week (oldest first) as an SVG polyline fitted in width × height."""
    if not weekly:
        return None
    peak = max(weekly) or 1
    step = (width - 2 * PAD) / max(len(weekly) - 1, 1)
    coords = [(PAD + index * step, height - PAD - (height - 2 * PAD) * value / peak)
              for index, value in enumerate(weekly)]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    area = f"{coords[0][0]:.1f},{height - PAD} {points} {coords[-1][0]:.1f},{height - PAD}"
    return Sparkline(width=width, height=height, points=points, area=area, total=sum(weekly),
                     weeks=len(weekly), peak=max(weekly))
