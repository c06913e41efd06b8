"""A small corpus the project writes itself (public domain, CC0: the articles are made up for these
tests), in every input format briefing reads: the same articles as plain text, as a saved web page
with its furniture (navigation, cookie banner, related links, comments), as a two-column PDF with a
running header, footer and page numbers (reportlab), as a Word file (python-docx), as an e-mail and
as newswire SGML (the format of news archives, under three kinds of name: `.sgml`, `.txt`, none) and
as an analyst's Markdown note (front matter, a heading, a picture, emphasis, links, a blockquote).

Also the bad inputs each reader must skip with a reason: an encrypted PDF, a scanned (image-only) PDF,
a corrupt DOCX, an HTML page with no article, XML bombs and an external entity.
"""

from __future__ import annotations

import html
import io
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    author: str
    publication: str
    date: str
    paragraphs: tuple[str, ...]


ARTICLES = (
    Article("strike", "Dock strike in Valmora enters its third week", "Ana Petrova", "Harbour Tribune", "2022-10-03", (
        "Dock workers in Valmora extended their strike on Monday, halting nearly half of the country's exports "
        "of grain and timber. The union said that talks with the port authority had collapsed after the authority "
        "refused to discuss the night shift rota.",
        "Shipping lines have begun rerouting their vessels to the smaller port of Serrat, two hundred kilometres "
        "to the south, where queues of lorries now stretch for several kilometres. Port officials in Serrat said "
        "the harbour was handling three times its usual traffic.",
        "The transport minister called on both sides to return to the table and warned that the government "
        "would consider emergency legislation if the strike continued into November. Union leaders replied that "
        "any such law would be challenged in the constitutional court.",
    )),
    Article("exports", "Exports slump as the port dispute drags on", "Marek Hollis", "Valmora Business Daily",
            "2022-10-05", (
        "The strike at the port of Valmora has cut the country's monthly exports of grain by around forty per cent, "
        "according to figures published by the statistics office on Wednesday. Economists at the central bank "
        "warned that growth could fall below one per cent this year if the dispute lasted another month.",
        "Grain traders said that buyers in neighbouring countries were turning to suppliers across the sea, and "
        "that some contracts signed before the harvest had already been cancelled. Timber mills in the north "
        "have cut production because their yards are full.",
        "The finance ministry is preparing a package of short-term loans for exporters whose cargo is stuck at "
        "the quays, a spokesman said, without giving its size.",
    )),
    Article("talks", "Mediator named to end the Valmora port stoppage", "Lina Ostrova", "The Coastal Observer",
            "2022-10-07", (
        "The government appointed a retired judge as mediator on Friday in an attempt to end the dock strike "
        "that has paralysed the port of Valmora for nearly three weeks. Both the union and the port authority "
        "said they would attend the first round of talks next Tuesday.",
        "The mediator, who settled a rail dispute four years ago, said her first task was to agree on the facts "
        "about overtime pay before discussing the night shifts. Dock workers gathered outside the port gates "
        "cheered when the appointment was announced.",
        "Opposition deputies accused the transport minister of waiting too long to intervene while the economy "
        "lost millions of euros every day.",
    )),
    Article("farmers", "Farmers count the cost of grain stuck at the quays", "Tomas Riedl", "Rural Weekly",
            "2022-10-10", (
        "Farmers in the eastern plains say that their silos are full and that grain left in the open has started "
        "to rot after a week of heavy rain. The farmers' association estimates that its members have lost more "
        "than twelve million euros since the dock strike began.",
        "Several cooperatives have asked the agriculture ministry for emergency storage in army depots, and a "
        "few have started selling wheat to local feed mills at half the export price.",
        "The association's chairman said that the harvest had been the best in a decade, and that the strike "
        "had turned a good year into a disaster for small farms.",
    )),
    Article("agreement", "Dockers vote on a deal to end the strike", "Ana Petrova", "Harbour Tribune", "2022-10-14", (
        "Union leaders and the port authority reached a provisional agreement on Thursday night after three "
        "days of talks led by the mediator. The deal limits night shifts to two a week and raises overtime pay "
        "by eight per cent.",
        "Dock workers will vote on the agreement on Saturday, and the union has recommended that its members "
        "accept it. If they do, the first ships could be loaded on Monday morning.",
        "Exporters welcomed the news but warned that clearing the backlog of cargo would take at least a month, "
        "and that some foreign buyers were unlikely to return this season.",
    )),
)

