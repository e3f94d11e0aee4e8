"""A page of rows with what the `pager` macro reads, for lists not paginated by `db.paginate`."""
from dataclasses import dataclass
from math import ceil


@dataclass
class ListPage:
    """A page of a list: its items, the page number and size, and the total row count."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
