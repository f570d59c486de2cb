"""Reading the report back: its sections, tables (text and `data-value` of each cell), the
elements with an id, and every `src`/`href` it would load or link."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str
    value: float | None


@dataclass
class ReportPage(HTMLParser):
    sections: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    tables: dict[str, list[list[Cell]]] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def __post_init__(self) -> None:
        super().__init__()
        self._table: str | None = None
        self._cell: Cell | None = None
        self._text_of: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.add(tag)
        for name in ("src", "href", "xlink:href", "srcset", "data", "action"):
            if attributes.get(name):
                self.links.append(attributes[name] or "")
        if "id" in attributes:
            self.ids.add(attributes["id"] or "")
            if tag == "pre":
                self._text_of.append(attributes["id"] or "")
        if tag == "section":
            self.sections.append(attributes["id"] or "")
        if tag == "table":
            self._table = attributes.get("id") or ""
            self.tables[self._table] = []
        if tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        if tag == "td" and self._table is not None:
            raw = attributes.get("data-value")
            self._cell = Cell("", float(raw) if raw else None)
            self.tables[self._table][-1].append(self._cell)
        if "data-value" in attributes and tag == "div":
            self.values[attributes.get("id") or f"value-{len(self.values)}"] = float(
                attributes["data-value"] or "nan"
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        if tag == "td":
            self._cell = None
        if tag == "pre" and self._text_of:
            self._text_of.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._cell is not None:
            self._cell.text += data
        if self._text_of:
            key = self._text_of[-1]
            self.texts[key] = self.texts.get(key, "") + data

    def rows(self, table: str) -> list[list[Cell]]:
        """The body rows of a table (its header row left out)."""
        return [row for row in self.tables[table] if row]


def read_report(text: str) -> ReportPage:
    page = ReportPage()
    page.feed(text)
    return page