THEMES_YAML = """\
themes:
  - id: labour
    title: The dock strike and the talks
    description: Dock workers, the union, the port authority, the strike, mediation and talks.
    keywords: {strike: 3, union: 3, dock workers: 2, mediator: 2, talks: 2, night shift: 1.5}
  - id: economy
    title: Economic damage
    description: Exports, grain, timber, growth, trade and the cost of the dispute to the economy.
    keywords: {exports: 3, grain: 2, growth: 2, economy: 2, timber: 1.5, loans: 1.5}
"""


def as_text(a: Article) -> str:
    return f"{a.title}\n\nBy {a.author}\n\n" + "\n\n".join(a.paragraphs) + "\n"


def as_markdown(a: Article) -> str:
    """An analyst's Markdown note of the article: front matter, the headline as a heading, a picture,
    and markup in every paragraph (emphasis, strong, a link, inline code, an escape), the last paragraph
    a blockquote and a list of links to close."""
    first, *middle, last = a.paragraphs
    words = first.split(" ")
    words[1], words[4], words[-2] = f"*{words[1]}*", f"**{words[4]}**", f"`{words[-2]}`"
    marked = [" ".join(words)]
    for n, paragraph in enumerate(middle):
        words = paragraph.split(" ")
        words[2] = f"[{words[2]} {words[3]}](https://news.example.org/{a.slug}#p{n} \"a title\")"
        del words[3]
        words[-3] = f"_{words[-3]}_"
        marked.append(" ".join(words))
    marked.append("> " + last.replace(",", "\\,", 1))  # an escaped comma reads as a comma
    return (f"---\ntitle: {a.title}\nauthor: {a.author}\npublication: {a.publication}\ndate: {a.date}\n"
            f"url: https://news.example.org/{a.slug}\n---\n\n# {a.title}\n\n![The port of Valmora](port.jpg)\n\n"
            + "\n\n".join(marked) + "\n\n- [Read more](https://news.example.org/more)\n")


def as_html(a: Article) -> str:
    """A saved news page: the article among a site's furniture."""
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in a.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(a.title)} | {e(a.publication)}</title>
<meta property="og:title" content="{e(a.title)}">
<meta property="og:site_name" content="{e(a.publication)}">
<meta name="author" content="{e(a.author)}">
<meta property="article:published_time" content="{a.date}T08:00:00Z">
<link rel="canonical" href="https://news.example.org/{a.slug}">
<link rel="stylesheet" href="{a.slug}_files/style.css">
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience on our site.
 By continuing to browse you agree to our use of cookies. <button>Accept all cookies</button></div>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main><article>
<h1>{e(a.title)}</h1>
<p class="byline">By <span class="author">{e(a.author)}</span> · <time datetime="{a.date}">{a.date}</time></p>
{body}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">Ferry operators report record bookings for the winter season</a></li>
<li><a href="/b">Ten things to do in the capital this weekend</a></li>
<li><a href="/c">Football club unveils plans for a new stadium</a></li></ul></aside>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>Reader1234: This is exactly what happens when nobody listens to the workers, shame on them all!!!</p></div>
<div class="comment"><p>harbourfan: first</p></div></section>
</main>
<footer><p>© 2022 {e(a.publication)}. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


