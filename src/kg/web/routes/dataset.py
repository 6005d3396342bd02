"""Routes: the home page, browsing by class, the VoID/DCAT description, dumps, the JSON-LD context,
and what crawlers read (``sitemap.xml``, ``robots.txt``)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from kg.web.deps import QueriesDep, SettingsDep, StoreDep
from kg.web.errors import error_response
from kg.web.lod.catalogue import Snapshot
from kg.web.lod.disambiguation import context_of
from kg.web.lod.dumps import published, resolve_file
from kg.web.lod.facets import apply, chosen
from kg.web.lod.labels import curie
from kg.web.lod.links import local_path, with_lang
from kg.web.lod.listing import (
    download_links,
    export_response,
    export_rows,
    facet_views,
    href_with,
    multi_params,
)
from kg.web.lod.pages import capfirst
from kg.web.lod.render import languages, render
from kg.web.lod.serialize import context_document, serialize_triples
from kg.web.lod.state import CatalogueDep
from kg.web.lod.values import format_number
from kg.web.lod.void import void_triples
from kg.web.lod.void_page import void_view
from kg.web.negotiation import HTML, RDF_FORMATS, Format, by_name, choose

router = APIRouter()

JSON = Format("json", "json", "application/json")
BROWSE_PAGE = 50
#: Classes of the model itself (ontology, shapes, SKOS), listed apart from the data's classes.
MODEL_NAMESPACES = (
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/ns/shacl#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/linked-data/cube#DataStructureDefinition",
)
SITEMAP_CHUNK = 50_000


def server_url(request: Request) -> str:
    """This server's root URL, without the final slash."""
    return str(request.base_url).rstrip("/")


def class_views(
    snapshot: Snapshot, lang: str, lang_param: str | None, base: str
) -> list[dict[str, str]]:
    """Classes with their label, count and browse link, most populated first."""
    views = []
    for cls, n in snapshot.class_counts:
        path = local_path(cls, base)
        views.append(
            {
                "iri": cls,
                "label": capfirst(snapshot.label(cls, lang)),
                "curie": curie(cls),
                "count_text": format_number(str(n), lang),
                "href": with_lang(path, lang_param) if path else cls,
                "browse": with_lang("/browse", lang_param, **{"class": cls}),
                "model": "yes" if cls.startswith(MODEL_NAMESPACES) else "",
            }
        )
    return views


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def home(
    request: Request, store: StoreDep, settings: SettingsDep, catalogue: CatalogueDep
) -> Response:
    """What the dataset is, its licence, counts per class, and a search box."""
    lang, lang_param = languages(request)
    snapshot = catalogue.snapshot(store)
    return render(
        request,
        "home.html",
        {
            "classes": class_views(snapshot, lang, lang_param, settings.base_iri),
            "triples": format_number(str(snapshot.triples), lang),
            "entities": format_number(str(len(snapshot.labels)), lang),
        },
    )


@router.api_route("/browse", methods=["GET", "HEAD"], include_in_schema=False)
def browse(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    catalogue: CatalogueDep,
    cls: str | None = Query(None, alias="class", description="IRI of the class to list"),
    page: int = Query(1, ge=1),
    format: str | None = Query(None, description="csv or json: the whole filtered list"),
) -> Response:
    """Every class, or the instances of one class sorted by label, one page at a time, narrowed by
    facet parameters (``country=<iri>``, ``year=2019``; see :mod:`kg.web.lod.facets`)."""
    lang, lang_param = languages(request)
    snapshot = catalogue.snapshot(store)
    base = settings.base_iri
    if not cls:
        views = class_views(snapshot, lang, lang_param, base)
        return render(
            request,
            "class_list.html",
            {
                "class_label": "Classes",
                "class_iri": None,
                "class_href": None,
                "classes": views,
                "total_text": str(len(views)),
            },
        )
    members = snapshot.members(store, cls, lang)
    rows_of = snapshot.facet_rows(store, f"class {lang} {cls}", lambda: members)
    params = multi_params(request)
    filters = chosen({k: v for k, v in params.items() if k != "class"})  # class is the list
    selected = apply(rows_of, filters) if filters else members
    if format in ("csv", "json"):
        rows = export_rows(store, selected, snapshot, lang, base)
        extra = {"class": cls, "filters": {k: sorted(v) for k, v in filters.items()}}
        return export_response(rows, format, "browse", extra)
    pages = max(1, -(-len(selected) // BROWSE_PAGE))
    offset = (page - 1) * BROWSE_PAGE

    def name(iri: str) -> str:
        return snapshot.label(iri, lang)

    rows = []
    for iri in selected[offset : offset + BROWSE_PAGE]:
        path = local_path(iri, base)
        ctx = context_of(store, iri, name, lambda c: name(c).lower())
        rows.append(
            {
                "text": name(iri),
                "context": ctx.text,
                "href": with_lang(path, lang_param) if path else iri,
            }
        )
    class_path = local_path(cls, base)
    return render(
        request,
        "class_list.html",
        {
            "class_label": snapshot.label(cls, lang),
            "class_iri": cls,
            "class_href": with_lang(class_path, lang_param) if class_path else cls,
            "members": rows,
            "total_text": format_number(str(len(selected)), lang),
            "all_text": format_number(str(len(members)), lang) if filters else None,
            "facets": facet_views(
                rows_of, filters, params, "/browse", name, lang, hidden=frozenset({"class"})
            ),
            "downloads": download_links(params, "/browse"),
            "offset": offset,
            "page": page,
            "pages": pages,
            "page_href": lambda n: href_with(params, "/browse", page=[str(n)]),
        },
        status_code=200 if page <= pages else 404,
    )


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], include_in_schema=False)
def void(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    queries: QueriesDep,
    catalogue: CatalogueDep,
    format: str | None = Query(None, description="ttl, nt, jsonld, rdf or html"),
) -> Response:
    """VoID and DCAT description of the dataset (Turtle unless another format is asked for)."""
    offered = (*RDF_FORMATS, HTML)
    fmt = (by_name(format, offered) if format else None) or choose(
        request.headers.get("accept"), offered
    )
    if fmt is None:
        return error_response(406, "VoID is offered as Turtle, N-Triples, JSON-LD, RDF/XML or HTML")
    snapshot = catalogue.snapshot(store)
    triples = void_triples(
        store, queries, snapshot, snapshot.property_counts(store, queries),
        server_url(request), settings.dumps_dir, settings.base_iri, settings.store,
    )  # fmt: skip
    headers = {"Vary": "Accept"}
    if fmt is HTML:
        turtle = serialize_triples(triples, RDF_FORMATS[0]).decode("utf-8")
        lang, lang_param = languages(request)
        dataset = f"{server_url(request)}/.well-known/void#dataset"
        view = void_view(triples, dataset, store, snapshot, lang, lang_param, settings.base_iri)
        return render(request, "void.html", {"turtle": turtle, **view}, headers=headers)
    body = serialize_triples(triples, fmt)
    return Response(body, media_type=fmt.media_type, headers=headers)


