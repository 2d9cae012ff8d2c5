"""The offers' map symbols: a colour-blind-safe colour *and* a shape per category (the web
map, the printed map and the presentation draw the same)."""

from __future__ import annotations

#: Okabe–Ito colours (colour-blind safe) plus a distinct shape per category.
SYMBOLS: dict[str, tuple[str, str]] = {
    "Kita": ("#E69F00", "circle"),
    "Schule": ("#56B4E9", "square"),
    "Verein": ("#009E73", "triangle"),
    "Beratungsstelle": ("#0072B2", "diamond"),
    "Sprachkurs": ("#D55E00", "pentagon"),
    "Gesundheit": ("#CC79A7", "cross"),
    "Religion": ("#F0E442", "hexagon"),
    "Projektstandort": ("#000000", "star"),
    "Unterkunft": ("#999999", "house"),
}
_SHAPES = {
    "circle": '<circle cx="10" cy="10" r="7"/>',
    "square": '<rect x="3.5" y="3.5" width="13" height="13"/>',
    "triangle": '<polygon points="10,2.5 18,17 2,17"/>',
    "diamond": '<polygon points="10,1.5 18.5,10 10,18.5 1.5,10"/>',
    "pentagon": '<polygon points="10,2 18,8 15,18 5,18 2,8"/>',
    "cross": '<polygon points="7,2 13,2 13,7 18,7 18,13 13,13 13,18 7,18 7,13 2,13 2,7 7,7"/>',
    "hexagon": '<polygon points="10,1.5 17.5,5.8 17.5,14.2 10,18.5 2.5,14.2 2.5,5.8"/>',
    "star": '<polygon points="10,1.5 12.4,7.2 18.5,7.6 13.8,11.6 15.3,17.6 10,14.4 4.7,17.6 6.2,11.6 1.5,7.6 7.6,7.2"/>',
    "house": '<polygon points="10,2 18,9 16,9 16,18 4,18 4,9 2,9"/>',
}


def symbol_svg(category: str, approximate: bool, size: int = 18) -> str:
    """The SVG of a category's map symbol (hollow and dashed when the place is approximate)."""
    color, shape = SYMBOLS[category]
    if approximate:
        style = f'fill="#ffffff" fill-opacity="0.85" stroke="{color}" stroke-width="2.6" stroke-dasharray="3 2"'
        if color == "#F0E442":  # yellow outline on white needs a dark edge to be seen
            style = style.replace('stroke="#F0E442"', 'stroke="#8a7f00"')
    else:
        style = f'fill="{color}" stroke="#1a1a1a" stroke-width="1.2"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20">'
        f"<g {style}>{_SHAPES[shape]}</g></svg>"
    )
