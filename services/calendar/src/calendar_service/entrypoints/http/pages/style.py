"""What every page shares: the category colours (each ≥ 4.5:1 against the white page), labels and the style."""

from __future__ import annotations

from calendar_service.domain.annual_clock import Audience, Category

# Every colour has a contrast of at least 4.5:1 against white (tested), so a mark is as legible as text.
CATEGORY_COLOURS: dict[Category, str] = {
    Category.GRANT_APPLICATION: "#1f5fa8",
    Category.USAGE_REPORT: "#8a4b00",
    Category.ASSOCIATION_EVENING: "#a3127d",
    Category.NEWSLETTER: "#00695c",
    Category.PARTNERSHIP_DISCUSSION: "#5b3fa6",
    Category.EVALUATION: "#b3261e",
    Category.EVENT: "#2e6b0f",
    Category.COOPERATION_GROUP: "#37474f",
    Category.OTHER: "#595959",
}

CATEGORY_LABELS_FI: dict[Category, str] = {
    Category.GRANT_APPLICATION: "Avustushaut",
    Category.USAGE_REPORT: "Käyttöselvitykset",
    Category.ASSOCIATION_EVENING: "Yhdistysillat",
    Category.NEWSLETTER: "Yhdistysuutiset",
    Category.PARTNERSHIP_DISCUSSION: "Kumppanuuskeskustelut",
    Category.EVALUATION: "Arviointi",
    Category.EVENT: "Tilaisuudet",
    Category.COOPERATION_GROUP: "Yhdistysyhteistyöryhmä",
    Category.OTHER: "Muut",
}

AUDIENCE_LABELS_FI: dict[Audience, str] = {
    Audience.EVERYONE: "kaikille",
    Audience.ASSOCIATIONS: "yhdistyksille",
    Audience.GRANTEES: "avustuksen saajille",
    Audience.PARTNERS: "kumppaneille",
    Audience.STAFF: "kaupungin henkilöstölle",
}


def scrolling(table: str, label: str) -> str:
    """A table in a box of its own that scrolls sideways on a narrow screen (the page does not), reached and
    scrolled with the keyboard (a focusable region named ``label``)."""
    return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">{table}</div>'


STYLE = """
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;line-height:1.5;
color:#1a1a1a;background:#fff}
a{color:#0645ad}a:focus,summary:focus,button:focus,.table-scroll:focus{outline:3px solid #1a1a1a;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
.wheel{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}.wheel svg{display:block;max-width:100%;height:auto}
.legend{list-style:none;padding:0}.legend li{display:flex;align-items:center;gap:.5rem;margin:.25rem 0}
.swatch{display:inline-block;width:1.2rem;height:1.2rem;border-radius:.2rem}
.table-scroll{overflow-x:auto;margin:0 0 1rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #767676;
vertical-align:top}
.chart{margin:0 0 1.5rem}.chart svg{display:block;max-width:100%;height:auto}
summary{cursor:pointer}.month-list{columns:2 22rem}.month-list section{break-inside:avoid}
"""