@router.api_route("/context.jsonld", methods=["GET", "HEAD"], include_in_schema=False)
def context() -> Response:
    """The JSON-LD context the JSON-LD answers are compacted with."""
    return JSONResponse(context_document(), media_type="application/ld+json")


@router.api_route("/dumps/", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/dumps", methods=["GET", "HEAD"], include_in_schema=False)
def dumps(request: Request, settings: SettingsDep) -> Response:
    """The list of dump files with their sizes and SHA-256 sums."""
    created, files = published(settings.dumps_dir)
    lang, _ = languages(request)
    wants_json = choose(request.headers.get("accept"), (HTML, JSON)) is JSON
    if wants_json or request.query_params.get("format") == "json":
        return JSONResponse({"created": created, "files": [f.__dict__ for f in files]})
    views = [
        {"name": f.name, "size_text": format_number(str(f.size), lang), "sha256": f.sha256}
        for f in files
    ]
    return render(request, "dumps.html", {"files": views, "created": created})


@router.api_route("/dumps/{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
def dump_file(name: str, settings: SettingsDep) -> Response:
    """One dump file, with its media type and size."""
    path = resolve_file(settings.dumps_dir, name)
    _, files = published(settings.dumps_dir)
    media = next((f.media_type for f in files if f.name == name), "text/plain; charset=utf-8")
    return FileResponse(path, media_type=media, filename=path.name)


@router.api_route("/robots.txt", methods=["GET", "HEAD"], include_in_schema=False)
def robots(request: Request) -> Response:
    """Crawlers may read every page; the query services are not for them."""
    root = server_url(request)
    text = (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /sparql\n"
        "Disallow: /query\n"
        "Disallow: /api/\n"
        "Disallow: /search\n"
        "Disallow: /incoming\n"
        f"Sitemap: {root}/sitemap.xml\n"
    )
    return PlainTextResponse(text)


def sitemap_paths(snapshot: Snapshot, base: str) -> list[str]:
    """Every page worth indexing: home, ontology, class lists and each resource under the base."""
    paths = ["/", "/def", "/browse"]
    paths.extend(with_lang("/browse", None, **{"class": cls}) for cls, _ in snapshot.class_counts)
    for iri in sorted(snapshot.labels):
        path = local_path(iri, base)
        if path:
            paths.append(path)
    return paths


@router.api_route("/sitemap.xml", methods=["GET", "HEAD"], include_in_schema=False)
def sitemap_index(
    request: Request, store: StoreDep, settings: SettingsDep, catalogue: CatalogueDep
) -> Response:
    """A sitemap index pointing at chunks of at most 50,000 URLs."""
    paths = sitemap_paths(catalogue.snapshot(store), settings.base_iri)
    root = server_url(request)
    chunks = max(1, -(-len(paths) // SITEMAP_CHUNK))
    items = "".join(
        f"<sitemap><loc>{root}/sitemap-{i}.xml</loc></sitemap>" for i in range(1, chunks + 1)
    )
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>\n'
    return Response(body, media_type="application/xml")


@router.api_route("/sitemap-{number}.xml", methods=["GET", "HEAD"], include_in_schema=False)
def sitemap_chunk(
    number: int, request: Request, store: StoreDep, settings: SettingsDep, catalogue: CatalogueDep
) -> Response:
    """One chunk of the sitemap."""
    paths = sitemap_paths(catalogue.snapshot(store), settings.base_iri)
    chunk = paths[(number - 1) * SITEMAP_CHUNK : number * SITEMAP_CHUNK]
    if number < 1 or not chunk:
        return error_response(404, f"there is no sitemap chunk {number}")
    root = server_url(request)
    urls = "".join(f"<url><loc>{escape(root + p)}</loc></url>" for p in chunk)
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    return Response(body, media_type="application/xml")