def as_pdf(a: Article, path: Path | None = None) -> bytes:
    """A two-column newspaper page: title across the top, the text in two columns, a running header,
    a footer and page numbers on every page (long enough to run onto a second page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, Spacer

    out = io.BytesIO()
    width, height = A4
    styles = getSampleStyleSheet()
    margin, gap, top = 2 * cm, 0.8 * cm, 21 * cm  # a picture under the title
    col = (width - 2 * margin - gap) / 2

    def furniture(canvas, doc):
        # The document information's CreationDate: the article's date, as a publisher's PDF has it.
        canvas._doc.setDateFormatter(lambda *ymdhms: f"D:{a.date.replace('-', '')}080000+00'00'")
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(margin, height - 1.2 * cm, f"{a.publication} · Weekly edition")
        canvas.drawRightString(width - margin, 1.2 * cm, f"Page {doc.page}")
        canvas.drawString(margin, 1.2 * cm, "Subscribe at news.example.org")
        canvas.restoreState()

    first = [Frame(margin, height - top, width - 2 * margin, top - 2 * cm, id="head"),
             Frame(margin, 2 * cm, col, height - top - 2 * cm, id="left"),
             Frame(margin + col + gap, 2 * cm, col, height - top - 2 * cm, id="right")]
    later = [Frame(margin, 2 * cm, col, height - 4 * cm, id="left2"),
             Frame(margin + col + gap, 2 * cm, col, height - 4 * cm, id="right2")]
    doc = BaseDocTemplate(out, pagesize=A4, title=a.title, author=a.author, subject=a.publication, keywords="port, strike",
                          creator="tests/formats_corpus.py", invariant=1)
    doc.addPageTemplates([PageTemplate("first", first, onPage=furniture, autoNextPageTemplate="later"),
                          PageTemplate("later", later, onPage=furniture)])
    story = [Paragraph(html.escape(a.title), styles["Title"]),
             Paragraph(f"By {html.escape(a.author)}", styles["Normal"]), FrameBreak()]
    # Large type in narrow columns, so that the text runs onto a second page, as a newspaper's does.
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=13, leading=17)
    for p in a.paragraphs:
        story += [Paragraph(html.escape(p), body), Spacer(1, 6)]
    doc.build(story)
    data = out.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def drawn_out_of_order(a: Article) -> bytes:
    """The article in two columns on one page, as a layout program may write it: the right column's
    lines drawn before the left's, the running head and folio last, so the content stream's order is
    not the reading order."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    width, height = A4
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    column, leading, top = (width - 2 * 56 - 20) / 2, 13, height - 120
    lines: list[str | None] = []
    for paragraph in a.paragraphs:
        lines += simpleSplit(paragraph, "Helvetica", 10, column) + [None]
    per_column = (len(lines) + 1) // 2  # the text split evenly between the two columns
    placed = [(56 + (n // per_column) * (column + 20), top - (n % per_column) * leading, line)
              for n, line in enumerate(lines) if line is not None]
    c.setFont("Helvetica", 10)
    for x, y, line in sorted(placed, key=lambda p: -p[0]):  # right column first
        c.drawString(x, y, line)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(56, height - 80, a.title)
    c.setFont("Helvetica", 10)
    c.drawString(56, height - 100, f"By {a.author}")
    c.setFont("Helvetica", 7)
    c.drawString(56, height - 30, f"{a.publication} · Weekly edition")
    c.drawRightString(width - 56, 30, "Page 1")
    c.showPage()
    c.save()
    return out.getvalue()


def as_docx(a: Article) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = a.title
    document.core_properties.author = a.author
    document.core_properties.created = datetime.fromisoformat(a.date).replace(tzinfo=UTC)
    document.core_properties.category = a.publication
    document.core_properties.keywords = "port, strike"
    document.add_heading(a.title, level=1)
    for p in a.paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_eml(a: Article, html_only: bool = False) -> bytes:
    message = EmailMessage()
    message["Subject"] = a.title
    message["From"] = f"{a.author} <{a.slug}@news.example.org>"
    message["To"] = "analyst@example.org"
    message["Date"] = format_datetime(datetime.fromisoformat(a.date).replace(hour=8, tzinfo=UTC))
    text = "\n\n".join(a.paragraphs) + "\n\n--\nYou receive this newsletter because you subscribed.\n"
    if html_only:
        message.set_content(as_html(a), subtype="html")
    else:
        message.set_content(text)
        message.add_alternative(as_html(a), subtype="html")
    return bytes(message)


def as_newswire(a: Article, number: int) -> str:
    """A wire story as news archives keep it: tags on lines of their own around hard-wrapped text,
    with the wire's furniture (slug, trailer). Every other story marks its paragraphs with <P>; the
    rest indent each paragraph's first line, as wire copy without <P> does."""
    e = html.escape
    if number % 2 == 0:
        story = "\n".join(f"<P>\n{textwrap.fill(e(p, quote=False), 70)}\n</P>" for p in a.paragraphs)
    else:
        story = "\n".join(textwrap.fill(e(p, quote=False), 70, initial_indent="   ") for p in a.paragraphs)
    return f"""<DOC>
<DOCNO> NWS{a.date.replace("-", "")}.{number:04d} </DOCNO>
<DOCTYPE> NEWS STORY </DOCTYPE>
<DATE_TIME> {a.date} 08:15 </DATE_TIME>
<BODY>
<SLUG> BC-{a.slug[:12]}-Subscribe at wire.example.org </SLUG>
<HEADLINE>
{e(a.title, quote=False)}
</HEADLINE>
<BYLINE> By {e(a.author, quote=False)} </BYLINE>
<PUB> {e(a.publication, quote=False)} </PUB>
<TEXT>
{story}
</TEXT>
</BODY>
<TRAILER>
NWS-{a.date} 0815EDT Subscribe at wire.example.org
</TRAILER>
</DOC>
"""


NEWSWIRE_NAMES = ("{}.sgml", "{}.txt", "{}")
"""How a newswire story is named, in turn: the reader is chosen by its content for the last two."""


def write_corpus(folder: Path, fmt: str) -> None:
    """Every article in one format into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for a in ARTICLES:
        if fmt == "txt":
            (folder / f"{a.slug}.txt").write_text(as_text(a), encoding="utf-8")
        elif fmt == "md":
            (folder / f"{a.slug}.md").write_text(as_markdown(a), encoding="utf-8")
        elif fmt == "html":
            (folder / f"{a.slug}.html").write_text(as_html(a), encoding="utf-8")
            files = folder / f"{a.slug}_files"
            files.mkdir(exist_ok=True)
            (files / "style.css").write_text("body { font-family: serif }\n")
            (files / "ad-frame.html").write_text("<html><body><p>" + "Buy now and save on every order you "
                                                 "place with us this week only. " * 5 + "</p></body></html>")
        elif fmt == "pdf":
            as_pdf(a, folder / f"{a.slug}.pdf")
        elif fmt == "docx":
            (folder / f"{a.slug}.docx").write_bytes(as_docx(a))
        elif fmt == "eml":
            (folder / f"{a.slug}.eml").write_bytes(as_eml(a))
        elif fmt == "newswire":
            number = ARTICLES.index(a)
            name = NEWSWIRE_NAMES[number % len(NEWSWIRE_NAMES)].format(a.slug)
            (folder / name).write_text(as_newswire(a, number), encoding="utf-8")
        else:
            raise ValueError(fmt)


# Bad inputs -------------------------------------------------------------------------------------

def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(as_pdf(ARTICLES[0]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A page that is only a picture of text, as a scanner makes it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).text((20, 80), "Dock workers in Valmora extended their strike on Monday.", fill=0)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(image), 50, 500, 500, 160)
    c.showPage()
    c.save()
    return out.getvalue()


def corrupt_docx() -> bytes:
    return as_docx(ARTICLES[0])[:1500]


NO_ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Page not found</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav><h1>404</h1><p>Sorry.</p>
<footer>© 2022</footer></body></html>"""

BOMB_ENTITIES = ('<!DOCTYPE lolz [<!ENTITY lol "lol lol lol lol lol lol lol lol lol lol">'
                 + "".join(f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10))
                 + "]>")


def xhtml_bomb() -> str:
    return ('<?xml version="1.0"?>\n' + BOMB_ENTITIES.replace("lolz", "html")
            + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>')


def external_entity_xhtml(target: Path) -> str:
    return ('<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY secret SYSTEM "file://' + str(target) + '">]>'
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><article><p>Leaked: &secret;</p>'
            + "<p>" + " ".join(ARTICLES[0].paragraphs) + "</p></article></body></html>")


def docx_with_bomb() -> bytes:
    """A Word file whose document part declares the billion laughs."""
    source = zipfile.ZipFile(io.BytesIO(as_docx(ARTICLES[0])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, _, rest = data.partition(b"?>")
                data = head + b"?>" + BOMB_ENTITIES.replace("lolz", "w:document").encode() + rest.replace(
                    b"Dock workers", b"&lol9; Dock workers", 1)
            target.writestr(info, data)
    return out.getvalue()
