"""The rows of the route inventory (SEC-10) for the open web's doors."""

from tests.inventory.people import same

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /posts.atom": ("/posts.atom", same(200)),
    "GET /sitemap.xml": ("/sitemap.xml", same(200)),
    "GET /robots.txt": ("/robots.txt", same(200)),
}
